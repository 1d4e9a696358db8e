/**
 * Series from two machines are never mixed (issue 12 item 7): when the System figures switch
 * between llama-swap's /api/performance and this computer, the system series start afresh, so
 * no chart and no min/avg/max spans two sources. Old history files (no source) still load.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seriesStats } from '../../../src/components/series-stats.js';
import { History, type SystemSample } from '../../../src/hooks/history/history.js';
import { sampleOf } from '../../../src/hooks/history/history-sample.js';
import { decodeHistory, encodeHistory, HISTORY_FILE, loadHistory } from '../../../src/hooks/history/history-store.js';
import type { HostStats } from '../../../src/system/types.js';

const GB = 1e9;
const sys = (mem: number): SystemSample => ({ cpuPercent: 10, memUsedBytes: mem, gpuUtilPercent: null, gpuMemUsedBytes: null });
const host = (source: HostStats['source'], mem: number): HostStats => ({
  source,
  timestamp: 1,
  loadAvg1: null,
  cpuPercent: 10,
  cpuPerCore: [],
  memUsedBytes: mem,
  memTotalBytes: 64 * GB,
  swapUsedBytes: null,
  swapTotalBytes: null,
  gpus: [],
});

describe('one system series per source', () => {
  it('starts the system series afresh when the source changes; model series are kept', () => {
    const h = new History({ capacity: 20 });
    h.record({ at: 1000, system: sys(40 * GB), systemSource: 'llama-swap', models: { a: { genTps: 5, promptTps: 1, memoryBytes: 1, queue: 0 } } });
    h.record({ at: 2000, system: sys(39 * GB), systemSource: 'llama-swap', models: { a: { genTps: 6, promptTps: 1, memoryBytes: 1, queue: 0 } } });
    h.record({ at: 3000, system: sys(1.4 * GB), systemSource: 'local', models: {} });
    h.record({ at: 4000, system: sys(1.3 * GB), systemSource: 'local', models: {} });
    const s = h.snapshot();
    expect(s.systemSource).toBe('local');
    const stats = seriesStats(s.system.memUsedBytes);
    expect(stats?.max).toBeCloseTo(1.4 * GB);
    expect(stats?.min).toBeCloseTo(1.3 * GB);
    expect(s.system.memUsedBytes.length).toBe(s.times.length);
    expect(s.models.a?.genTps.filter((v) => !Number.isNaN(v))).toEqual([5, 6]);
  });

  it('a sample without system figures does not change the source', () => {
    const h = new History({ capacity: 20 });
    h.record({ at: 1000, system: sys(2 * GB), systemSource: 'local', models: {} });
    h.record({ at: 2000, system: null, models: {} });
    h.record({ at: 3000, system: sys(3 * GB), systemSource: 'local', models: {} });
    expect(h.snapshot().system.memUsedBytes.filter((v) => !Number.isNaN(v))).toEqual([2 * GB, 3 * GB]);
  });

  it('sampleOf carries the host figures\' source', () => {
    const running = { at: 1, value: { ok: true as const, value: [] } };
    expect(sampleOf(running, {}, host('llama-swap', GB), null).systemSource).toBe('llama-swap');
    expect(sampleOf(running, {}, null, null).systemSource ?? null).toBeNull();
  });

  it('the history file keeps the source, and a restored history starts afresh on another source', () => {
    const h = new History({ capacity: 20 });
    h.record({ at: 1000, system: sys(40 * GB), systemSource: 'llama-swap', models: {} });
    const loaded = decodeHistory(encodeHistory(h.snapshot(), 1500), 2000, 60_000, 20);
    expect(loaded.snapshot?.systemSource).toBe('llama-swap');
    const restored = History.from(loaded.snapshot ?? h.snapshot(), { capacity: 20 });
    restored.record({ at: 2000, system: sys(GB), systemSource: 'local', models: {} });
    expect(restored.snapshot().system.memUsedBytes.filter((v) => !Number.isNaN(v))).toEqual([GB]);
  });

  it('an old file without a source still loads; its system samples are not mixed with a known source', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lss-hist-'));
    try {
      const h = new History({ capacity: 20 });
      h.record({ at: 1000, system: sys(40 * GB), models: { a: { genTps: 5, promptTps: 1, memoryBytes: 1, queue: 0 } } });
      const old = JSON.parse(encodeHistory(h.snapshot(), 1500)) as Record<string, unknown>;
      delete old.systemSource;
      writeFileSync(path.join(dir, HISTORY_FILE), JSON.stringify(old));
      const loaded = await loadHistory(dir, 2000, 60_000, 20);
      expect(loaded.warning).toBeNull();
      expect(loaded.snapshot?.system.memUsedBytes).toEqual([40 * GB]);
      const restored = History.from(loaded.snapshot ?? h.snapshot(), { capacity: 20 });
      restored.record({ at: 2000, system: sys(GB), systemSource: 'local', models: {} });
      const s = restored.snapshot();
      expect(s.system.memUsedBytes.filter((v) => !Number.isNaN(v))).toEqual([GB]);
      expect(s.models.a?.genTps[0]).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
