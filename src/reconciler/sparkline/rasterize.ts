/**
 * Sparkline images: spec → geometry → satori SVG → antialiased resvg PNG (2x pixels, 144 dpi
 * pHYs) → indexed PNG of one hue at many alpha levels → base64,
 * behind a content-keyed LRU cache. satori and resvg load lazily on the first cache miss because
 * importing them costs ~150 ms at start.
 */
import type { HexColor } from '../element-props.js';
import { cacheGet, cacheMiss, cacheReset, cacheSet, cacheStats, chartKey, type CacheStats } from './cache.js';
import { SparklineChart } from './chart.js';
import { PIXEL_DENSITY, sparklineSegments, type Segment } from './geometry.js';
import { toOneHuePng } from './png-indexed.js';
import { withPhys144 } from './png.js';

export type SparklineSpec = {
  readonly values: readonly number[];
  /** Width and height in points; the PNG has twice as many pixels. */
  readonly width: number;
  readonly height: number;
  readonly color: HexColor;
  readonly min?: number;
  readonly max?: number;
};

type Prepared = {
  readonly key: string;
  readonly segments: readonly Segment[];
  readonly pixelWidth: number;
  readonly pixelHeight: number;
  readonly color: HexColor;
};

type Engine = {
  readonly toSvg: (element: ReturnType<typeof SparklineChart>, width: number, height: number) => Promise<string>;
  readonly toPng: (svg: string) => Buffer;
};

/** Stroke width in device pixels (1 pt). */
const STROKE_PX = 2;
/**
 * Alpha levels in the palette: 32 keep the edges and the fading area smooth at 2x (bands are
 * invisible at menu size) with three long 60x20 pt charts at ~4.3 KB of base64 (64 levels:
 * 5.2 KB, 256: 7.6 KB, 16 shows bands in the area).
 */
export const ALPHA_LEVELS = 32;
/** Bumped whenever the drawing changes, so a cache (in memory or saved) never serves an old look. */
const DRAWING_VERSION = 'aa1';

let engine: Promise<Engine> | undefined;
// Geometry per values array: a re-render with the same history array skips the downsampling.
// Each entry keeps a copy of the values it was computed from, so an array mutated in place is
// detected (comparing 300 numbers costs far less than recomputing).
type Memo = { readonly copy: Float64Array; readonly byVariant: Map<string, Prepared> };
const prepared = new WeakMap<readonly number[], Memo>();

function sameValues(copy: Float64Array, values: readonly number[]): boolean {
  if (copy.length !== values.length) return false;
  for (let i = 0; i < copy.length; i++) if (!Object.is(copy[i], values[i])) return false;
  return true;
}
const inFlight = new Map<string, Promise<string>>();

async function loadEngine(): Promise<Engine> {
  const [{ default: satori }, { Resvg }] = await Promise.all([import('satori'), import('@resvg/resvg-js')]);
  return {
    toSvg: (element, width, height) => satori(element, { width, height, fonts: [] }),
    // Antialiased (resvg's default geometricPrecision): the palette of one hue carries the edges.
    toPng: (svg) => new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng(),
  };
}

function prepare(spec: SparklineSpec): Prepared {
  const variant = `${spec.width}x${spec.height}|${spec.color}|${String(spec.min)}|${String(spec.max)}`;
  let memo = prepared.get(spec.values);
  if (memo && !sameValues(memo.copy, spec.values)) memo = undefined;
  const known = memo?.byVariant.get(variant);
  if (known) return known;
  const p = computePrepared(spec);
  if (!memo) prepared.set(spec.values, (memo = { copy: Float64Array.from(spec.values), byVariant: new Map() }));
  // Few variants per array in practice (light/dark); the bound only guards against misuse.
  if (memo.byVariant.size >= 8) memo.byVariant.clear();
  memo.byVariant.set(variant, p);
  return p;
}

function computePrepared(spec: SparklineSpec): Prepared {
  const pixelWidth = Math.max(1, Math.round(spec.width * PIXEL_DENSITY));
  const pixelHeight = Math.max(1, Math.round(spec.height * PIXEL_DENSITY));
  const segments = sparklineSegments({
    values: spec.values,
    pixelWidth,
    pixelHeight,
    strokeWidth: STROKE_PX,
    ...(spec.min === undefined ? {} : { min: spec.min }),
    ...(spec.max === undefined ? {} : { max: spec.max }),
  });
  // The key is what gets drawn, so different histories with the same pixels share one entry.
  const key = `${DRAWING_VERSION}|${chartKey(pixelWidth, pixelHeight, spec.color, segments)}`;
  return { key, segments, pixelWidth, pixelHeight, color: spec.color };
}

async function rasterize(p: Prepared): Promise<string> {
  engine ??= loadEngine();
  const { toSvg, toPng } = await engine;
  const element = SparklineChart({ segments: p.segments, pixelWidth: p.pixelWidth, pixelHeight: p.pixelHeight, color: p.color, strokeWidth: STROKE_PX });
  const svg = await toSvg(element, p.pixelWidth, p.pixelHeight);
  // One hue at ALPHA_LEVELS opacities: an indexed PNG is a fraction of resvg's RGBA one.
  return toOneHuePng(withPhys144(toPng(svg)), p.color, ALPHA_LEVELS).toString('base64');
}

/** The cached base64 PNG for this spec, or undefined (synchronous; never loads satori). */
export function cachedSparkline(spec: SparklineSpec): string | undefined {
  return cacheGet(prepare(spec).key);
}

/** A short content key for a spec (what is drawn); cheaper than serialising the values. */
export function sparklineKey(spec: SparklineSpec): string {
  return prepare(spec).key;
}

/** Renders (or fetches from cache) the base64 PNG for this spec; concurrent equal requests share one render. */
export function renderSparkline(spec: SparklineSpec): Promise<string> {
  const p = prepare(spec);
  const hit = cacheGet(p.key);
  if (hit !== undefined) return Promise.resolve(hit);
  const pending = inFlight.get(p.key);
  if (pending) return pending;
  cacheMiss();
  const job = rasterize(p).then(
    (png) => {
      inFlight.delete(p.key);
      cacheSet(p.key, png);
      return png;
    },
    (error: unknown) => {
      inFlight.delete(p.key);
      throw error;
    },
  );
  inFlight.set(p.key, job);
  return job;
}

/** Cache counters: hits are lookups served from cache, misses are renders started. */
export function sparklineCacheStats(): CacheStats {
  return cacheStats();
}

/** Clears the cache and counters (tests and the benchmark's cold runs); keeps the loaded engine. */
export function resetSparklineCache(): void {
  cacheReset();
  inFlight.clear();
}
