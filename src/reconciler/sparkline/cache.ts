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
