/** useMenuModel against H4's llama-swap simulator on an ephemeral port, through H3's client. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuModel } from '../../src/components/model.js';
import type { HookTimings } from '../../src/hooks/deps.js';
import { flushHistory } from '../../src/hooks/use-history.js';
import { useMenuModel } from '../../src/hooks/use-menu-model.js';
import { createLlamaSwapClient } from '../../src/system/llama-swap/llama-swap-client.js';
import { trackRates } from '../../src/system/llama-swap/metrics-rates.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator, type LlamaSwapSimulatorOptions } from '../../src/system/simulator/llama-swap-sim.js';
import { renderHook, type HookHandle } from './helpers/render-hook.js';
import { testConfig, testDeps } from './helpers/test-deps.js';

const FAST: Partial<HookTimings> = { liveSafetyMs: 80, busyMs: 40, idleMs: 80, backoffBaseMs: 40, backoffCapMs: 120, slowMs: 200, hostMs: 100, processMs: 200, serviceMs: 500, historySaveMs: 200, historyIdleSampleMs: 0 };

let dir: string;
let sim: LlamaSwapSimulator | null = null;
let handle: HookHandle<MenuModel> | null = null;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hooks-sim-'));
});
afterEach(async () => {
  handle?.unmount();
  handle = null;
  await flushHistory();
  await sim?.close();
  sim = null;
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
});

async function start(options: LlamaSwapSimulatorOptions): Promise<HookHandle<MenuModel>> {
  sim = await createLlamaSwapSimulator({ port: 0, loadMs: 100, stopMs: 20, performanceIntervalMs: 100, ...options });
  const config = testConfig(dir, { apiUrl: sim.url, apiPort: sim.port, apiTimeoutMs: 500 });
  const api = createLlamaSwapClient({ apiUrl: config.apiUrl, apiPort: config.apiPort, apiTimeoutMs: config.apiTimeoutMs, apiKey: null });
  const deps = testDeps(api, dir, { config, trackRates, timings: FAST });
  handle = renderHook(() => useMenuModel(deps));
  return handle;
}

/** Paths asked under /upstream/<id>/. */
const upstreamOf = (id: string): string[] =>
  (sim?.requestLog ?? []).map((r) => r.path).filter((p) => p.startsWith(`/upstream/${encodeURIComponent(id)}/`));

describe('useMenuModel against the simulator', () => {
  it('delivers figures of a busy model and lists the others as idle', async () => {
    const h = await start({ scenario: 'busy', timings: { busyTickMs: 30 } });
    const m = await h.waitFor((x) => x.status === 'processing' && (x.models[0]?.genTps ?? 0) > 0, 15_000);
    const model = m.models[0];
    expect(model).toMatchObject({ id: 'qwen2.5-coder-7b', name: 'Qwen 2.5 Coder 7B', state: 'ready', metricsStatus: 'ok' });
    expect((model?.processing ?? 0) + (model?.deferred ?? 0)).toBeGreaterThan(0);
    expect(m.idleModels.map((x) => x.id).sort()).toEqual(['gemma-3-12b', 'llama-3.2-3b-instruct', 'nomic-embed-text']);
    expect(m.system?.source).toBe('llama-swap');
    expect(m.apiError).toBeNull();
    // Idle (configured, not running) models are never touched under /upstream/.
    for (const id of ['llama-3.2-3b-instruct', 'gemma-3-12b', 'nomic-embed-text']) expect(upstreamOf(id)).toEqual([]);
  });

  it('never asks /upstream/ of a model that is starting', async () => {
    const h = await start({ scenario: 'loading', timings: { stuckLoadMs: 60_000 } });
    const m = await h.waitFor((x) => x.status === 'starting' && x.models.some((y) => y.state === 'starting'), 10_000);
    const starting = m.models.find((y) => y.state === 'starting');
    expect(starting?.metricsStatus).toBe('not-ready');
    const polls = sim?.requestLog.filter((r) => r.path === '/running').length ?? 0;
    // Let many more polls pass while it stays in `starting`.
    await h.waitFor(() => (sim?.requestLog.filter((r) => r.path === '/running').length ?? 0) >= polls + 10, 10_000);
    expect(h.current?.models.find((y) => y.id === starting?.id)?.state).toBe('starting');
    expect(upstreamOf(starting?.id ?? '')).toEqual([]);
  });

  it('reports a model without --metrics as metrics disabled', async () => {
    const models = [{ id: 'embed', name: 'Embed', description: '', ttl: 0, metrics: false, slots: 1, tps: 100, memMb: 100 }];
    const h = await start({ scenario: 'idle', models });
    const m = await h.waitFor((x) => x.models[0]?.metricsStatus === 'disabled', 10_000);
    expect(m.problems.map((p) => p.id)).toContain('metrics-disabled:embed');
  });

  it('shows the outage, keeps the history, and recovers', async () => {
    const h = await start({ scenario: 'idle' });
    const up = await h.waitFor((x) => x.status === 'ready' && (x.system?.history.cpuPercent.filter((v) => !Number.isNaN(v)).length ?? 0) >= 3, 10_000);
    // llama-swap's own figures before the outage (during it, System may show this computer's).
    const before = up.system?.history.cpuPercent.filter((v) => !Number.isNaN(v)).length ?? 0;
    sim?.setScenario('down');
    await sim?.settled();
    const down = await h.waitFor((x) => x.status === 'unreachable', 10_000);
    expect(down.apiError?.kind).toMatch(/unreachable|timeout/);
    expect(down.problems[0]?.id).toBe('api-unreachable');
    sim?.setScenario('idle');
    await sim?.settled();
    // Back on llama-swap's figures: its series from before the outage are there again.
    const cpuCount = (x: MenuModel): number => x.system?.history.cpuPercent.filter((v) => !Number.isNaN(v)).length ?? 0;
    const back = await h.waitFor((x) => x.status === 'ready' && x.system?.source === up.system?.source && cpuCount(x) > before, 10_000);
    expect(back.models[0]?.id).toBe('qwen2.5-coder-7b');
    const series = back.models[0]?.history.queue ?? [];
    expect(series.some((v) => Number.isNaN(v))).toBe(true);
    expect((back.system?.history.cpuPercent.filter((v) => !Number.isNaN(v)).length ?? 0)).toBeGreaterThanOrEqual(before);
  });

  it('after the first /api/performance, asks only for samples after the last one (?after=)', async () => {
    const h = await start({ scenario: 'idle' });
    await h.waitFor(() => (sim?.requestLog.filter((r) => r.path.startsWith('/api/performance')).length ?? 0) >= 3, 10_000);
    const asked = sim?.requestLog.filter((r) => r.path.startsWith('/api/performance')).map((r) => r.path) ?? [];
    expect(asked[0]).toBe('/api/performance');
    for (const p of asked.slice(1)) expect(p).toMatch(/^\/api\/performance\?after=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d\.\d{3}Z$/);
    const m = await h.waitFor((x) => x.system?.source === 'llama-swap' && (x.system.history.cpuPercent.length ?? 0) >= 3, 10_000);
    expect(m.system?.memTotalBytes ?? 0).toBeGreaterThan(0);
  });
});
