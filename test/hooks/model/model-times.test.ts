/** Time you can read: load and ttl clocks, past loads and their estimate, when the labels move. */
import { describe, expect, it } from 'vitest';
import { readyModel } from '../../../src/components/fixtures/parts.js';
import { formatCountdown, formatLoading } from '../../../src/components/format.js';
import { LOADS_KEPT, MODELS_KEPT, estimateLoadMs, parseLoadTimes, recordLoad, serializeLoadTimes, type LoadTimes } from '../../../src/hooks/model/load-estimates.js';
import { createModelTimes, noteUse, observeStates, unloadsInMs } from '../../../src/hooks/model/model-times.js';
import { nextLabelChangeMs } from '../../../src/hooks/use-time-labels-timer.js';

describe('model times', () => {
  it('times a load seen from its start, and only that one', () => {
    const t = createModelTimes();
    expect(observeStates(t, [['a', 'starting'], ['b', 'ready']], 1_000)).toEqual([]);
    expect(t.loadingSince.get('a')).toBe(1_000);
    expect(observeStates(t, [['a', 'starting'], ['b', 'ready']], 5_000)).toEqual([]);
    expect(observeStates(t, [['a', 'ready'], ['b', 'ready']], 13_500)).toEqual([{ id: 'a', ms: 12_500 }]);
    // a was seen becoming ready; b was ready at the first look (no start known).
    expect(t.readySince.get('a')).toBe(13_500);
    expect(t.readySince.has('b')).toBe(false);
    expect(observeStates(t, [['b', 'ready']], 20_000)).toEqual([]);
    expect(t.lastUseAt.has('a')).toBe(false);
  });

  it('counts the ttl from becoming ready, then from the end of the last use; none without a ttl', () => {
    const t = createModelTimes();
    observeStates(t, [['a', 'ready']], 0);
    expect(unloadsInMs(300, t.lastUseAt.get('a'), 60_000)).toBe(240_000);
    noteUse(t, 'a', 100_000);
    expect(unloadsInMs(300, t.lastUseAt.get('a'), 130_000)).toBe(270_000);
    expect(unloadsInMs(300, t.lastUseAt.get('a'), 500_000)).toBeLessThan(0);
    expect(unloadsInMs(0, t.lastUseAt.get('a'), 130_000)).toBeNull();
    // A use of a model not ready (an unload raced the request) starts nothing.
    noteUse(t, 'zzz', 1);
    expect(t.lastUseAt.has('zzz')).toBe(false);
  });
});

describe('load estimates', () => {
  it('is the median of the last loads, bounded per model and in models', () => {
    let lt: LoadTimes = new Map();
    expect(estimateLoadMs(lt, 'a')).toBeNull();
    for (const ms of [100_000, 20_000, 18_000, 22_000, 19_000, 21_000]) lt = recordLoad(lt, 'a', ms);
    expect(lt.get('a')).toHaveLength(LOADS_KEPT);
    expect(estimateLoadMs(lt, 'a')).toBe(20_000);
    for (let i = 0; i < MODELS_KEPT + 5; i += 1) lt = recordLoad(lt, `m${i}`, 1000);
    expect(lt.size).toBe(MODELS_KEPT);
    // The least recently loaded go first.
    expect(lt.has('a')).toBe(false);
    expect(lt.has(`m${MODELS_KEPT + 4}`)).toBe(true);
  });

  it('survives its file, and a malformed or foreign file gives what can be kept', () => {
    const lt = recordLoad(recordLoad(new Map(), 'a', 1_500), 'b', 2_500);
    expect(parseLoadTimes(serializeLoadTimes(lt))).toEqual(lt);
    expect(parseLoadTimes('not json')).toEqual(new Map());
    expect(parseLoadTimes('{"version":2,"models":{"a":[1]}}')).toEqual(new Map());
    expect(parseLoadTimes('{"version":1,"models":{"a":[1,"x",-5,null],"b":"x"}}')).toEqual(new Map([['a', [1]]]));
  });
});

describe('time labels', () => {
  it('formats the load and the countdown', () => {
    expect(formatLoading(12_400, 20_000)).toBe('12 s of ~20 s');
    expect(formatLoading(75_000, null)).toBe('75 s');
    expect(formatLoading(0, 400)).toBe('0 s of ~1 s');
    expect(formatCountdown(251_000)).toBe('5 min');
    expect(formatCountdown(120_000)).toBe('2:00');
    expect(formatCountdown(105_000)).toBe('1:50');
    expect(formatCountdown(111_000)).toBe('2:00');
    expect(formatCountdown(1)).toBe('0:10');
    expect(formatCountdown(-5)).toBe('0:00');
    expect(formatCountdown(3_900_000)).toBe('1 h 5 min');
  });

  it('moves every second while loading, at each countdown step, never for a model with neither', () => {
    expect(nextLabelChangeMs([readyModel('a')])).toBeNull();
    expect(nextLabelChangeMs([readyModel('a', { state: 'starting', loadingMs: 12_300 })])).toBe(700);
    expect(nextLabelChangeMs([readyModel('a', { ttlSeconds: 300, unloadsInMs: 251_000 })])).toBe(11_000);
    expect(nextLabelChangeMs([readyModel('a', { ttlSeconds: 300, unloadsInMs: 95_000 })])).toBe(5_000);
    expect(nextLabelChangeMs([readyModel('a', { ttlSeconds: 300, unloadsInMs: 0 })])).toBeNull();
  });

  it("moves a ready model's uptime at its next whole minute, the soonest of several models", () => {
    expect(nextLabelChangeMs([readyModel('a', { uptimeMs: 50_000 })])).toBe(10_000);
    expect(nextLabelChangeMs([readyModel('a', { uptimeMs: 60_000 }), readyModel('b', { uptimeMs: 15_000 })])).toBe(45_000);
    // Whichever clock the uptime counts from: the label is all the timer reads.
    expect(nextLabelChangeMs([readyModel('a', { uptimeMs: 125_000, ttlSeconds: 300, unloadsInMs: 251_000 })])).toBe(11_000);
  });
});
