/**
 * Pure: terminal lines painted as a menu panel, the same for the storybook, `--live` and the
 * demo: each line cut to the width with "…", padded to the panel's width, on the menu's own
 * background with its text colour. Without the background, a story's `#1d1d1f` light-menu text
 * is unreadable on a black terminal (and a dark story's white text on a white one).
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import type { Appearance } from './colors.js';

type Rgb = readonly [number, number, number];

/** Menu-like background and text colours per appearance (macOS menus: light grey / dark grey). */
export const MENU_COLORS: Readonly<Record<Appearance, { readonly bg: Rgb; readonly fg: Rgb }>> = {
  light: { bg: [236, 236, 236], fg: [29, 29, 31] },
  dark: { bg: [42, 42, 44], fg: [242, 242, 247] },
};

export type PaintOptions = {
  readonly appearance: Appearance;
  /** Paint colours (false: cut and pad only). */
  readonly color: boolean;
};

/** Inline images (kitty, iTerm2) are escape sequences a cut would break and a width count misreads. */
// eslint-disable-next-line no-control-regex
const INLINE_IMAGE = /\x1b_G|\x1b\]1337;/;

/**
 * One line cut to `width` with "…" and padded with spaces to exactly `width` (so it covers what
 * was there; erase-to-end-of-line would also erase a character in the last column), on the menu
 * background, where every colour reset falls back to the menu's text colour.
 */
export function menuLine(line: string, width: number, options: PaintOptions): string {
  const w = Math.max(1, width);
  const cut = INLINE_IMAGE.test(line) ? line : cliTruncate(line, w, { position: 'end' });
  const padded = INLINE_IMAGE.test(line) ? line : cut + ' '.repeat(Math.max(0, w - stringWidth(cut)));
  if (!options.color) return padded;
  const { bg, fg } = MENU_COLORS[options.appearance];
  const fgCode = `\x1b[38;2;${fg.join(';')}m`;
  return `\x1b[48;2;${bg.join(';')}m${fgCode}${padded.replaceAll('\x1b[39m', fgCode)}\x1b[0m`;
}

/** A frame's lines as one panel: as wide as its widest line, at most `maxWidth` (the terminal's columns). */
export function menuPanel(lines: readonly string[], maxWidth: number | undefined, options: PaintOptions): string[] {
  const widest = Math.max(1, ...lines.filter((l) => !INLINE_IMAGE.test(l)).map((l) => stringWidth(l)));
  const width = maxWidth === undefined ? widest : Math.min(widest, maxWidth);
  return lines.map((line) => menuLine(line, width, options));
}
