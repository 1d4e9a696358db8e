import type * as SatoriModule from 'satori';
import type * as ResvgModule from '@resvg/resvg-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Wrap the real libraries in spies so a cache hit can be shown to call neither.
vi.mock('satori', async (importOriginal) => {
  const real = await importOriginal<typeof SatoriModule>();
  return { ...real, default: vi.fn(real.default) };
});
vi.mock('@resvg/resvg-js', async (importOriginal) => {
  const real = await importOriginal<typeof ResvgModule>();
  return { ...real, Resvg: vi.fn(function (this: unknown, ...args: ConstructorParameters<typeof real.Resvg>) { return new real.Resvg(...args); }) };
});

import satori from 'satori';
import { Resvg } from '@resvg/resvg-js';
import { decodePng, type DecodedPng, type Rgba } from '../../../scripts/preview/decode-png.js';
import { chunkTypes, crc32, physChunk, pngSize } from '../../../src/reconciler/sparkline/png.js';
import { downsample, sparklineSegments, valueRange } from '../../../src/reconciler/sparkline/geometry.js';
import {
  cachedSparkline,
  renderSparkline,
  resetSparklineCache,
  sparklineCacheStats,
  type SparklineSpec,
} from '../../../src/reconciler/sparkline/rasterize.js';

/** Decodes with the preview's decoder after checking the plugin wrote an indexed-colour PNG. */
function decode(png: Buffer): DecodedPng {
  expect([png[25], png[28]]).toEqual([3, 0]);
  const decoded = decodePng(png);
  if (!decoded) throw new Error('not a decodable PNG');
  return decoded;
}

function inkPixels(d: DecodedPng): Rgba[] {
  const found: Rgba[] = [];
  for (let y = 0; y < d.height; y++) for (let x = 0; x < d.width; x++) {
    const p = d.pixel(x, y);
    if (p[3] > 0) found.push(p);
  }
  return found;
}

function alphaLevels(d: DecodedPng): Set<number> {
  return new Set(inkPixels(d).map((p) => p[3]));
}

function opaquePixels(d: DecodedPng): Rgba[] {
  const found: Rgba[] = [];
  for (let y = 0; y < d.height; y++) for (let x = 0; x < d.width; x++) {
    const p = d.pixel(x, y);
    if (p[3] === 255) found.push(p);
  }
  return found;
}

const ramp = Array.from({ length: 50 }, (_, i) => i);
const spec = (over: Partial<SparklineSpec> = {}): SparklineSpec => ({ values: ramp, width: 60, height: 20, color: '#3478f6', ...over });

beforeEach(() => resetSparklineCache());
afterEach(() => vi.clearAllMocks());

describe('png helpers', () => {
  it('builds exactly the 21-byte 144 dpi pHYs chunk from the spec', () => {
    expect(physChunk().toString('hex')).toBe('00000009704859730000162500001625014952' + '24f0');
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

describe('geometry', () => {
  it('downsamples by bucket max and keeps all-NaN buckets as gaps', () => {
    expect(downsample([1, 5, 2, 2, NaN, NaN], 3)).toEqual([5, 2, NaN]);
    expect(downsample([1, 2], 5)).toEqual([1, 2]);
  });
  it('never draws more points than device pixels', () => {
    const long = Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const points = sparklineSegments({ values: long, pixelWidth: 120, pixelHeight: 40, strokeWidth: 2 }).flat();
    expect(points.length).toBeLessThanOrEqual(120);
  });
  it('breaks the line at NaN and keeps a lone value as one point (drawn as a dot)', () => {
    const segments = sparklineSegments({ values: [1, 2, NaN, 3, NaN, NaN, 4, 5], pixelWidth: 120, pixelHeight: 40, strokeWidth: 2 });
    expect(segments.map((s) => s.length)).toEqual([2, 1, 2]);
  });
  it('gives constant and empty series a non-empty range', () => {
    expect(valueRange([5, 5, 5])).toEqual([0, 5]);
    expect(valueRange([0, 0])).toEqual([0, 1]);
    expect(valueRange([])).toEqual([0, 1]);
    expect(valueRange([-2, 3])).toEqual([-2, 3]);
    expect(valueRange([1, 2], 10, 20)).toEqual([10, 20]);
  });
});

describe('renderSparkline', () => {
  it('writes a 2x PNG with a 144 dpi pHYs chunk right after IHDR', async () => {
    const png = Buffer.from(await renderSparkline(spec()), 'base64');
    expect(pngSize(png)).toEqual({ width: 120, height: 40 });
    expect(chunkTypes(png).slice(0, 2)).toEqual(['IHDR', 'pHYs']);
    expect(png.readUInt32BE(41)).toBe(5669);
    expect(png.readUInt32BE(45)).toBe(5669);
    expect(png[49]).toBe(1);
  });

  it('draws in the stroke colour only, and light and dark strokes differ', async () => {
    const light = decode(Buffer.from(await renderSparkline(spec({ color: '#1f6feb' })), 'base64'));
    const dark = decode(Buffer.from(await renderSparkline(spec({ color: '#ffd33d' })), 'base64'));
    expect(opaquePixels(light).length).toBeGreaterThan(100);
    // Line, area and baseline are one hue: every visible pixel has the stroke's RGB.
    expect(new Set(inkPixels(light).map((p) => p.slice(0, 3).join(',')))).toEqual(new Set(['31,111,235']));
    expect(new Set(inkPixels(dark).map((p) => p.slice(0, 3).join(',')))).toEqual(new Set(['255,211,61']));
    // The ramp rises left to right: the line starts bottom-left and ends top-right; above it is empty.
    expect(light.pixel(1, 38)[3]).toBe(255);
    expect(light.pixel(116, 1)[3]).toBe(255);
    expect(light.pixel(2, 2)[3]).toBe(0);
  });

  it('is antialiased: many alpha levels, translucent pixels along the sloping line', async () => {
    const png = decode(Buffer.from(await renderSparkline(spec()), 'base64'));
    expect(alphaLevels(png).size).toBeGreaterThan(2);
    expect(alphaLevels(png).size).toBeGreaterThan(8);
    // On a straight slope the topmost inked pixel of most columns is the line's soft edge.
    const line = decode(Buffer.from(await renderSparkline(spec({ values: [0, 10] })), 'base64'));
    const tops = Array.from({ length: 100 }, (_, i) => {
      const column = Array.from({ length: 40 }, (_, y) => line.pixel(i + 10, y)[3]);
      return column.find((a) => a > 0) ?? 0;
    });
    expect(tops.every((a) => a > 0)).toBe(true);
    expect(tops.filter((a) => a < 255).length).toBeGreaterThan(50);
  });

  it('fills the area under the line, fading towards the bottom, with nothing above the line', async () => {
    const png = decode(Buffer.from(await renderSparkline(spec({ values: [5, 5, 5, 5], max: 10 })), 'base64'));
    // A flat line at half height: y ≈ 20. Above it transparent, below it a translucent area.
    const column = Array.from({ length: 40 }, (_, y) => png.pixel(60, y)[3]);
    expect(column.slice(0, 15).every((a) => a === 0)).toBe(true);
    expect(column[20]).toBe(255);
    const area = column.slice(24, 38);
    expect(area.every((a) => a > 0 && a < 128)).toBe(true);
    expect(area[0]).toBeGreaterThan(area[area.length - 1] ?? 255); // fades downwards
  });

  it('draws a faint baseline across the whole width, even where there is no data', async () => {
    const png = decode(Buffer.from(await renderSparkline(spec({ values: [NaN, NaN, NaN, 1, 2] })), 'base64'));
    const bottom = Array.from({ length: 120 }, (_, x) => png.pixel(x, 39)[3]);
    expect(bottom.every((a) => a > 0)).toBe(true);
    expect(bottom[5]).toBeLessThan(96); // where no data: the baseline alone, faint
    expect(png.pixel(5, 30)[3]).toBe(0);
  });

  it('draws a lone first sample as a small round dot at the newest end, not a block', async () => {
    const values = [...Array.from({ length: 299 }, () => NaN), 4];
    const png = decode(Buffer.from(await renderSparkline(spec({ values, max: 8 })), 'base64'));
    const ink: [number, number, number][] = [];
    for (let y = 0; y < 39; y++) for (let x = 0; x < 120; x++) if (png.pixel(x, y)[3] > 0) ink.push([x, y, png.pixel(x, y)[3]]);
    const xs = ink.map(([x]) => x);
    const ys = ink.map(([, y]) => y);
    expect(Math.min(...xs)).toBeGreaterThan(110); // at the right edge, where the newest sample goes
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThanOrEqual(6);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThanOrEqual(6);
    // Round: its bounding box corners are fainter than its centre.
    const solid = ink.filter(([, , a]) => a === 255).length;
    expect(solid).toBeGreaterThan(0);
    expect(solid).toBeLessThan(ink.length);
  });

  it('serves a cache hit without calling satori or resvg', async () => {
    const first = await renderSparkline(spec());
    expect(vi.mocked(satori)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(Resvg)).toHaveBeenCalledTimes(1);
    expect(cachedSparkline(spec())).toBe(first);
    expect(await renderSparkline(spec())).toBe(first);
    expect(vi.mocked(satori)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(Resvg)).toHaveBeenCalledTimes(1);
    expect(sparklineCacheStats()).toEqual({ hits: 2, misses: 1, size: 1 });
  });

  it('misses for a different colour, size or range, and shares concurrent renders', async () => {
    expect(cachedSparkline(spec())).toBeUndefined();
    await Promise.all([renderSparkline(spec()), renderSparkline(spec())]);
    expect(vi.mocked(satori)).toHaveBeenCalledTimes(1);
    expect(cachedSparkline(spec({ color: '#000000' }))).toBeUndefined();
    expect(cachedSparkline(spec({ width: 61 }))).toBeUndefined();
    expect(cachedSparkline(spec({ max: 100 }))).toBeUndefined();
  });

  it('survives NaN gaps, constant, empty and all-NaN series', async () => {
    for (const values of [[1, NaN, 3, Infinity, 5], [7, 7, 7], [], [NaN, NaN]]) {
      const png = Buffer.from(await renderSparkline(spec({ values })), 'base64');
      expect(pngSize(png)).toEqual({ width: 120, height: 40 });
    }
    const empty = decode(Buffer.from(await renderSparkline(spec({ values: [] })), 'base64'));
    expect(opaquePixels(empty)).toEqual([]);
  });

  it('keeps three long antialiased 60x20 pt sparklines well under 12 KB of base64', async () => {
    const noisy = (seed: number) => Array.from({ length: 300 }, (_, i) => 50 + 40 * Math.sin(i / (7 + seed)) + ((i * 7919 * seed) % 13));
    const images = await Promise.all([1, 2, 3].map((s) => renderSparkline(spec({ values: noisy(s) }))));
    expect(images.reduce((n, b64) => n + b64.length, 0)).toBeLessThan(6000);
  });
});

describe('geometry memo', () => {
  it('notices a values array mutated in place', async () => {
    const values = [1, 2, 3, 4];
    const before = await renderSparkline(spec({ values }));
    values[3] = 0;
    expect(cachedSparkline(spec({ values }))).toBeUndefined();
    const after = await renderSparkline(spec({ values }));
    expect(after).not.toBe(before);
    values[3] = 4;
    expect(cachedSparkline(spec({ values }))).toBe(before);
  });
});
