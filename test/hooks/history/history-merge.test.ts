/** Merging two plugins' histories: by time, newest `capacity` kept, and idempotent (a save merges every time). */
import { describe, expect, it } from 'vitest';
import { History } from '../../../src/hooks/history/history.js';
import { mergeHistories } from '../../../src/hooks/history/history-merge.js';

describe('mergeHistories', () => {
  it('merging a history with itself, again and again, changes nothing (gaps included)', () => {
    const history = new History({ capacity: 10 });
    for (const at of [1000, 2000, 100_000, 101_000]) history.record({ at, system: null, models: { a: { genTps: at, promptTps: null, memoryBytes: null, queue: null } } });
    const once = history.snapshot();
    expect(once.times).toEqual([1000, 2000, 99_999, 100_000, 101_000]);
    let merged = once;
    for (let i = 0; i < 3; i += 1) merged = mergeHistories(merged, once);
    expect(merged).toEqual(once);
  });

  it('a merge of two full histories is no larger than one (the capacity keeps the newest)', () => {
    const history = new History({ capacity: 10 });
    const other = new History({ capacity: 10 });
    for (let i = 0; i < 20; i += 1) {
      const sample = { at: 1000 + i * 500, system: null, models: { a: { genTps: i, promptTps: null, memoryBytes: null, queue: null } } };
      (i % 2 === 0 ? history : other).record(sample);
    }
    const merged = mergeHistories(other.snapshot(), history.snapshot());
    expect(merged.times).toEqual(Array.from({ length: 10 }, (_, k) => 1000 + (k + 10) * 500));
    expect(merged.models['a']?.genTps).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });
});
