/**
 * One frame of SwiftBar text → the lines the preview draws for this terminal, and the live
 * drawer for a plugin's stdout (`--live`).
 */
import type { Readable } from 'node:stream';
import { parseFrame } from '../../src/reconciler/parse.js';
import type { Appearance } from './colors.js';
import { detectImageProtocol, type ImageProtocol } from './inline-image.js';
import { drawLive, framesFromStream } from './live.js';
import { menuPanel } from './menu-paint.js';
import { renderMenu, type SparklineValues } from './render-menu.js';

/** What the drawing may use: colour codes, and the width to cut lines to (none when piped). */
export type TerminalShape = { readonly color: boolean; readonly width: number | undefined };

/** stdout's shape now: colour on a TTY without NO_COLOR; its columns on a TTY. */
export function terminalShape(): TerminalShape {
  const tty = process.stdout.isTTY === true;
  return { color: tty && process.env['NO_COLOR'] === undefined, width: tty ? process.stdout.columns || 80 : undefined };
}

/** Draws one frame for stdout: colour and inline images only on a TTY without NO_COLOR. */
export function frameToLines(
  text: string,
  appearance: Appearance,
  images: ImageProtocol = detectImageProtocol(process.env),
  sparklines?: ReadonlyMap<string, SparklineValues>,
  shape: TerminalShape = terminalShape(),
): string[] {
  const { color } = shape;
  return renderMenu(parseFrame(text), { appearance, images: color ? images : 'blocks', color, ...(sparklines ? { sparklines } : {}) });
}

/**
 * One frame as a menu panel: on the menu's background (readable whatever the terminal's), each
 * line cut with "…" to the terminal's width (a long id would otherwise run off the edge, and
 * with auto-wrap off its tail would overwrite the last column).
 */
export function menuFrameLines(
  text: string,
  appearance: Appearance,
  images: ImageProtocol,
  sparklines?: ReadonlyMap<string, SparklineValues>,
  shape: TerminalShape = terminalShape(),
): string[] {
  return menuPanel(frameToLines(text, appearance, images, sparklines, shape), shape.width, { appearance, color: shape.color });
}

export type PluginOutputOptions = {
  readonly appearance?: Appearance;
  /** @default process.stdout */
  readonly write?: (chunk: string) => void;
  /** Read at every frame, so a resize applies to the next one. @default terminalShape */
  readonly shape?: () => TerminalShape;
};

/** Redraws, in place, every frame a streaming plugin writes to `stdout`; resolves when it ends. */
export async function drawPluginOutput(stdout: Readable, options: PluginOutputOptions = {}): Promise<void> {
  const { appearance = 'light', shape = terminalShape } = options;
  const write = options.write ?? ((chunk: string) => void process.stdout.write(chunk));
  // Auto-wrap off while drawing: a wrapped line would make the erase count wrong. Blocks, not
  // inline images: an image cannot be cut to the width.
  const tty = options.write === undefined && process.stdout.isTTY === true;
  if (tty) write('\x1b[?7l');
  try {
    await drawLive(framesFromStream(stdout), { write, render: (text) => menuFrameLines(text, appearance, 'blocks', undefined, shape()) });
  } finally {
    if (tty) write('\x1b[?7h');
  }
}
