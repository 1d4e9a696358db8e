/**
 * Bounded LRU cache of rendered sparklines, keyed by what is drawn (size, colour and the pixel
 * geometry), so identical charts skip satori and resvg. Counts hits and misses for tests/bench.
 */

export type CacheStats = { readonly hits: number; readonly misses: number; readonly size: number };

/** Most entries kept; a menu has a handful of charts, each changing every poll. */
export const SPARKLINE_CACHE_CAPACITY = 300;

const entries = new Map<string, string>();
let hits = 0;
let misses = 0;
/** Bumped by every store, so a persisted copy knows whether it is behind. */
let version = 0;

/** Returns the cached base64 PNG and marks it recently used, counting a hit. */
export function cacheGet(key: string): string | undefined {
  const value = entries.get(key);
  if (value === undefined) return undefined;
  hits++;
  entries.delete(key);
  entries.set(key, value);
  return value;
}

/** Stores a value, evicting the least recently used entry beyond capacity. */
export function cacheSet(key: string, value: string): void {
  version++;
  entries.delete(key);
  entries.set(key, value);
  while (entries.size > SPARKLINE_CACHE_CAPACITY) {
    const oldest = entries.keys().next();
    if (oldest.done === true) break;
    entries.delete(oldest.value);
  }
}

/** Counts one rasterisation (a miss is a render, not a failed lookup, so peeking twice is free). */
export function cacheMiss(): void {
  misses++;
}

/** Hit/miss counters and current size. */
export function cacheStats(): CacheStats {
  return { hits, misses, size: entries.size };
}

/** Empties the cache and zeroes the counters (tests, benchmark). */
export function cacheReset(): void {
  entries.clear();
  hits = 0;
  misses = 0;
}

/** Changes whenever an entry was stored (cacheEntries would give something new). */
export function cacheVersion(): number {
  return version;
}

/** The `limit` most recently used entries, oldest first (what is worth persisting). */
export function cacheEntries(limit: number = SPARKLINE_CACHE_CAPACITY): Array<readonly [string, string]> {
  return [...entries].slice(-Math.max(0, limit));
}

/** Adds entries (e.g. loaded from disk) as the least recently used ones; counts nothing. */
export function cacheImport(loaded: ReadonlyArray<readonly [string, string]>): void {
  const current = [...entries];
  entries.clear();
  for (const [key, value] of loaded) if (typeof key === 'string' && typeof value === 'string') entries.set(key, value);
  for (const [key, value] of current) {
    entries.delete(key);
    entries.set(key, value);
  }
  while (entries.size > SPARKLINE_CACHE_CAPACITY) {
    const oldest = entries.keys().next();
    if (oldest.done === true) break;
    entries.delete(oldest.value);
  }
}

type KeyPoint = readonly [number, number];

/** The polyline without interior points that lie on the straight line through their neighbours. */
function corners(segment: readonly KeyPoint[]): KeyPoint[] {
  const out: KeyPoint[] = [];
  for (const p of segment) {
    const a = out.at(-2);
    const b = out.at(-1);
    // b lies on the segment a→p (collinear and between): it adds nothing to the drawn line.
    if (a && b && (b[0] - a[0]) * (p[1] - a[1]) === (b[1] - a[1]) * (p[0] - a[0]) && (b[0] - a[0]) * (p[0] - b[0]) + (b[1] - a[1]) * (p[1] - b[1]) >= 0) out.pop();
    out.push(p);
  }
  return out;
}

/**
 * The cache key of a chart: its size, colour and the corners of its polylines. Two histories that
 * draw the same lines share one entry, e.g. a flat series of 5 samples and one of 300.
 */
export function chartKey(pixelWidth: number, pixelHeight: number, color: string, segments: ReadonlyArray<readonly KeyPoint[]>): string {
  return `${pixelWidth}x${pixelHeight}|${color}|${segments.map((s) => corners(s).map(([x, y]) => `${x},${y}`).join(' ')).join('|')}`;
}
