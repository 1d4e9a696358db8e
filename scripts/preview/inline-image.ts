/**
 * Sparklines in a terminal: the PNG itself through the kitty graphics protocol or iTerm2's
 * inline images, else ▁▂▃▄▅▆▇█ blocks. Blocks come from values when known, otherwise from the
 * drawn line in the PNG, so live frames (plain SwiftBar text) get them too.
 */
import { decodePng } from './decode-png.js';
import type { Rgb } from './colors.js';

export type ImageProtocol = 'kitty' | 'iterm' | 'blocks';

export type Blocks = {
  readonly text: string;
  /** The stroke colour found in the image, if any. */
  readonly color?: Rgb;
};

const BLOCKS = '▁▂▃▄▅▆▇█';

/** Which inline-image protocol the terminal speaks, from its environment. */
export function detectImageProtocol(env: NodeJS.ProcessEnv): ImageProtocol {
  if (env['TERM'] === 'xterm-kitty' || (env['KITTY_WINDOW_ID'] ?? '') !== '') return 'kitty';
  if (env['TERM_PROGRAM'] === 'iTerm.app' || env['TERM_PROGRAM'] === 'WezTerm') return 'iterm';
  return 'blocks';
}

/** Kitty graphics escape for a base64 PNG, one text row high (chunked to 4096 bytes as required). */
export function kittyImage(base64: string): string {
  const chunks = base64.match(/.{1,4096}/g) ?? [''];
  return chunks
    .map((chunk, i) => {
      const more = i < chunks.length - 1 ? 1 : 0;
      const head = i === 0 ? `a=T,f=100,r=1,m=${more}` : `m=${more}`;
      return `\x1b_G${head};${chunk}\x1b\\`;
    })
    .join('');
}

/** iTerm2 (and WezTerm) inline-image escape for a base64 PNG, one text row high. */
export function itermImage(base64: string): string {
  const size = Buffer.byteLength(base64, 'base64');
  return `\x1b]1337;File=inline=1;size=${size};height=1;preserveAspectRatio=1:${base64}\x07`;
}

/** One block per column from samples (NaN → space); columns are bucket means. */
export function valuesToBlocks(values: readonly number[], columns: number, min?: number, max?: number): string {
  if (values.length === 0 || columns <= 0) return '';
  const n = Math.min(columns, values.length);
  const buckets: number[] = [];
  for (let b = 0; b < n; b++) {
    const part = values.slice(Math.floor((b * values.length) / n), Math.floor(((b + 1) * values.length) / n)).filter(Number.isFinite);
    buckets.push(part.length === 0 ? Number.NaN : part.reduce((s, v) => s + v, 0) / part.length);
  }
  const finite = buckets.filter(Number.isFinite);
  const lo = min ?? Math.min(0, ...finite);
  const hi = max ?? Math.max(lo + 1e-9, ...finite);
  return buckets
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo || 1)));
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.floor(t * BLOCKS.length))] ?? ' ';
    })
    .join('');
}

/** Reads the line back out of a sparkline PNG: per column, the mean height of its ink. */
export function pngToBlocks(base64: string, columns: number): Blocks | undefined {
  const png = decodePng(Buffer.from(base64, 'base64'));
  if (!png) return undefined;
  const heights: number[] = [];
  const colours = new Map<string, number>();
  for (let x = 0; x < png.width; x++) {
    let sum = 0;
    let count = 0;
    for (let y = 0; y < png.height; y++) {
      const [r, g, b, a] = png.pixel(x, y);
      if (a < 128) continue;
      sum += y;
      count++;
      const key = `${r},${g},${b}`;
      colours.set(key, (colours.get(key) ?? 0) + 1);
    }
    heights.push(count === 0 ? Number.NaN : 1 - sum / count / Math.max(1, png.height - 1));
  }
  const top = [...colours.entries()].sort((a, b) => b[1] - a[1])[0];
  const text = valuesToBlocks(heights, columns, 0, 1);
  if (!top) return { text };
  const [r = 0, g = 0, b = 0] = top[0].split(',').map(Number);
  return { text, color: [r, g, b] };
}
