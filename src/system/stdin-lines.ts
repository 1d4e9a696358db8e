/**
 * Reads newline-terminated lines from a stream (the plugin's stdin, where SwiftBar 2.1 writes a
 * clicked item's `stdin=` text plus a newline). A partial line waits for its newline, up to
 * `maxLineBytes`; a longer line is dropped whole (up to its newline) and reported, never passed
 * on, so a flood cannot grow memory. The end of the stream is reported; nothing here exits.
 */

export type LineReaderEvents = {
  /** One complete line, without its `\n` (and without a trailing `\r`). */
  readonly onLine: (line: string) => void;
  /** A line longer than the cap was dropped; `bytes` counts what was seen of it. */
  readonly onOversized?: (bytes: number) => void;
  /** The stream ended or failed; an unterminated last line is dropped. */
  readonly onEnd?: (error?: Error) => void;
};

/** Longest line kept; clicks are a few dozen bytes. */
export const DEFAULT_MAX_LINE_BYTES = 4096;

/** Starts reading `stream` and returns a function that stops listening. */
export function readLines(stream: NodeJS.ReadableStream, events: LineReaderEvents, maxLineBytes: number = DEFAULT_MAX_LINE_BYTES): () => void {
  let parts: Buffer[] = [];
  let held = 0;
  /** Bytes of an oversized line seen so far; -1 while the current line is within the cap. */
  let dropping = -1;
  let ended = false;

  const take = (chunk: Buffer): void => {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (dropping >= 0) dropping += piece.length;
      else if (held + piece.length > maxLineBytes) {
        dropping = held + piece.length;
        parts = [];
        held = 0;
      } else if (piece.length > 0) {
        parts.push(Buffer.from(piece));
        held += piece.length;
      }
      if (nl < 0) return;
      if (dropping >= 0) events.onOversized?.(dropping);
      else events.onLine(Buffer.concat(parts).toString('utf8').replace(/\r$/, ''));
      parts = [];
      held = 0;
      dropping = -1;
      start = nl + 1;
    }
  };

  const onData = (chunk: Buffer | string): void => take(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  const finish = (error?: Error): void => {
    if (ended) return;
    ended = true;
    events.onEnd?.(error);
  };
  const onEndEvent = (): void => finish();
  const onError = (error: Error): void => finish(error);
  stream.on('data', onData);
  stream.on('end', onEndEvent);
  stream.on('error', onError);
  return () => {
    stream.off('data', onData);
    stream.off('end', onEndEvent);
    stream.off('error', onError);
  };
}
