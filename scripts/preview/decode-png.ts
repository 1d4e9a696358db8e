/**
 * PNG pixels for the preview (sparkline images back into block characters) and for tests: a
 * pixel-lookup view over the plugin's own decoder, which reads resvg's RGBA PNGs and the
 * indexed-colour PNGs the plugin actually emits.
 */
import { decodePng as decodeRgba } from '../../src/reconciler/sparkline/png-indexed.js';

export type Rgba = readonly [r: number, g: number, b: number, a: number];

export type DecodedPng = {
  readonly width: number;
  readonly height: number;
  /** Pixel at (x, y); images without alpha report 255. */
  readonly pixel: (x: number, y: number) => Rgba;
};

/** Decodes a non-interlaced PNG (8-bit RGB/RGBA/grey, or indexed), or returns undefined. */
export function decodePng(png: Buffer): DecodedPng | undefined {
  const image = decodeRgba(png);
  if (!image) return undefined;
  const { width, height, data } = image;
  return {
    width,
    height,
    pixel: (x, y) => {
      const o = (y * width + x) * 4;
      return [data[o] ?? 0, data[o + 1] ?? 0, data[o + 2] ?? 0, data[o + 3] ?? 0];
    },
  };
}
