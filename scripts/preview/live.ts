/**
 * Live redraw for `--live` and `npm run demo`: split a plugin's stdout into frames at `~~~`
 * lines and redraw each frame in place, erasing the previous one (Ink's log-update approach).
 */
import type { Readable } from 'node:stream';

export type LiveOptions = {
  /** Where to draw. @default process.stdout */
  readonly write?: (chunk: string) => void;
  /** Turns one frame of SwiftBar text into terminal lines. */
  readonly render: (frameText: string) => readonly string[];
};

/** Escape codes that erase the last `count` lines and leave the cursor at the start of the first. */
export function eraseLines(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += `\x1b[2K${i < count - 1 ? '\x1b[1A' : ''}`;
  return count > 0 ? `${out}\r` : '';
}

/** A drawer that replaces what it drew last time with each new frame. */
export function createLiveDrawer(options: LiveOptions): { readonly draw: (frameText: string) => void; readonly lineCount: () => number } {
  const write = options.write ?? ((chunk: string) => void process.stdout.write(chunk));
  let previous = 0;
  let last: string | undefined;
  return {
    draw: (frameText) => {
      if (frameText === last) return;
      last = frameText;
      const lines = options.render(frameText);
      write(eraseLines(previous) + lines.join('\n') + '\n');
      previous = lines.length + 1; // the cursor sits on the empty line after the frame
    },
    lineCount: () => previous,
  };
}

/** Frames from a stream of SwiftBar streaming output: the text between `~~~` lines. */
export async function* framesFromStream(stream: Readable | AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  let pending = '';
  let frame: string[] = [];
  for await (const chunk of stream as AsyncIterable<string | Buffer>) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() === '~~~') {
        if (frame.length > 0) yield frame.join('\n');
        frame = [];
      } else {
        frame.push(line);
      }
      newline = pending.indexOf('\n');
    }
  }
  if (pending !== '') frame.push(pending);
  if (frame.length > 0) yield frame.join('\n');
}

/** Draws every frame as it arrives, each replacing the last; resolves when the frames end. */
export async function drawLive(frames: AsyncIterable<string>, options: LiveOptions): Promise<void> {
  const drawer = createLiveDrawer(options);
  for await (const frame of frames) drawer.draw(frame);
}
