/**
 * Re-encodes resvg's RGBA PNG as an indexed-colour PNG (PLTE + tRNS, 1/2/4/8 bits per pixel,
 * zlib level 9), keeping its pHYs chunk. A sparkline is one hue at many opacities (antialiased
 * edges, a fading area): `toOneHuePng` keeps only each pixel's alpha, snapped to a few levels,
 * so the palette is that hue at those alpha levels and the file stays a fraction of resvg's.
 * More than 256 colours (or anything unexpected) keeps the original.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { isPng, pngChunk } from './png.js';

/** Straight (not premultiplied) 8-bit RGBA pixels, row by row. */
export type RgbaImage = { readonly width: number; readonly height: number; readonly data: Uint8Array };

type Header = { readonly width: number; readonly height: number; readonly depth: number; readonly colorType: number; readonly interlace: number };
type Chunk = { readonly type: string; readonly data: Buffer };

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Samples per pixel by colour type: grey, -, RGB, indexed, grey+alpha, -, RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function chunks(png: Buffer): Chunk[] {
  const out: Chunk[] = [];
  for (let at = 8; at + 12 <= png.length; ) {
    const len = png.readUInt32BE(at);
    if (at + 12 + len > png.length) break;
    out.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + len) });
    at += len + 12;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the per-row filters in place; false on an unknown filter type or short data. */
function unfilter(raw: Uint8Array, rows: number, stride: number, bpp: number): Uint8Array | undefined {
  const out = new Uint8Array(rows * stride);
  for (let y = 0; y < rows; y++) {
    const type = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    if (type === undefined || src + stride > raw.length) return undefined;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i] ?? 0;
      const a = i >= bpp ? (out[row + i - bpp] ?? 0) : 0;
      const b = y > 0 ? (out[row - stride + i] ?? 0) : 0;
      const c = y > 0 && i >= bpp ? (out[row - stride + i - bpp] ?? 0) : 0;
      const predictor = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : type === 4 ? paeth(a, b, c) : -1;
      if (predictor < 0) return undefined;
      out[row + i] = (x + predictor) & 0xff;
    }
  }
  return out;
}

function header(ihdr: Buffer | undefined): Header | undefined {
  if (!ihdr || ihdr.length !== 13) return undefined;
  return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), depth: ihdr[8] ?? 0, colorType: ihdr[9] ?? 0, interlace: ihdr[12] ?? 0 };
}

/**
 * Decodes a non-interlaced PNG (grey, RGB, indexed, grey+alpha or RGBA; 8-bit, or 1/2/4/8-bit
 * indexed and grey) into RGBA, or undefined for anything else.
 */
export function decodePng(png: Buffer): RgbaImage | undefined {
  if (!isPng(png)) return undefined;
  const all = chunks(png);
  const h = header(all.find((c) => c.type === 'IHDR')?.data);
  const channels = h === undefined ? undefined : CHANNELS[h.colorType];
  if (!h || channels === undefined || h.interlace !== 0 || h.width === 0 || h.height === 0) return undefined;
  const subByte = h.colorType === 0 || h.colorType === 3;
  if (!(h.depth === 8 || (subByte && [1, 2, 4].includes(h.depth)))) return undefined;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(all.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  } catch {
    return undefined;
  }
  const bitsPerPixel = channels * h.depth;
  const stride = Math.ceil((h.width * bitsPerPixel) / 8);
  const pixels = unfilter(raw, h.height, stride, Math.max(1, bitsPerPixel >> 3));
  if (!pixels) return undefined;
  const plte = all.find((c) => c.type === 'PLTE')?.data;
  const trns = all.find((c) => c.type === 'tRNS')?.data;
  if (h.colorType === 3 && !plte) return undefined;
  // resvg writes 8-bit RGBA: the unfiltered rows are the pixels already.
  if (h.colorType === 6 && h.depth === 8) return { width: h.width, height: h.height, data: pixels };
  const data = new Uint8Array(h.width * h.height * 4);
  const maxSample = (1 << h.depth) - 1;
  for (let y = 0; y < h.height; y++) {
    for (let x = 0; x < h.width; x++) {
      const o = (y * h.width + x) * 4;
      if (subByte) {
        const bit = x * h.depth;
        const byte = pixels[y * stride + (bit >> 3)] ?? 0;
        const v = (byte >> (8 - h.depth - (bit & 7))) & maxSample;
        if (h.colorType === 3) {
          data[o] = plte?.[v * 3] ?? 0;
          data[o + 1] = plte?.[v * 3 + 1] ?? 0;
          data[o + 2] = plte?.[v * 3 + 2] ?? 0;
          data[o + 3] = trns?.[v] ?? 255;
        } else {
          const g = Math.round((v * 255) / maxSample);
          data.set([g, g, g, 255], o);
        }
        continue;
      }
      const p = y * stride + x * channels;
      const grey = channels < 3;
      data[o] = pixels[p] ?? 0;
      data[o + 1] = pixels[grey ? p : p + 1] ?? 0;
      data[o + 2] = pixels[grey ? p : p + 2] ?? 0;
      data[o + 3] = channels === 2 ? (pixels[p + 1] ?? 0) : channels === 4 ? (pixels[p + 3] ?? 0) : 255;
    }
  }
  return { width: h.width, height: h.height, data };
}

/** The image as an indexed PNG with the given extra chunks before IDAT, or undefined beyond 256 colours. */
export function encodeIndexedPng(image: RgbaImage, extraChunks: readonly Buffer[] = []): Buffer | undefined {
  const { width, height, data } = image;
  const index = new Map<number, number>();
  const colours: number[] = [];
  const keys = new Uint32Array(width * height);
  let last = -1; // runs of one colour skip the map lookup
  for (let p = 0; p < keys.length; p++) {
    const i = p * 4;
    // Every fully transparent pixel is the same colour (its RGB is never seen).
    const alpha = data[i + 3] ?? 0;
    const key = alpha === 0 ? 0 : (((data[i] ?? 0) << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | alpha) >>> 0;
    keys[p] = key;
    if (key !== last && !index.has(key)) {
      if (colours.length === 256) return undefined;
      index.set(key, -1);
      colours.push(key);
    }
    last = key;
  }
  // Translucent colours first, so tRNS stops at the last of them.
  colours.sort((a, b) => Number((a & 0xff) === 255) - Number((b & 0xff) === 255) || a - b);
  colours.forEach((c, i) => index.set(c, i));
  const depth = colours.length <= 2 ? 1 : colours.length <= 4 ? 2 : colours.length <= 16 ? 4 : 8;
  const stride = Math.ceil((width * depth) / 8);
  const raw = Buffer.alloc((stride + 1) * height); // filter byte 0 (None) per row: best for palettes
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = index.get(keys[y * width + x] ?? 0) ?? 0;
      if (v === 0) continue;
      const bit = x * depth;
      const at = y * (stride + 1) + 1 + (bit >> 3);
      raw[at] = (raw[at] ?? 0) | (v << (8 - depth - (bit & 7)));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([depth, 3, 0, 0, 0], 8);
  const plte = Buffer.alloc(colours.length * 3);
  colours.forEach((c, i) => plte.set([c >>> 24, (c >>> 16) & 0xff, (c >>> 8) & 0xff], i * 3));
  const alphas = colours.map((c) => c & 0xff);
  const translucent = alphas.filter((a) => a !== 255).length;
  return Buffer.concat([
    SIGNATURE,
    pngChunk('IHDR', ihdr),
    ...extraChunks,
    pngChunk('PLTE', plte),
    ...(translucent > 0 ? [pngChunk('tRNS', Uint8Array.from(alphas.slice(0, translucent)))] : []),
    pngChunk('IDAT', deflateSync(raw, { level: 9, memLevel: 9 })),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * The image in one colour: every pixel takes `rgb`, keeping its alpha rounded to one of `levels`
 * evenly spaced steps (0 and 255 included). resvg un-premultiplies antialiased pixels, which
 * scatters their RGB by rounding; a drawing made of one hue loses nothing by this.
 */
export function oneHue(image: RgbaImage, rgb: readonly [number, number, number], levels = 256): RgbaImage {
  const data = new Uint8Array(image.data.length);
  const steps = Math.max(1, Math.min(255, levels - 1));
  for (let i = 0; i < data.length; i += 4) {
    const alpha = Math.round((Math.round(((image.data[i + 3] ?? 0) * steps) / 255) * 255) / steps);
    if (alpha === 0) continue;
    data[i] = rgb[0];
    data[i + 1] = rgb[1];
    data[i + 2] = rgb[2];
    data[i + 3] = alpha;
  }
  return { width: image.width, height: image.height, data };
}

/** `#rrggbb` as its three bytes, or undefined. */
export function hexRgb(hex: string): readonly [number, number, number] | undefined {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1] ?? '0', 16), parseInt(m[2] ?? '0', 16), parseInt(m[3] ?? '0', 16)] : undefined;
}

/**
 * A drawing in one hue as an indexed PNG whose palette is that hue at up to `levels` alpha levels
 * (pHYs carried over); the input when it cannot be decoded or the colour is not `#rrggbb`.
 */
export function toOneHuePng(png: Buffer, color: string, levels = 16): Buffer {
  const image = decodePng(png);
  const rgb = hexRgb(color);
  if (!image || !rgb) return png;
  const phys = chunks(png).find((c) => c.type === 'pHYs');
  return encodeIndexedPng(oneHue(image, rgb, levels), phys ? [pngChunk('pHYs', phys.data)] : []) ?? png;
}

/** The smaller of the PNG and its indexed re-encoding (pHYs carried over); the input when it cannot be re-encoded. */
export function toIndexedPng(png: Buffer): Buffer {
  const image = decodePng(png);
  if (!image) return png;
  const phys = chunks(png).find((c) => c.type === 'pHYs');
  const indexed = encodeIndexedPng(image, phys ? [pngChunk('pHYs', phys.data)] : []);
  return indexed !== undefined && indexed.length < png.length ? indexed : png;
}
