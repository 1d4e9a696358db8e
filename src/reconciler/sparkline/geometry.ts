/**
 * Pure sparkline geometry: values → device-pixel polylines. Long histories are downsampled to at
 * most one point per device pixel by bucket maximum (so short spikes stay visible); NaN and other
 * non-finite values break the line.
 */

export type Point = readonly [x: number, y: number];
export type Segment = readonly Point[];

export type GeometryInput = {
  readonly values: readonly number[];
  /** Canvas size in device pixels. */
  readonly pixelWidth: number;
  readonly pixelHeight: number;
  readonly min?: number;
  readonly max?: number;
  /** Stroke width in device pixels; the line is inset by half of it. */
  readonly strokeWidth: number;
};

/** Device pixels per point; SwiftBar reads the pHYs chunk to scale back. */
export const PIXEL_DENSITY = 2;

/** Reduces `values` to at most `buckets` entries, each the max of its finite members (NaN if none). */
export function downsample(values: readonly number[], buckets: number): number[] {
  const n = values.length;
  if (n <= buckets) return values.slice();
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let best = Number.NaN;
    for (let i = from; i < to; i++) {
      const v = values[i] ?? Number.NaN;
      if (Number.isFinite(v) && !(v <= best)) best = v;
    }
    out.push(best);
  }
  return out;
}

/** Vertical range: explicit bounds win; otherwise the data's min (never above 0) to its max. */
export function valueRange(values: readonly number[], min?: number, max?: number): readonly [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const from = min ?? (Number.isFinite(lo) ? Math.min(0, lo) : 0);
  let to = max ?? (Number.isFinite(hi) ? hi : 1);
  if (!(to > from)) to = from + 1; // constant or empty series: flat line, no division by zero
  return [from, to];
}

/** Integer pixel polylines, one per run of finite values; a lone value stays one point (drawn as a dot). */
export function sparklineSegments(input: GeometryInput): Segment[] {
  const { pixelWidth: w, pixelHeight: h, strokeWidth } = input;
  const pad = Math.ceil(strokeWidth / 2);
  const usableW = Math.max(1, w - 2 * pad);
  const usableH = Math.max(0, h - 2 * pad);
  const values = downsample(input.values, usableW);
  const [lo, hi] = valueRange(values, input.min, input.max);
  const n = values.length;
  const segments: Segment[] = [];
  let current: Point[] = [];
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      if (current.length > 0) segments.push(current);
      current = [];
      return;
    }
    const x = n === 1 ? w / 2 : pad + (i * (usableW - 1)) / (n - 1);
    const t = (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo);
    current.push([Math.round(x), Math.round(h - pad - t * usableH)]);
  });
  if (current.length > 0) segments.push(current);
  return segments;
}

/** Compact text of the segments, used in the cache key and the SVG `points` attribute. */
export function segmentPoints(segment: Segment): string {
  return segment.map(([x, y]) => `${x},${y}`).join(' ');
}
