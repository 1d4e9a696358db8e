/**
 * One frame of SwiftBar text → the lines the preview draws for this terminal, and the live
 * drawer for a plugin's stdout (what `npm run demo` needs).
 */
import type { Readable } from 'node:stream';
import { parseFrame } from '../../src/reconciler/parse.js';
import type { Appearance } from './colors.js';
import { detectImageProtocol, type ImageProtocol } from './inline-image.js';
import { drawLive, framesFromStream } from './live.js';
import { renderMenu, type SparklineValues } from './render-menu.js';

/** Draws one frame for stdout: colour and inline images only on a TTY without NO_COLOR. */
export function frameToLines(
  text: string,
  appearance: Appearance,
  images: ImageProtocol = detectImageProtocol(process.env),
  sparklines?: ReadonlyMap<string, SparklineValues>,
): string[] {
  const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
  return renderMenu(parseFrame(text), { appearance, images: color ? images : 'blocks', color, ...(sparklines ? { sparklines } : {}) });
}

/** Redraws, in place, every frame a streaming plugin writes to `stdout`; resolves when it ends. */
export async function drawPluginOutput(stdout: Readable, appearance: Appearance = 'light'): Promise<void> {
  const images = detectImageProtocol(process.env);
  // Auto-wrap off while drawing: a wrapped line would make the erase count wrong.
  const tty = process.stdout.isTTY === true;
  if (tty) process.stdout.write('\x1b[?7l');
  try {
    await drawLive(framesFromStream(stdout), { render: (text) => frameToLines(text, appearance, images) });
  } finally {
    if (tty) process.stdout.write('\x1b[?7h');
  }
}
