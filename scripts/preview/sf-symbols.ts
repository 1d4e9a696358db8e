/**
 * Inline SF Symbols (`:name:` in a title SwiftBar symbolizes) drawn as the nearest Unicode glyph,
 * tinted by `sfcolor` the way SwiftBar tints them. Names the preview does not know stay as typed,
 * as SwiftBar leaves names that are not symbols (`12:30:45`).
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
};

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
