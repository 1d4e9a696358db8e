/** useMenuModel with real (short) timers: actions, history across outages and restarts. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuModel } from '../../src/components/model.js';
import type { HookTimings, MenuDeps } from '../../src/hooks/deps.js';
import { HISTORY_FILE } from '../../src/hooks/history/history-store.js';
import { flushHistory } from '../../src/hooks/use-history.js';
import { useMenuModel } from '../../src/hooks/use-menu-model.js';
import { writeLastAction } from '../../src/system/cli/action-log.js';
import { FakeApi, running } from './helpers/fake-api.js';
import { renderHook, type HookHandle } from './helpers/render-hook.js';
import { LOCAL_HOST, testDeps } from './helpers/test-deps.js';
import type { HostStats } from '../../src/system/types.js';

const FAST: Partial<HookTimings> = { busyMs: 20, idleMs: 30, backoffBaseMs: 20, backoffCapMs: 40, slowMs: 100, hostMs: 30, processMs: 50, serviceMs: 100, actionPollMs: 20, historySaveMs: 50, historyIdleSampleMs: 0 };

let dir: string;
const handles: HookHandle<MenuModel>[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hooks-model-'));
});
afterEach(async () => {
  for (const h of handles.splice(0)) h.unmount();
  await flushHistory();
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
});

function start(api: FakeApi, over: Partial<MenuDeps> = {}): HookHandle<MenuModel> {
  const deps = testDeps(api, dir, { timings: FAST, ...over });
  const h = renderHook(() => useMenuModel(deps));
  handles.push(h);
  return h;
}

/** An idle llama-server's counters (0c1e570): nothing processing, so every live rate is 0. */
const IDLE_A = { promptTokensTotal: 120, promptSecondsTotal: 0.2, tokensPredictedTotal: 900, tokensPredictedSecondsTotal: 20, nDecodeTotal: 910, requestsProcessing: 0, requestsDeferred: 0 };
const gen = (m: MenuModel | undefined): readonly number[] => m?.models[0]?.history.genTps ?? [];

describe('useMenuModel', () => {
  it('refreshes at once after a menu action and shows its message for a while', async () => {
    const api = new FakeApi();
    const h = start(api, { timings: { ...FAST, idleMs: 60_000, slowMs: 60_000, serviceMs: 60_000, actionShowMs: 300 } });
    await h.waitFor((m) => m.status === 'empty');
    const before = api.count('running');
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await writeLastAction(dir, { action: 'do_load_model', args: ['a'], ok: true, message: 'Loading a', at: Date.now() });
    const m = await h.waitFor((x) => x.lastAction !== null && x.status === 'ready');
    expect(m.lastAction).toEqual({ ok: true, message: 'Loading a' });
    expect(api.count('running')).toBe(before + 1);
    await h.waitFor((x) => x.lastAction === null);
  });

  it('a quiet record (Refresh) reads everything again at once and shows no message', async () => {
    const api = new FakeApi();
    const h = start(api, { timings: { ...FAST, idleMs: 60_000, slowMs: 60_000, serviceMs: 60_000, actionShowMs: 60_000 } });
    await h.waitFor((m) => m.status === 'empty');
    const before = api.count('running');
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await writeLastAction(dir, { action: 'refresh', args: [], ok: true, message: 'refreshed', at: Date.now(), quiet: true });
    const m = await h.waitFor((x) => x.status === 'ready');
    expect(api.count('running')).toBe(before + 1);
    expect(m.lastAction).toBeNull();
    expect(h.values.every((x) => x.lastAction === null)).toBe(true);
  });

  it('picks the action up by polling when watching is off', async () => {
    const api = new FakeApi();
    const h = start(api, { watchActions: false, timings: { ...FAST, idleMs: 60_000 } });
    await h.waitFor((m) => m.status === 'empty');
    await writeLastAction(dir, { action: 'do_unload', args: [], ok: false, message: 'Unload failed: timeout', at: Date.now() });
    expect((await h.waitFor((x) => x.lastAction !== null)).lastAction).toEqual({ ok: false, message: 'Unload failed: timeout' });
  });

  it('keeps the history through an outage and a plugin restart', async () => {
    const api = new FakeApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    api.metricsById.set('a', { ok: true, value: IDLE_A });
    // Memory moves on every poll, so each idle poll is a new sample (unchanged ones are not kept).
    let polls = 0;
    const localHostStats = (): Promise<HostStats> => Promise.resolve({ ...LOCAL_HOST, memUsedBytes: 4e9 + (polls++ % 2) * 1e6 });
    const h = start(api, { localHostStats });
    await h.waitFor((m) => gen(m).filter((v) => v === 0).length >= 3);
    api.down();
    await h.waitFor((m) => m.status === 'unreachable' && gen(m).at(-1) === undefined);
    const during = h.values.at(-1);
    // While down the model is not listed, but its series is kept with gaps.
    expect(during?.models).toEqual([]);
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    const after = await h.waitFor((m) => m.status === 'ready' && gen(m).at(-1) === 0);
    const series = gen(after);
    // 0s (idle, measured) before the outage, gaps during it, 0 again after it, all in one series.
    const firstValue = series.indexOf(0);
    const gap = series.findIndex((v, i) => i > firstValue && Number.isNaN(v));
    expect(firstValue).toBeGreaterThanOrEqual(0);
    expect(gap).toBeGreaterThan(firstValue);
    expect(series.slice(gap).some((v) => v === 0)).toBe(true);

    // Unmount flushes history.json; a new plugin run starts from it.
    handles.pop()?.unmount();
    await flushHistory();
    const saved = JSON.parse(await readFile(path.join(dir, HISTORY_FILE), 'utf8')) as { times: number[] };
    expect(saved.times.length).toBeGreaterThanOrEqual(series.length - 1);
    api.down();
    const again = start(api, { localHostStats });
    // Wait for the load (it is asynchronous): the window then holds at least the saved samples.
    const restored = await again.waitFor((m) => (m.system?.history.cpuPercent.length ?? 0) >= saved.times.length && m.status === 'unreachable');
    expect(restored.system?.history.cpuPercent.filter((v) => v === 25).length).toBeGreaterThanOrEqual(3);
    expect(restored.problems.map((p) => p.id)).not.toContain('history-file');
  });

  it('ignores a corrupt history file and says so as a warning', async () => {
    await writeFile(path.join(dir, HISTORY_FILE), '{"schema":"llama-swap-swiftbar/history","version":1,"times":[1,2');
    const h = start(new FakeApi());
    const m = await h.waitFor((x) => x.problems.some((p) => p.id === 'history-file'));
    expect(m.problems.find((p) => p.id === 'history-file')).toMatchObject({ severity: 'warning' });
    expect(m.status).toBe('empty');
  });

  it('uses llama-swap host figures when /api/performance answers, else local ones', async () => {
    const api = new FakeApi();
    let refreshed = 0;
    const refreshGpus = (): Promise<void> => {
      refreshed += 1;
      return Promise.resolve();
    };
    const h = start(api, { refreshGpus });
    expect((await h.waitFor((m) => m.system !== null)).system?.source).toBe('local');
    expect(refreshed).toBe(1);
    const api2 = new FakeApi();
    api2.performanceResult = { ok: true, value: { source: 'llama-swap', timestamp: 1, cpuPercent: 77, cpuPerCore: [77], memUsedBytes: 1, memTotalBytes: 2, swapUsedBytes: 0, swapTotalBytes: 0, loadAvg1: 1, gpus: [] } };
    const h2 = start(api2, { refreshGpus });
    expect((await h2.waitFor((m) => m.system !== null)).system).toMatchObject({ source: 'llama-swap', cpuPercent: 77 });
    // llama-swap reports the GPUs itself: no slow local GPU probe for the second menu.
    expect(refreshed).toBe(1);
  });
});

describe('useMenuModel history cadence', () => {
  it('while idle keeps one sample per historyIdleSampleMs of moving machine figures, and one per poll while busy', async () => {
    const api = new FakeApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    api.metricsById.set('a', { ok: true, value: IDLE_A });
    let calls = 0;
    const localHostStats = (): Promise<HostStats> => Promise.resolve({ ...LOCAL_HOST, cpuPercent: 10 + (calls++ % 7) });
    const h = start(api, { localHostStats, timings: { ...FAST, historyIdleSampleMs: 60_000 } });
    const ready = await h.waitFor((m) => m.status === 'ready' && gen(m).at(-1) === 0);
    const length = ready.system?.history.cpuPercent.length ?? 0;
    const polled = api.count('running');
    while (api.count('running') < polled + 10) await new Promise((r) => setImmediate(r));
    // Ten idle polls with the CPU moving every time: no new sample within the minute.
    expect(h.current?.system?.history.cpuPercent).toHaveLength(length);
    api.generate('a', 42);
    const busy = await h.waitFor((m) => (m.system?.history.cpuPercent.length ?? 0) >= length + 4);
    expect(busy.status).toBe('processing');
  });
});

describe('useMenuModel with nothing changing', () => {
  it('adds no sample while idle figures stay exactly the same, and one as soon as they move', async () => {
    const api = new FakeApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    api.metricsById.set('a', { ok: true, value: IDLE_A });
    const h = start(api);
    const steady = await h.waitFor((m) => gen(m).at(-1) === 0);
    const length = steady.system?.history.cpuPercent.length ?? 0;
    const polled = api.count('running');
    while (api.count('running') < polled + 10) await new Promise((r) => setImmediate(r));
    expect(h.current?.system?.history.cpuPercent).toHaveLength(length);
    api.generate('a', 50_000);
    const moved = await h.waitFor((m) => (gen(m).at(-1) ?? 0) > 0);
    // One 0 for the whole steady stretch, then "not measured yet" while the first busy scrapes are
    // under 100 ms apart, then the rate.
    const before = gen(moved).slice(0, -1);
    expect(before.filter((v) => v === 0)).toHaveLength(1);
    expect(before.every((v) => v === 0 || Number.isNaN(v))).toBe(true);
  });
});
