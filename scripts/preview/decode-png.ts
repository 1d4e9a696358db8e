/**
 * Minimal PNG decoder for 8-bit RGB/RGBA, non-interlaced images (what resvg writes): enough for
 * the preview to turn a sparkline image back into block characters, and for tests to read pixels.
 */
import { inflateSync } from 'node:zlib';

export type Rgba = readonly [r: number, g: number, b: number, a: number];

export type DecodedPng = {
  readonly width: number;
  readonly height: number;
  /** Pixel at (x, y); RGB images report alpha 255. */
  readonly pixel: (x: number, y: number) => Rgba;
};

const SIGNATURE = '89504e470d0a1a0a';

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a PNG, or returns undefined for anything but 8-bit RGB/RGBA without interlacing. */
export function decodePng(png: Buffer): DecodedPng | undefined {
  if (png.length < 33 || png.toString('hex', 0, 8) !== SIGNATURE) return undefined;
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [depth, colorType, interlace] = [png[24], png[25], png[28]];
  if (depth !== 8 || (colorType !== 6 && colorType !== 2) || interlace !== 0) return undefined;
  const channels = colorType === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length; ) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += len + 12;
  }
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return undefined;
  }
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) return undefined;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] ?? 0;
      const a = i >= channels ? (out[y * stride + i - channels] ?? 0) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + i] ?? 0) : 0;
      const c = i >= channels && y > 0 ? (out[(y - 1) * stride + i - channels] ?? 0) : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter] ?? 0;
      out[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  return {
    width,
    height,
    pixel: (x, y) => {
      const o = y * stride + x * channels;
      return [out[o] ?? 0, out[o + 1] ?? 0, out[o + 2] ?? 0, channels === 4 ? (out[o + 3] ?? 0) : 255];
    },
  };
}
