import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { History } from '../../../src/hooks/history/history.js';
import { createHistorySaver, encodeHistory, HISTORY_FILE, loadHistory, saveHistory } from '../../../src/hooks/history/history-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'history-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sample(): History {
  const h = new History({ capacity: 10 });
  h.record({ at: 1000, system: { cpuPercent: 10, memUsedBytes: 5e9, gpuUtilPercent: null, gpuMemUsedBytes: 1e9 }, models: { 'qwen/7b': { genTps: 42.5, promptTps: 300, memoryBytes: 4e9, queue: 0 } } });
  h.record({ at: 2000, system: null, models: {} });
  h.record({ at: 3000, system: { cpuPercent: 30, memUsedBytes: 6e9, gpuUtilPercent: 50, gpuMemUsedBytes: 2e9 }, models: { 'qwen/7b': { genTps: 40, promptTps: null, memoryBytes: 4e9, queue: 2 } } });
  return h;
}

describe('history persistence', () => {
  it('round-trips a snapshot, gaps included', async () => {
    const snap = sample().snapshot();
    expect((await saveHistory(path.join(dir, 'nested'), snap, 3000)).ok).toBe(true);
    const loaded = await loadHistory(path.join(dir, 'nested'), 4000, 60_000, 10);
    expect(loaded.warning).toBeNull();
    expect(loaded.snapshot).toEqual(snap);
    // And it keeps recording where it left off.
    const again = History.from(loaded.snapshot!, { capacity: 10 });
    expect(again.record({ at: 3000, system: null, models: {} })).toBe(false);
    expect(again.record({ at: 4000, system: null, models: {} })).toBe(true);
  });

  it('keeps samples stamped after now (the clock went back), re-anchored so the newest is now', async () => {
    const snap = sample().snapshot();
    expect((await saveHistory(dir, snap, 3000)).ok).toBe(true);
    // Started again with the wall clock 10 minutes behind every saved sample.
    const loaded = await loadHistory(dir, 3000 - 600_000, 60_000, 10);
    expect(loaded.warning).toBeNull();
    expect(loaded.snapshot?.times).toEqual([1000 - 600_000, 2000 - 600_000, 3000 - 600_000]);
    expect(loaded.snapshot?.models['qwen/7b']?.genTps).toEqual(snap.models['qwen/7b']?.genTps);
    // And new samples are newer than every one of them.
    expect(History.from(loaded.snapshot!, { capacity: 10 }).record({ at: 3001 - 600_000, system: null, models: {} })).toBe(true);
  });

  it('is silent when there is no file yet', async () => {
    expect(await loadHistory(dir, 0, 1000, 10)).toEqual({ snapshot: null, warning: null });
  });

  it('ignores a corrupt file with a warning', async () => {
    await writeFile(path.join(dir, HISTORY_FILE), '\u0000\u0001garbage{');
    const loaded = await loadHistory(dir, 4000, 60_000, 10);
    expect(loaded.snapshot).toBeNull();
    expect(loaded.warning).toMatch(/History file ignored: .*not valid JSON/);
  });

  it('ignores a truncated file with a warning', async () => {
    const text = encodeHistory(sample().snapshot(), 3000);
    await writeFile(path.join(dir, HISTORY_FILE), text.slice(0, Math.floor(text.length / 2)));
    const loaded = await loadHistory(dir, 4000, 60_000, 10);
    expect(loaded.snapshot).toBeNull();
    expect(loaded.warning).toMatch(/corrupt or truncated/);
  });

  it('ignores a foreign file with a warning', async () => {
    await writeFile(path.join(dir, HISTORY_FILE), JSON.stringify({ samples: [1, 2, 3] }));
    const loaded = await loadHistory(dir, 4000, 60_000, 10);
    expect(loaded.snapshot).toBeNull();
    expect(loaded.warning).toMatch(/not written by this plugin/);
  });

  it('ignores a newer format version and malformed series', async () => {
    const good = JSON.parse(encodeHistory(sample().snapshot(), 3000)) as Record<string, unknown>;
    await writeFile(path.join(dir, HISTORY_FILE), JSON.stringify({ ...good, version: 2 }));
    expect((await loadHistory(dir, 4000, 60_000, 10)).warning).toMatch(/unknown format version 2/);
    await writeFile(path.join(dir, HISTORY_FILE), JSON.stringify({ ...good, times: [1, 2] }));
    expect((await loadHistory(dir, 4000, 60_000, 10)).warning).toMatch(/different lengths/);
    await writeFile(path.join(dir, HISTORY_FILE), JSON.stringify({ ...good, system: 'x' }));
    expect((await loadHistory(dir, 4000, 60_000, 10)).warning).toMatch(/malformed/);
  });

  it('drops samples older than the window and beyond capacity on load', async () => {
    await saveHistory(dir, sample().snapshot(), 3000);
    const loaded = await loadHistory(dir, 11_500, 10_000, 10);
    expect(loaded.snapshot?.times).toEqual([2000, 3000]);
    expect(loaded.snapshot?.models['qwen/7b']?.genTps).toEqual([NaN, 40]);
    const small = await loadHistory(dir, 4000, 60_000, 1);
    expect(small.snapshot?.times).toEqual([3000]);
    const stale = await loadHistory(dir, 100_000, 10_000, 10);
    expect(stale.snapshot?.times).toEqual([]);
    expect(stale.snapshot?.models).toEqual({});
  });

  it('throttles writes, keeps the latest snapshot and flushes on demand', async () => {
    let now = 0;
    const saver = createHistorySaver({ cacheDir: dir, throttleMs: 60_000, clock: () => now, monotonic: () => now });
    const h = sample();
    saver.schedule(h.snapshot());
    await saver.flush();
    const first = await readFile(path.join(dir, HISTORY_FILE), 'utf8');
    now = 1000;
    h.record({ at: 4000, system: null, models: {} });
    saver.schedule(h.snapshot());
    expect(await readFile(path.join(dir, HISTORY_FILE), 'utf8')).toBe(first);
    await saver.flush();
    const loaded = await loadHistory(dir, 5000, 60_000, 10);
    expect(loaded.snapshot?.times).toEqual([1000, 2000, 3000, 4000]);
    // No temp files left behind by the atomic writes.
    expect(await readdir(dir)).toEqual([HISTORY_FILE]);
    saver.cancel();
  });
});

describe('history file shared or replaced by something else', () => {
  it('a save merges the samples another plugin saved meanwhile (by time, ours win a tie)', async () => {
    const theirs = new History({ capacity: 10 });
    const ours = new History({ capacity: 10 });
    const at = (t: number, genTps: number) => ({ at: t, system: null, models: { m: { genTps, promptTps: null, memoryBytes: null, queue: null } } });
    theirs.record(at(1000, 1));
    theirs.record(at(3000, 3));
    ours.record(at(2000, 2));
    ours.record(at(3000, 33));
    expect((await saveHistory(dir, theirs.snapshot(), 3000)).ok).toBe(true);
    expect((await saveHistory(dir, ours.snapshot(), 3500)).ok).toBe(true);
    const loaded = await loadHistory(dir, 4000, 60_000, 10);
    expect(loaded.snapshot?.times).toEqual([1000, 2000, 3000]);
    expect(loaded.snapshot?.models['m']?.genTps).toEqual([1, 2, 33]);
  });

  it('a FIFO at history.json is set aside with one warning, and the next save writes a regular file', async () => {
    execFileSync('mkfifo', [path.join(dir, HISTORY_FILE)]);
    const loaded = await loadHistory(dir, Date.UTC(2026, 0, 1), 60_000, 10);
    expect(loaded).toEqual({ snapshot: null, warning: 'History file was a named pipe, not a file: set aside as history.json.set-aside-2026-01-01T00-00-00-000Z' });
    expect(lstatSync(path.join(dir, 'history.json.set-aside-2026-01-01T00-00-00-000Z')).isFIFO()).toBe(true);
    expect((await saveHistory(dir, sample().snapshot(), 3000)).ok).toBe(true);
    expect(lstatSync(path.join(dir, HISTORY_FILE)).isFile()).toBe(true);
  });
});
