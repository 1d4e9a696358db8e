import { beforeEach, describe, expect, it } from 'vitest';
import { cacheEntries, cacheGet, cacheImport, cacheReset, cacheSet, cacheStats, cacheVersion, chartKey, SPARKLINE_CACHE_CAPACITY } from '../../../src/reconciler/sparkline/cache.js';
import { cachedSparkline, renderSparkline, resetSparklineCache } from '../../../src/reconciler/sparkline/rasterize.js';

beforeEach(() => cacheReset());

describe('sparkline cache', () => {
  it('imports saved entries as the oldest, keeps what is in memory, and stays bounded', () => {
    cacheSet('live', 'L');
    const v = cacheVersion();
    cacheImport([['old', 'O'], ['live', 'stale']]);
    expect(cacheVersion()).toBe(v);
    expect(cacheEntries()).toEqual([['old', 'O'], ['live', 'L']]);
    cacheImport(Array.from({ length: SPARKLINE_CACHE_CAPACITY + 10 }, (_, i) => [`k${i}`, 'v'] as const));
    expect(cacheStats().size).toBe(SPARKLINE_CACHE_CAPACITY);
    expect(cacheGet('live')).toBe('L');
    expect(cacheEntries(2).at(-1)?.[0]).toBe('live');
  });

  it('keys a chart by its corners: a straight run of any length is one key, a bend is not', () => {
    const flat5 = chartKey(120, 40, '#000000', [[[1, 9], [30, 9], [60, 9], [89, 9], [118, 9]]]);
    expect(chartKey(120, 40, '#000000', [[[1, 9], [118, 9]]])).toBe(flat5);
    expect(chartKey(120, 40, '#000000', [[[1, 9], [60, 8], [118, 9]]])).not.toBe(flat5);
    // Going back over the same line is drawn, so it is kept.
    expect(chartKey(120, 40, '#000000', [[[1, 9], [118, 9], [60, 9]]])).not.toBe(chartKey(120, 40, '#000000', [[[1, 9], [60, 9]]]));
  });

  it('serves a flat series of another length from the cache without drawing', async () => {
    resetSparklineCache();
    await renderSparkline({ values: [3, 3, 3, 3, 3], width: 60, height: 20, color: '#123456' });
    expect(cachedSparkline({ values: Array.from({ length: 300 }, () => 3), width: 60, height: 20, color: '#123456' })).toBeDefined();
    expect(cacheStats().misses).toBe(1);
  });
});
