import { describe, expect, it } from 'vitest';
import { BLUE, DIM, GREEN, GREY, RED, SERIES_STROKES, STATUS_COLORS, TEXT, YELLOW, type ColorPair } from '../../src/components/colors.js';
import { readyModel } from '../../src/components/fixtures/menu-models.js';
import type { OverallStatus } from '../../src/components/model.js';
import { StatusTitle } from '../../src/components/sections/StatusTitle.js';
import { parseFrame, renderToString } from '../../src/reconciler/index.js';

/** WCAG relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** CIE L*a*b* of #rrggbb (D65), for perceptual colour distance. */
function lab(hex: string): readonly [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** CIE76 ΔE: ~2.3 is just noticeable, above ~25 two colours read as different colours. */
function deltaE(a: string, b: string): number {
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** Hue angle in degrees of #rrggbb. */
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

// Typical menu-bar backgrounds (light bar over a light wallpaper, dark bar).
const LIGHT_BAR = '#f2f2f2';
const DARK_BAR = '#262626';

describe('status palette', () => {
  const table: readonly [OverallStatus, ColorPair][] = [
    ['stopped', RED],
    ['unreachable', RED],
    ['unauthorized', RED],
    ['starting', YELLOW],
    ['ready', GREEN],
    ['processing', BLUE],
    ['empty', GREY],
  ];

  it.each(table)('%s glyph is tinted with its colour pair', async (status, pair) => {
    const models = status === 'processing' ? [readyModel('m', { processing: 1, genTps: 42.3 })] : [];
    const frame = parseFrame(await renderToString(<StatusTitle status={status} models={models} />));
    expect(frame.header).toHaveLength(1);
    expect(frame.header[0]?.params.sfcolor).toBe(`${pair.light},${pair.dark}`);
    expect(frame.header[0]?.title).toMatch(status === 'processing' ? /^:circle\.fill: 42 t\/s$/ : /^:[a-z.]+:$/);
  });

  it('uses distinct colours for the five states', () => {
    const distinct = new Set(Object.values(STATUS_COLORS).map((p) => p.light));
    expect(distinct.size).toBe(5);
  });

  it('writes every colour as #rrggbb', () => {
    const pairs = [RED, YELLOW, GREEN, BLUE, GREY, TEXT, DIM, ...Object.values(SERIES_STROKES)];
    for (const pair of pairs) {
      expect(pair.light).toMatch(/^#[0-9a-f]{6}$/);
      expect(pair.dark).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('keeps glyphs, strokes and text readable on both menu-bar appearances', () => {
    for (const pair of [RED, YELLOW, GREEN, BLUE, GREY, DIM, ...Object.values(SERIES_STROKES)]) {
      expect(contrast(pair.light, LIGHT_BAR), pair.light).toBeGreaterThanOrEqual(3);
      expect(contrast(pair.dark, DARK_BAR), pair.dark).toBeGreaterThanOrEqual(3);
    }
    expect(contrast(TEXT.light, '#ffffff')).toBeGreaterThanOrEqual(12);
    expect(contrast(TEXT.dark, '#1e1e1e')).toBeGreaterThanOrEqual(12);
  });

  it('dims idle models below normal text but keeps them legible', () => {
    expect(contrast(DIM.light, '#ffffff')).toBeLessThan(contrast(TEXT.light, '#ffffff'));
    expect(contrast(DIM.light, '#ffffff')).toBeGreaterThanOrEqual(4);
    expect(contrast(DIM.dark, '#1e1e1e')).toBeGreaterThanOrEqual(4);
  });
});

describe('sparkline series colours', () => {
  const S = SERIES_STROKES;
  const appearances = ['light', 'dark'] as const;
  // Series drawn one under the other: a model's submenu, and the System section.
  const together = [
    [S.genTps, S.promptTps, S.queue, S.memory],
    [S.cpu, S.memory, S.gpu],
  ];

  it.each(appearances)('gives every series its own colour in %s appearance, far apart where they meet', (appearance) => {
    const all = Object.values(S).map((pair) => pair[appearance]);
    for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) expect(deltaE(a, b), `${a} vs ${b}`).toBeGreaterThan(20);
    for (const group of together) {
      const colours = group.map((pair) => pair[appearance]);
      for (const [i, a] of colours.entries()) for (const b of colours.slice(i + 1)) expect(deltaE(a, b), `${a} vs ${b}`).toBeGreaterThan(30);
    }
  });

  it.each(appearances)('keeps Requests away from the error red and from GPU in %s appearance', (appearance) => {
    const queue = S.queue[appearance];
    expect(deltaE(queue, RED[appearance])).toBeGreaterThan(40);
    expect(hue(queue)).toBeGreaterThan(35); // amber/yellow, not red-orange (#c93400 is 16°)
    expect(hue(queue)).toBeLessThan(65);
    expect(deltaE(queue, S.gpu[appearance])).toBeGreaterThan(50);
  });
});
