/**
 * The only code that touches stdout: writes each frame plus its trailer in one write(), skips a
 * frame byte-identical to the previous one, and reports a broken or closed stdout exactly once.
 */

/** Counters for benchmarks and tests. */
export type WriterStats = {
  readonly framesWritten: number;
  readonly framesSkipped: number;
  readonly bytesWritten: number;
};

/** Options for a writer. */
export type FrameWriterOptions = {
  readonly stdout: NodeJS.WritableStream;
  /** Appended to every frame in the same write (`~~~\n` when streaming, `` once). */
  readonly trailer: string;
  /** Called once when stdout errors (EPIPE, destroyed) or closes. */
  readonly onClosed: (error: unknown) => void;
};

/** A frame writer. */
export type FrameWriter = {
  /** Writes unless identical to the last frame; `flushed` runs once the data left (or was skipped). */
  write(frame: string, flushed?: () => void): void;
  readonly closed: () => boolean;
  stats(): WriterStats;
  /** Stops reacting to the stream; later stream errors are swallowed (the root is gone). */
  dispose(): void;
};

/** Creates a writer over a stream. */
export function createFrameWriter(options: FrameWriterOptions): FrameWriter {
  const { stdout, trailer } = options;
  let last: string | undefined;
  let closed = false;
  let framesWritten = 0;
  let framesSkipped = 0;
  let bytesWritten = 0;

  const fail = (error: unknown): void => {
    if (closed) return;
    closed = true;
    options.onClosed(error);
  };
  const onError = (error: unknown): void => fail(error);
  const onClose = (): void => fail(new Error('stdout closed'));
  stdout.on('error', onError);
  stdout.on('close', onClose);

  return {
    write(frame, flushed) {
      if (closed) return;
      if (frame === last) {
        framesSkipped++;
        flushed?.();
        return;
      }
      last = frame;
      const data = frame + trailer;
      framesWritten++;
      bytesWritten += Buffer.byteLength(data);
      try {
        stdout.write(data, (error?: Error | null) => {
          if (error) fail(error);
          else flushed?.();
        });
      } catch (error) {
        fail(error);
      }
    },
    closed: () => closed,
    stats: () => ({ framesWritten, framesSkipped, bytesWritten }),
    dispose() {
      closed = true;
      stdout.removeListener('error', onError);
      stdout.removeListener('close', onClose);
      // A failed write emits 'error' after its callback; an unheard 'error' would crash the process.
      stdout.on('error', () => undefined);
    },
  };
}
