import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_FILE } from '../../../src/hooks/history/history-store.js';
import { loadMenuModelOnce, RATES_FILE } from '../../../src/hooks/model/load-menu-model.js';
import { writeLastAction } from '../../../src/system/cli/action-log.js';
import { trackRates } from '../../../src/system/llama-swap/metrics-rates.js';
import { FakeApi, running } from '../helpers/fake-api.js';
import { StoreApi } from '../helpers/store-api.js';
import { testDeps } from '../helpers/test-deps.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hooks-once-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadMenuModelOnce', () => {
  it('builds the menu from one fetch of everything and carries history and rates between runs', async () => {
    const api = new FakeApi();
    api.runningResult = { ok: true, value: [running('a', 'ready'), running('b', 'starting')] };
    // A long generation (llama.cpp 0c1e570: only the decode counter moves while it runs).
    const busy = (nDecodeTotal: number) => ({ ok: true as const, value: { promptTokensTotal: 50, tokensPredictedTotal: 0, nDecodeTotal, busySlotsPerDecode: 1, requestsProcessing: 1, requestsDeferred: 0 } });
    api.metricsById.set('a', busy(1000));
    let now = 1_000_000;
    const deps = testDeps(api, dir, { clock: () => now });
    const first = await loadMenuModelOnce(deps);
    expect(first.status).toBe('starting');
    // First sight of a busy server: no live rate yet (never a figure from nothing).
    expect(first.models.map((m) => [m.id, m.genTps, m.metricsStatus])).toEqual([['a', null, 'ok'], ['b', null, 'not-ready']]);
    expect(api.count('metrics:b')).toBe(0);
    expect(first.system?.source).toBe('local');
    now += 5000;
    api.metricsById.set('a', busy(1210));
    const second = await loadMenuModelOnce(deps);
    // The rate state carried in rates.json: 210 tokens over the 5 s between the runs.
    expect(second.models[0]?.genTps).toBe(42);
    expect(second.models[0]?.history.genTps.at(-1)).toBe(42);
    const rates = JSON.parse(await readFile(path.join(dir, RATES_FILE), 'utf8')) as { states: Record<string, unknown> };
    expect(Object.keys(rates.states)).toEqual(['a']);
  });

  it('shows a fresh last action and replaces an unreadable history file after warning once', async () => {
    await writeFile(path.join(dir, HISTORY_FILE), 'not json');
    const api = new FakeApi();
    const now = Date.now();
    await writeLastAction(dir, { action: 'do_stop', args: [], ok: true, message: 'Stopped', at: now - 1000 });
    const deps = testDeps(api, dir, { clock: () => now });
    const first = await loadMenuModelOnce(deps);
    expect(first.lastAction).toEqual({ ok: true, message: 'Stopped' });
    expect(first.problems.map((p) => p.id)).toContain('history-file');
    const second = await loadMenuModelOnce(testDeps(api, dir, { clock: () => now + 20_000 }));
    expect(second.problems.map((p) => p.id)).not.toContain('history-file');
    expect(second.lastAction).toBeNull();
  });

  it('reports an unreachable API without throwing', async () => {
    const api = new FakeApi();
    api.down('timeout');
    const m = await loadMenuModelOnce(testDeps(api, dir, { persistHistory: false }));
    expect(m.status).toBe('unreachable');
    expect(api.count('performance')).toBe(0);
  });

  it("does not carry a restarted llama-swap's old rate windows into the next run (rates.json)", async () => {
    const api = new StoreApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    // A long generation: llama.cpp 0c1e570 moves n_decode_total while it runs.
    const scrape = (nDecodeTotal: number) => ({ ok: true as const, value: { requestsProcessing: 1, requestsDeferred: 0, tokensPredictedTotal: 0, nDecodeTotal, busySlotsPerDecode: 1 } });
    let now = 1_000_000;
    const deps = testDeps(api, dir, { clock: () => now, trackRates });
    for (let i = 0; i < 5; i++) api.add('a', 200);
    api.metricsById.set('a', scrape(1000));
    await loadMenuModelOnce(deps);
    // Same instance, later: a real window (500 tokens in 5 s).
    now += 5000;
    api.add('a', 500);
    api.metricsById.set('a', scrape(1500));
    expect((await loadMenuModelOnce(deps)).models[0]?.genTps).toBe(100);

    // llama-swap restarted: its ids start again, and its new llama-server already counts more
    // than the old one did: against the old window that would read (5000 − 1500) / 5 = 700 t/s.
    now += 5000;
    api.restart();
    api.add('a', 100);
    api.metricsById.set('a', scrape(5000));
    const after = await loadMenuModelOnce(deps);
    // A first sample of this instance: busy, not measured yet.
    expect(after.models[0]?.genTps).toBeNull();
    expect(after.models[0]?.activity?.served).toBe(1);
    const rates = JSON.parse(await readFile(path.join(dir, RATES_FILE), 'utf8')) as { states: Record<string, { samples: unknown[] }>; activityId: number };
    expect(rates.states['a']?.samples).toHaveLength(1);
    expect(rates.activityId).toBe(1);
  });
});
