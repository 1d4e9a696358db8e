/**
 * The SVG of one sparkline, written directly: one polyline per unbroken run of values on a
 * transparent canvas. Crisp edges keep the PNG at a two-colour palette. (satori produced the same
 * polylines wrapped in an <image>; writing them ourselves renders the same pixels without loading
 * satori and its WebAssembly layout engine, ~100 ms at start and ~10 MB resident.)
 */
import { segmentPoints, type Segment } from './geometry.js';

export type ChartSvgInput = {
  readonly segments: readonly Segment[];
  /** Canvas size in device pixels. */
  readonly pixelWidth: number;
  readonly pixelHeight: number;
  /** A CSS colour (the primitives pass `#rrggbb`). */
  readonly color: string;
  readonly strokeWidth: number;
};

const escapeAttr = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** SVG text for resvg. */
export function sparklineSvg({ segments, pixelWidth: w, pixelHeight: h, color, strokeWidth }: ChartSvgInput): string {
  const stroke = `fill="none" stroke="${escapeAttr(color)}" stroke-width="${strokeWidth}" stroke-linejoin="round" stroke-linecap="square" shape-rendering="crispEdges"`;
  const lines = segments.map((s) => `<polyline points="${segmentPoints(s)}" ${stroke}/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${lines}</svg>`;
}
