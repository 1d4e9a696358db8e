/**
 * SF Symbols drawn as the nearest Unicode glyph: inline ones (`:name:` in a title SwiftBar
 * symbolizes) tinted by `sfcolor` the way SwiftBar tints them, and an item's `sfimage=` icon.
 * Inline names the preview does not know stay as typed, as SwiftBar leaves names that are not
 * symbols (`12:30:45`); an unknown `sfimage` draws nothing (its name is noise beside the label).
 * Glyphs are one column wide where Unicode has one, so menu lines stay aligned.
 */
import { resolveColor, type Appearance, type Rgb } from './colors.js';

const GLYPHS: Readonly<Record<string, string>> = {
  'circle.fill': '●',
  circle: '○',
  'circle.dotted': '◌',
  'exclamationmark.circle.fill': '⊗',
  'exclamationmark.triangle.fill': '⚠',
  'bolt.fill': '⚡',
  'arrow.triangle.2.circlepath': '⟳',
  'hourglass': '⧗',
  'lock.fill': '🔒',
  // The menu's item icons (sfimage=).
  'arrow.clockwise': '↻',
  'arrow.down.circle': '↓',
  'arrow.turn.down.right': '↳',
  'checkmark.circle': '✓',
  cpu: '▦',
  'doc.text.magnifyingglass': '⌕',
  eject: '⏏',
  'ellipsis.circle': '⋯',
  'exclamationmark.octagon': '⊘',
  'exclamationmark.triangle': '⚠',
  'play.fill': '▶',
  safari: '◎',
  'slider.horizontal.3': '≡',
  'square.and.arrow.down': '⤓',
  stethoscope: '⚕',
  'stop.fill': '■',
  trash: '⌫',
  'xmark.circle': '⊗',
};

/** The glyph drawn for an SF Symbol name, or undefined when the preview has none. */
export function symbolGlyph(name: string): string | undefined {
  return GLYPHS[name];
}

/** SwiftBar's symbol pattern: lower-case letters, digits, `.` and `,` between colons. */
const SYMBOL = /:([a-z0-9.,]+):/g;

/** Whether SwiftBar would symbolize this line's title (on unless `symbolize=false` or `ansi=true`). */
export function symbolizes(params: Readonly<Record<string, string>>): boolean {
  return params['symbolize']?.toLowerCase() !== 'false' && params['ansi']?.toLowerCase() !== 'true';
}

/** Replaces each `:name:` by its glyph, painted with the i-th sfcolor (the last one repeats). */
export function renderSymbols(
  title: string,
  params: Readonly<Record<string, string>>,
  appearance: Appearance,
  paint: (text: string, rgb: Rgb | undefined) => string,
): string {
  const colors = [params['sfcolor'] ?? params['sfcolor1'], ...Array.from({ length: 9 }, (_, i) => params[`sfcolor${i + 2}`])]
    .filter((c): c is string => c !== undefined)
    .map((c) => resolveColor(c, appearance));
  let index = 0;
  return title.replace(SYMBOL, (whole, name: string) => {
    const glyph = GLYPHS[name];
    if (glyph === undefined) return whole;
    const rgb = colors[Math.min(index, colors.length - 1)];
    index++;
    return paint(glyph, rgb);
  });
}
