import { describe, expect, it } from 'vitest';
import { History, type HistorySample } from '../../../src/hooks/history/history.js';
import { samePicture } from '../../../src/hooks/history/same-picture.js';

const sample = (at: number, cpu: number, gen: number | null = 5): HistorySample => ({
  at,
  system: { cpuPercent: cpu, memUsedBytes: 1, gpuUtilPercent: null, gpuMemUsedBytes: null },
  models: { a: { genTps: gen, promptTps: null, memoryBytes: 7, queue: 0 } },
});

describe('samePicture', () => {
  it('sees a flat window that slides or grows as the same picture', () => {
    const h = new History({ capacity: 3 });
    h.record(sample(1, 10));
    const one = h.snapshot();
    h.record(sample(2, 10));
    const two = h.snapshot();
    // One sample is a dash, two are a line.
    expect(samePicture(one, two)).toBe(false);
    h.record(sample(3, 10));
    expect(samePicture(two, h.snapshot())).toBe(true);
    const full = h.snapshot();
    h.record(sample(4, 10));
    expect(samePicture(full, h.snapshot())).toBe(true);
  });

  it('sees any moving series, a gap or a new model as a change', () => {
    const h = new History({ capacity: 3 });
    for (const at of [1, 2, 3]) h.record(sample(at, 10));
    const flat = h.snapshot();
    h.record(sample(4, 11));
    expect(samePicture(flat, h.snapshot())).toBe(false);
    const g = new History({ capacity: 3 });
    for (const at of [1, 2, 3]) g.record(sample(at, 10));
    const before = g.snapshot();
    g.record(sample(4, 10, null));
    expect(samePicture(before, g.snapshot())).toBe(false);
    const m = new History({ capacity: 3 });
    for (const at of [1, 2, 3]) m.record(sample(at, 10));
    const one = m.snapshot();
    m.record({ ...sample(4, 10), models: { ...sample(4, 10).models, b: { genTps: null, promptTps: null, memoryBytes: null, queue: null } } });
    expect(samePicture(one, m.snapshot())).toBe(false);
  });
});
