import { describe, expect, it } from 'vitest';
import { History, type ModelSample, type SystemSample } from '../../../src/hooks/history/history.js';
import { RingBuffer } from '../../../src/hooks/history/ring-buffer.js';
import { seriesStats } from '../../../src/components/series-stats.js';

const sys = (cpu: number): SystemSample => ({ cpuPercent: cpu, memUsedBytes: cpu * 10, gpuUtilPercent: null, gpuMemUsedBytes: null });
const model = (gen: number): ModelSample => ({ genTps: gen, promptTps: gen * 2, memoryBytes: 100, queue: 0 });

describe('RingBuffer', () => {
  it('keeps the newest values up to its capacity, oldest first', () => {
    const ring = new RingBuffer(3);
    expect(ring.toArray()).toEqual([]);
    [1, 2, 3, 4, 5].forEach((v) => ring.push(v));
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.length).toBe(3);
  });

  it('knows when it holds only gaps', () => {
    const ring = new RingBuffer(2);
    expect(ring.allGaps()).toBe(true);
    ring.push(1);
    ring.push(Number.NaN);
    expect(ring.allGaps()).toBe(false);
    ring.push(Number.NaN);
    expect(ring.allGaps()).toBe(true);
  });
});

describe('History', () => {
  it('records at most one sample per poll time', () => {
    const h = new History({ capacity: 5 });
    expect(h.record({ at: 1000, system: sys(10), models: {} })).toBe(true);
    expect(h.record({ at: 1000, system: sys(20), models: {} })).toBe(false);
    expect(h.record({ at: 999, system: sys(20), models: {} })).toBe(false);
    expect(h.snapshot().system.cpuPercent).toEqual([10]);
  });

  it('moves every time by a clock jump, keeping spacing and values, so newer samples record again', () => {
    const h = new History({ capacity: 5 });
    for (let i = 1; i <= 3; i += 1) h.record({ at: 600_000 + i * 1000, system: sys(i), models: {} });
    // The wall clock went back 10 minutes: a sample now is "older" than the last one.
    expect(h.record({ at: 4000, system: sys(4), models: {} })).toBe(false);
    h.shiftTimes(-600_000);
    expect(h.snapshot().times).toEqual([1000, 2000, 3000]);
    expect(h.record({ at: 4000, system: sys(4), models: {} })).toBe(true);
    expect(h.snapshot().system.cpuPercent).toEqual([1, 2, 3, 4]);
  });

  it('drops the oldest samples past capacity', () => {
    const h = new History({ capacity: 3 });
    for (let i = 1; i <= 5; i += 1) h.record({ at: i * 1000, system: sys(i), models: { a: model(i) } });
    const s = h.snapshot();
    expect(s.times).toEqual([3000, 4000, 5000]);
    expect(s.system.cpuPercent).toEqual([3, 4, 5]);
    expect(s.models.a?.genTps).toEqual([3, 4, 5]);
  });

  it('records an outage as gaps and keeps the old samples', () => {
    const h = new History({ capacity: 10 });
    h.record({ at: 1000, system: sys(1), models: { a: model(5) } });
    h.record({ at: 2000, system: null, models: {} });
    h.record({ at: 3000, system: null, models: {} });
    h.record({ at: 4000, system: sys(4), models: { a: model(7) } });
    const s = h.snapshot();
    expect(s.system.cpuPercent).toEqual([1, NaN, NaN, 4]);
    expect(s.models.a?.genTps).toEqual([5, NaN, NaN, 7]);
  });

  it('keeps a model series across a restart and aligns a new model with the time axis', () => {
    const h = new History({ capacity: 10 });
    h.record({ at: 1, system: sys(1), models: { a: model(1) } });
    h.record({ at: 2, system: sys(1), models: { b: model(2) } });
    h.record({ at: 3, system: sys(1), models: { a: model(3), b: model(4) } });
    const s = h.snapshot();
    expect(s.models.a?.genTps).toEqual([1, NaN, 3]);
    expect(s.models.b?.genTps).toEqual([NaN, 2, 4]);
    expect(s.models.b?.promptTps).toEqual([NaN, 4, 8]);
  });

  it('forgets a model once its whole window is gaps', () => {
    const h = new History({ capacity: 2 });
    h.record({ at: 1, system: sys(1), models: { a: model(1) } });
    h.record({ at: 2, system: sys(1), models: {} });
    expect(Object.keys(h.snapshot().models)).toEqual(['a']);
    h.record({ at: 3, system: sys(1), models: {} });
    expect(Object.keys(h.snapshot().models)).toEqual([]);
  });

  it('marks a long pause with one gap', () => {
    const h = new History({ capacity: 10, gapMs: 5000 });
    h.record({ at: 1000, system: sys(1), models: {} });
    h.record({ at: 60_000, system: sys(2), models: {} });
    expect(h.snapshot().system.cpuPercent).toEqual([1, NaN, 2]);
    expect(h.snapshot().times).toEqual([1000, 59_999, 60_000]);
  });

  it('turns null and non-finite figures into gaps', () => {
    const h = new History({ capacity: 4 });
    h.record({ at: 1, system: { cpuPercent: Infinity, memUsedBytes: null, gpuUtilPercent: 3, gpuMemUsedBytes: NaN }, models: {} });
    const s = h.snapshot().system;
    expect([s.cpuPercent[0], s.memUsedBytes[0], s.gpuUtilPercent[0], s.gpuMemUsedBytes[0]]).toEqual([NaN, NaN, 3, NaN]);
  });

  it('rebuilds from a snapshot, trimmed to the new capacity', () => {
    const h = new History({ capacity: 5 });
    for (let i = 1; i <= 5; i += 1) h.record({ at: i, system: sys(i), models: { a: model(i) } });
    const copy = History.from(h.snapshot(), { capacity: 3 });
    expect(copy.snapshot().times).toEqual([3, 4, 5]);
    expect(copy.snapshot().models.a?.genTps).toEqual([3, 4, 5]);
    expect(copy.lastSampleAt).toBe(5);
    expect(copy.record({ at: 5, system: sys(9), models: {} })).toBe(false);
  });

  it('returns the same snapshot object until the next record', () => {
    const h = new History({ capacity: 3 });
    h.record({ at: 1, system: sys(1), models: {} });
    const first = h.snapshot();
    expect(h.snapshot()).toBe(first);
    h.record({ at: 2, system: sys(1), models: {} });
    expect(h.snapshot()).not.toBe(first);
  });
});

describe('seriesStats', () => {
  it('ignores gaps', () => {
    expect(seriesStats([NaN, 2, NaN, 4, 6, NaN])).toEqual({ latest: 6, min: 2, avg: 4, max: 6 });
  });

  it('is null without a number', () => {
    expect(seriesStats([])).toBeNull();
    expect(seriesStats([NaN, NaN])).toBeNull();
  });
});
