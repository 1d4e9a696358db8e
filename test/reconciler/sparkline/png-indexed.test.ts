import { Resvg } from '@resvg/resvg-js';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng, encodeIndexedPng, hexRgb, oneHue, toIndexedPng, toOneHuePng, type RgbaImage } from '../../../src/reconciler/sparkline/png-indexed.js';
import { chunkTypes, pngChunk, withPhys144 } from '../../../src/reconciler/sparkline/png.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** An 8-bit RGBA PNG, row y filtered with type y % 5 (so decoding exercises every filter). */
function rgbaPng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const type = y % 5;
    raw[y * (stride + 1)] = type;
    for (let i = 0; i < stride; i++) {
      const x = data[y * stride + i] ?? 0;
      const a = i >= 4 ? (data[y * stride + i - 4] ?? 0) : 0;
      const b = y > 0 ? (data[(y - 1) * stride + i] ?? 0) : 0;
      const c = y > 0 && i >= 4 ? (data[(y - 1) * stride + i - 4] ?? 0) : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type] ?? 0;
      raw[y * (stride + 1) + 1 + i] = (x - pred) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0))]);
}

/** An image whose pixel (x, y) takes colour `pick(x, y)` from `palette`. */
function imageOf(width: number, height: number, palette: readonly (readonly number[])[], pick: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(palette[pick(x, y) % palette.length] ?? [0, 0, 0, 0], (y * width + x) * 4);
  return { width, height, data };
}

/** A real aliased sparkline from resvg (what the plugin re-encodes). */
function resvgSparkline(): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">
    <polyline points="1,38 20,10 40,30 60,5 80,25 100,12 119,20" fill="none" stroke="#1f6feb" stroke-width="2" shape-rendering="crispEdges"/></svg>`;
  return withPhys144(new Resvg(svg, { font: { loadSystemFonts: false }, shapeRendering: 0 }).render().asPng());
}

const pixels = (png: Buffer): Buffer => Buffer.from(decodePng(png)?.data ?? new Uint8Array(0));
const ihdrByte = (png: Buffer, at: number): number => png[16 + at] ?? -1;

describe('toIndexedPng', () => {
  it('turns a resvg sparkline into a smaller palette PNG with the same pixels and its pHYs', () => {
    const rgba = resvgSparkline();
    const indexed = toIndexedPng(rgba);
    expect(ihdrByte(indexed, 9)).toBe(3); // colour type: indexed
    expect(ihdrByte(indexed, 8)).toBe(1); // two colours: one bit per pixel
    expect(chunkTypes(indexed)).toEqual(['IHDR', 'pHYs', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
    expect(indexed.length).toBeLessThan(rgba.length / 2);
    expect(pixels(indexed).equals(pixels(rgba))).toBe(true);
  });

  it('decodes to the same pixels in resvg, an independent PNG decoder', () => {
    const rgba = resvgSparkline();
    const indexed = toIndexedPng(rgba);
    // resvg draws the palette PNG 1:1 onto a canvas of its size; that must reproduce the original.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40">
      <image width="120" height="40" xlink:href="data:image/png;base64,${indexed.toString('base64')}"/></svg>`;
    const redrawn = new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng();
    expect(pixels(redrawn).equals(pixels(rgba))).toBe(true);
  });

  it('decodes every row filter and picks the smallest bit depth that fits', () => {
    const colours = (n: number): number[][] => Array.from({ length: n }, (_, i) => [i * 7, 255 - i * 3, (i * 53) % 256, 255]);
    for (const [n, depth] of [[2, 1], [3, 2], [4, 2], [5, 4], [16, 4], [17, 8], [256, 8]] as const) {
      const image = imageOf(37, 23, colours(n), (x, y) => x * 3 + y * 5);
      const rgba = rgbaPng(image);
      expect(pixels(rgba).equals(Buffer.from(image.data))).toBe(true);
      const indexed = encodeIndexedPng(image);
      expect(indexed && ihdrByte(indexed, 8)).toBe(depth);
      expect(indexed && pixels(indexed).equals(Buffer.from(image.data))).toBe(true);
    }
  });

  it('keeps translucent colours through tRNS and treats every fully transparent pixel as one colour', () => {
    const palette = [[10, 20, 30, 0], [99, 99, 99, 0], [200, 10, 10, 128], [0, 0, 255, 255]];
    const image = imageOf(20, 10, palette, (x, y) => (x + y) % 4);
    const indexed = encodeIndexedPng(image);
    expect(indexed).toBeDefined();
    const decoded = decodePng(indexed ?? Buffer.alloc(0));
    expect(ihdrByte(indexed ?? Buffer.alloc(0), 8)).toBe(2); // 3 distinct colours once transparency is merged
    for (let p = 0; p < 200; p++) {
      const want = image.data.subarray(p * 4, p * 4 + 4);
      const got = decoded?.data.subarray(p * 4, p * 4 + 4);
      if (want[3] === 0) expect(got?.[3]).toBe(0);
      else expect(Buffer.from(got ?? []).equals(Buffer.from(want))).toBe(true);
    }
  });

  it('returns the input beyond 256 colours, and for input it cannot decode', () => {
    const many = rgbaPng(imageOf(300, 2, Array.from({ length: 300 }, (_, i) => [i & 0xff, i >> 8, 7, 255]), (x) => x));
    expect(encodeIndexedPng(decodePng(many) ?? { width: 0, height: 0, data: new Uint8Array(0) })).toBeUndefined();
    expect(toIndexedPng(many)).toBe(many);
    const junk = Buffer.from('not a png at all, not even close to thirty-three bytes long');
    expect(toIndexedPng(junk)).toBe(junk);
    const truncated = resvgSparkline().subarray(0, 60);
    expect(toIndexedPng(truncated)).toBe(truncated);
  });
});

describe('toOneHuePng', () => {
  it('keeps each pixel\'s alpha, snapped to the given levels, in one colour', () => {
    // RGB scattered by un-premultiplying, alphas 0..255: one hue afterwards, 5 levels at most.
    const image = imageOf(64, 4, Array.from({ length: 256 }, (_, a) => [a % 7, 200 - (a % 5), 9, a]), (x, y) => x * 4 + y);
    const tinted = oneHue(image, [1, 2, 3], 5);
    const alphas = new Set<number>();
    for (let p = 0; p < 256; p++) {
      const [r, g, b, a] = tinted.data.subarray(p * 4, p * 4 + 4);
      alphas.add(a ?? -1);
      if (a !== 0) expect([r, g, b]).toEqual([1, 2, 3]);
      expect(Math.abs((a ?? 0) - (image.data[p * 4 + 3] ?? 0))).toBeLessThanOrEqual(32);
    }
    expect([...alphas].sort((x, y) => x - y)).toEqual([0, 64, 128, 191, 255]);
  });

  it('writes a palette of that hue at many alpha levels and keeps pHYs; leaves bad input alone', () => {
    const image = imageOf(40, 10, Array.from({ length: 40 }, (_, a) => [30, 60, 90, a * 6]), (x) => x);
    const png = withPhys144(rgbaPng(image));
    const out = toOneHuePng(png, '#1e3c5a', 32);
    expect(ihdrByte(out, 9)).toBe(3);
    expect(chunkTypes(out)).toContain('pHYs');
    const decoded = decodePng(out);
    const levels = new Set<number>();
    for (let p = 0; p < 400; p++) if ((decoded?.data[p * 4 + 3] ?? 0) > 0) levels.add(decoded?.data[p * 4 + 3] ?? 0);
    expect(levels.size).toBeGreaterThan(2);
    expect(hexRgb('#1e3c5a')).toEqual([30, 60, 90]);
    expect(hexRgb('red')).toBeUndefined();
    expect(toOneHuePng(png, 'red')).toBe(png);
    const junk = Buffer.from('not a png');
    expect(toOneHuePng(junk, '#000000')).toBe(junk);
  });
});
