/**
 * Polling behaviour of useMenuModel under fake setTimeout/Date (React's scheduler keeps the real
 * setImmediate it captured at import): intervals are asserted as counts in virtual time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuModel } from '../../src/components/model.js';
import { useMenuModel } from '../../src/hooks/use-menu-model.js';
import { createKnownProcesses, type ProcessTable } from '../../src/system/host/known-processes.js';
import { FakeApi, running } from './helpers/fake-api.js';
import { renderHook, settle, type HookHandle } from './helpers/render-hook.js';
import { testDeps } from './helpers/test-deps.js';

let dir: string;
let handle: HookHandle<MenuModel> | null = null;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hooks-poll-'));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(async () => {
  handle?.unmount();
  handle = null;
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

/** Advances virtual time in small steps, letting React render in between. */
async function advance(ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await vi.advanceTimersByTimeAsync(step);
    await settle(3);
  }
}

/** Virtual times of the calls to one endpoint. */
function recordTimes(api: FakeApi, endpoint: string): number[] {
  const times: number[] = [];
  const original = api.running.bind(api);
  if (endpoint === 'running') {
    api.running = () => {
      times.push(Date.now());
      return original();
    };
  }
  return times;
}

const start = (api: FakeApi): HookHandle<MenuModel> => {
  const deps = testDeps(api, dir, { persistHistory: false, watchActions: false, timings: { actionPollMs: 60_000 } });
  handle = renderHook(() => useMenuModel(deps));
  return handle;
};

describe('useMenuModel polling', () => {
  it('polls /running every second while busy and every three seconds when idle', async () => {
    const api = new FakeApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    api.generate('a', 40, 2, 1);
    const h = start(api);
    // The live rate needs two scrapes (the first sight of a busy server is not measured).
    while (api.count('metrics:a') < 2) await advance(100);
    await advance(100);
    expect(h.current?.status).toBe('processing');
    expect(h.current?.models[0]?.genTps).toBeCloseTo(40, 0);

    let before = api.count('running');
    await advance(12_000);
    const busy = api.count('running') - before;
    expect(busy).toBeGreaterThanOrEqual(11);
    expect(busy).toBeLessThanOrEqual(13);

    api.finish('a');
    await advance(2000);
    expect(h.current?.status).toBe('ready');
    expect(h.current?.models[0]?.genTps).toBe(0);
    before = api.count('running');
    await advance(12_000);
    const idle = api.count('running') - before;
    expect(idle).toBeGreaterThanOrEqual(3);
    expect(idle).toBeLessThanOrEqual(5);

    // And back to 1 s when a model starts loading.
    api.runningResult = { ok: true, value: [running('a', 'ready'), running('b', 'starting')] };
    await advance(3000);
    expect(h.current?.status).toBe('starting');
    before = api.count('running');
    await advance(6000);
    expect(api.count('running') - before).toBeGreaterThanOrEqual(5);
  });

  it('backs off while the API is down, then recovers within two intervals', async () => {
    const api = new FakeApi();
    const times = recordTimes(api, 'running');
    api.down();
    const h = start(api);
    await advance(80_000, 250);
    expect(h.current?.status).toBe('unreachable');
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    // SWR schedules the first tick at mount, before the first answer: that one is the idle 3 s.
    expect(gaps[0]).toBeLessThanOrEqual(3000);
    expect(gaps.slice(1, 5)).toEqual([4000, 8000, 16000, 30000]);

    const restoredAt = Date.now();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await h.waitFor(() => true);
    let recoveredAt = 0;
    for (let i = 0; i < 600 && recoveredAt === 0; i += 1) {
      await advance(100);
      if (h.current?.status === 'ready') recoveredAt = Date.now();
    }
    expect(recoveredAt).toBeGreaterThan(0);
    // The interval in force was the 30 s cap: recovery must come within two of them.
    expect(recoveredAt - restoredAt).toBeLessThanOrEqual(60_000);
    // After recovery the idle cadence is back.
    const n = times.length;
    await advance(9000);
    expect(times.length - n).toBeGreaterThanOrEqual(2);
    expect(times.length - n).toBeLessThanOrEqual(4);
  });

  it('holds one failed poll back (no red flash for a blip), shows the second', async () => {
    const api = new FakeApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    const h = start(api);
    await advance(4000);
    expect(h.current?.status).toBe('ready');
    api.down('timeout');
    const polls = api.count('running');
    while (api.count('running') === polls) await advance(100);
    await advance(300);
    expect(h.current?.status).toBe('ready');
    expect(h.current?.models.map((m) => [m.id, m.metricsStatus])).toEqual([['a', 'ok']]);
    while (api.count('running') === polls + 1) await advance(100);
    await advance(300);
    expect(h.current?.status).toBe('unreachable');
    expect(h.current?.models).toEqual([]);
  });

  it('never has two requests to one endpoint in flight, even with a slow endpoint', async () => {
    const api = new FakeApi();
    api.delayMs = 2500; // slower than the 1 s busy interval
    api.runningResult = { ok: true, value: [running('a', 'ready'), running('b', 'starting')] };
    start(api);
    await advance(20_000);
    expect(api.count('running')).toBeGreaterThanOrEqual(5);
    expect(api.count('metrics:a')).toBeGreaterThanOrEqual(3);
    for (const [endpoint, max] of api.maxInFlight) expect([endpoint, max]).toEqual([endpoint, 1]);
    // b is starting: its metrics are never asked for.
    expect(api.count('metrics:b')).toBe(0);
  });

  it('leaves a model with a ttl alone while llama-swap counts no new request for it', async () => {
    const api = new FakeApi();
    api.requestCountsById = new Map([['a', 7]]);
    api.runningResult = { ok: true, value: [running('a', 'ready', 300), running('b', 'ready', 0)] };
    api.metricsById.set('a', { ok: true, value: { promptTokensTotal: 40, tokensPredictedTotal: 300, nDecodeTotal: 310, requestsProcessing: 0, requestsDeferred: 0 } });
    const h = start(api);
    await advance(20_000);
    // One scrape for its first figures, then none: scrapes would reset llama-swap's ttl clock.
    expect(api.count('metrics:a')).toBe(1);
    expect(api.count('metrics:b')).toBeGreaterThanOrEqual(5);
    expect(h.current?.models.find((m) => m.id === 'a')).toMatchObject({ metricsStatus: 'ok', genTps: 0, processing: 0 });
    // A request finished (llama-swap's count moved): scrape again, once.
    api.requestCountsById.set('a', 8);
    await advance(10_000);
    expect(api.count('metrics:a')).toBe(2);
    // While requests are in flight, it is scraped on every poll.
    api.generate('a', 30);
    api.requestCountsById.set('a', 9);
    await advance(10_000);
    expect(api.count('metrics:a')).toBeGreaterThanOrEqual(8);
  });

  it('scrapes ttl models on every poll when llama-swap has no activity endpoint', async () => {
    const api = new FakeApi();
    api.runningResult = { ok: true, value: [running('a', 'ready', 300)] };
    start(api);
    await advance(20_000);
    expect(api.count('metrics:a')).toBeGreaterThanOrEqual(5);
    expect(api.count('requestCounts')).toBe(1);
  });

  it("drops llama-swap's process line at the first process read after the API fails, not at the next 15 s read", async () => {
    const api = new FakeApi();
    let alive = true;
    let reads = 0;
    // The real process bookkeeping over a fake process table: pid 42 listens on the API port while alive.
    const table: ProcessTable = {
      list: () => Promise.resolve([]),
      read: (pids) => {
        reads += 1;
        return Promise.resolve(alive && pids.includes(42) ? [{ pid: 42, command: '/opt/ls/llama-swap --config c.yaml', rssBytes: 1e6, cpuPercent: 1 }] : []);
      },
    };
    const known = createKnownProcesses(table, () => Promise.resolve(alive ? 42 : null), () => Date.now());
    const deps = testDeps(api, dir, { persistHistory: false, watchActions: false, timings: { actionPollMs: 60_000 }, processStats: (input) => known({ ...input, llamaSwapPort: 45786 }) });
    const h = renderHook(() => useMenuModel(deps));
    handle = h;
    await advance(2000);
    expect(h.current?.system?.llamaSwapProcess?.pid).toBe(42);
    const readsBefore = reads;

    alive = false;
    api.down();
    const polls = api.count('running');
    while (api.count('running') === polls) await advance(100);
    const failedAt = Date.now();
    while (h.current?.system?.llamaSwapProcess != null && Date.now() - failedAt < 15_000) await advance(100);
    expect(h.current?.system?.llamaSwapProcess).toBeNull();
    // At the failure itself (one read), not at the process interval.
    expect(Date.now() - failedAt).toBeLessThan(1000);
    expect(reads - readsBefore).toBe(1);
  });

  it('reads the configured models again as soon as llama-swap answers again, not at their slow backed-off poll', async () => {
    const api = new FakeApi();
    api.down();
    api.modelsResult = { ok: false, error: { kind: 'unreachable', message: 'llama-swap at http://127.0.0.1:45786 refused the connection' } };
    // A slow list poll far from any /running tick, so only the change itself can bring the list.
    const deps = testDeps(api, dir, { persistHistory: false, watchActions: false, timings: { actionPollMs: 60_000, slowMs: 120_000 } });
    const h = renderHook(() => useMenuModel(deps));
    handle = h;
    await advance(20_000, 250);
    expect(h.current?.status).toBe('unreachable');
    const models = api.count('models');

    api.runningResult = { ok: true, value: [] };
    api.modelsResult = { ok: true, value: [{ id: 'a', name: 'A', description: '', loaded: false }] };
    const polls = api.count('running');
    while (api.count('running') === polls) await advance(100);
    const answeredAt = Date.now();
    while (h.current?.idleModels.length === 0 && Date.now() - answeredAt < 60_000) await advance(100);
    expect(h.current?.status).toBe('empty');
    expect(h.current?.idleModels.map((m) => m.id)).toEqual(['a']);
    expect(Date.now() - answeredAt).toBeLessThan(1000);
    // One read at the change (and at most the slow poll's own), not a burst.
    expect(api.count('models') - models).toBeLessThanOrEqual(2);
  });
});
