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
    expect(frame.header[0]?.title).toMatch(status === 'processing' ? /^:circle\.fill: 42$/ : /^:[a-z.]+:$/);
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
