/**
 * useMenuModel with llama-swap's event stream, against the simulator through the real client:
 * the poll intervals are a minute, so whatever shows up within a test came by an event.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuModel } from '../../src/components/model.js';
import type { HookTimings, LlamaSwapApi } from '../../src/hooks/deps.js';
import { flushHistory } from '../../src/hooks/use-history.js';
import { useMenuModel } from '../../src/hooks/use-menu-model.js';
import { createLlamaSwapClient, type LlamaSwapClient } from '../../src/system/llama-swap/llama-swap-client.js';
import { trackRates } from '../../src/system/llama-swap/metrics-rates.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator, type LlamaSwapSimulatorOptions } from '../../src/system/simulator/llama-swap-sim.js';
import { renderHook, type HookHandle } from './helpers/render-hook.js';
import { testConfig, testDeps } from './helpers/test-deps.js';

/** Every poll a minute apart: only events can make the menu move inside a test. */
const SLOW: Partial<HookTimings> = { busyMs: 60_000, idleMs: 60_000, liveSafetyMs: 60_000, slowMs: 60_000, hostMs: 60_000, processMs: 60_000, serviceMs: 60_000, historySaveMs: 60_000, eventsRetryMs: 50, backoffBaseMs: 50, backoffCapMs: 200 };

const MODELS = [
  { id: 'alpha', name: 'Alpha', tps: 300, slots: 2 },
  { id: 'openai', upstream: 'openai' as const, tps: 300, slots: 2 },
  { id: 'slow', tps: 15, slots: 2 },
  { id: 'broken', failStart: 'upstream command exited prematurely', loadMs: 20 },
];

let dir: string;
let sim: LlamaSwapSimulator | null = null;
let handle: HookHandle<MenuModel> | null = null;
let client: LlamaSwapClient;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hooks-live-'));
});
afterEach(async () => {
  handle?.unmount();
  handle = null;
  await flushHistory();
  await sim?.close();
  sim = null;
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
});

async function start(options: LlamaSwapSimulatorOptions = {}, api?: (c: LlamaSwapClient) => LlamaSwapApi, timings: Partial<HookTimings> = {}, clock?: () => number): Promise<HookHandle<MenuModel>> {
  sim = await createLlamaSwapSimulator({
    port: 0, loadMs: 60, stopMs: 10, passive: true, performanceIntervalMs: null, models: MODELS,
    selectors: [{ id: 'coder', strategy: 'warm', targets: ['alpha', 'slow'] }],
    profiles: [{ id: 'work', pins: { beta: 'openai' } }],
    ...options,
  });
  const config = testConfig(dir, { apiUrl: sim.url, apiPort: sim.port, apiTimeoutMs: 2000 });
  client = createLlamaSwapClient({ apiUrl: config.apiUrl, apiPort: config.apiPort, apiTimeoutMs: config.apiTimeoutMs, apiKey: null });
  handle = renderHook(() => useMenuModel(testDeps(api ? api(client) : client, dir, { config, trackRates, timings: { ...SLOW, ...timings }, persistHistory: false, watchActions: false, ...(clock ? { clock } : {}) })));
  return handle;
}

/** Sends a chat request and resolves when its response ends (complete or cut). */
function chat(model: string, maxTokens: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${sim?.url ?? ''}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('close', () => resolve(res.complete && text.includes('[DONE]')));
    });
    req.on('error', () => resolve(false));
    req.end(JSON.stringify({ model, stream: true, stream_options: { include_usage: true }, max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] }));
  });
}

const runningPolls = (): number => sim?.requestLog.filter((r) => r.path === '/running').length ?? 0;

describe('useMenuModel with the event stream', () => {
  it('shows a load at once (by event, not by polling) and keeps /running polling a safety net', async () => {
    const h = await start();
    await h.waitFor((m) => m.status === 'empty', 10_000);
    void client.loadModel('alpha');
    const m = await h.waitFor((x) => x.models.some((y) => y.id === 'alpha' && y.state === 'ready'), 10_000);
    expect(m.status).toBe('ready');
    // Mount, stream open, and one refetch per state change: never the 60 s interval.
    expect(runningPolls()).toBeLessThanOrEqual(6);
  });

  it('lists a running request with its id, ends it with cancel, and counts it in served', async () => {
    const h = await start();
    void client.loadModel('slow');
    await h.waitFor((x) => x.models.some((y) => y.id === 'slow' && y.state === 'ready'), 10_000);
    const ended = chat('slow', 500);
    const busy = await h.waitFor((x) => (x.models.find((y) => y.id === 'slow')?.requests?.length ?? 0) === 1, 10_000);
    const req = busy.models.find((y) => y.id === 'slow')?.requests?.[0];
    expect(req).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect((await client.cancelInflight(req?.id ?? '')).ok).toBe(true);
    expect(await ended).toBe(false);
    const after = await h.waitFor((x) => (x.models.find((y) => y.id === 'slow')?.requests?.length ?? -1) === 0 && x.models.find((y) => y.id === 'slow')?.activity?.served === 1, 10_000);
    expect(after.models.find((y) => y.id === 'slow')?.requestsServed).toBe(1);
  });

  it('an upstream without llama.cpp metrics: absent (no warning), exact served count, speed from activity', async () => {
    const h = await start();
    void client.loadModel('openai');
    await h.waitFor((x) => x.models.some((y) => y.id === 'openai' && y.metricsStatus === 'absent'), 10_000);
    for (let i = 0; i < 3; i++) expect(await chat('openai', 6)).toBe(true);
    const m = await h.waitFor((x) => x.models.find((y) => y.id === 'openai')?.activity?.served === 3, 10_000);
    const view = m.models.find((y) => y.id === 'openai');
    expect(view?.requestsServed).toBe(3);
    expect(view?.activity?.outputTokens).toBe(18);
    expect(view?.activity?.lastGenTps ?? 0).toBeGreaterThan(0);
    expect(m.problems.map((p) => p.id)).toEqual([]);
    // One /metrics ask told it all: a 404 is not asked again while the model stays loaded.
    expect(sim?.requestLog.filter((r) => r.path === '/upstream/openai/metrics')).toHaveLength(1);
  });

  it('a failed start shows its reason until the next successful load', async () => {
    const h = await start();
    await h.waitFor((m) => m.status === 'empty', 10_000);
    await client.loadModel('broken');
    const m = await h.waitFor((x) => x.idleModels.find((y) => y.id === 'broken')?.failure?.reason === 'upstream command exited prematurely', 10_000);
    expect(m.idleModels.filter((y) => y.failure).map((y) => y.id)).toEqual(['broken']);
  });

  it('selectors and pins are not idle models; the profile change arrives by event', async () => {
    const h = await start();
    await h.waitFor((m) => m.idleModels.length === 4, 10_000);
    expect((await client.setProfile('work')).ok).toBe(true);
    const m = await h.waitFor((x) => x.profiles?.active === 'work' && (x.profiles.pins?.length ?? 0) === 1, 10_000);
    expect(m.profiles?.pins).toEqual([{ id: 'beta', target: 'openai', targetLoaded: false }]);
    expect(m.selectors?.map((s) => [s.id, s.strategy, s.targets])).toEqual([['coder', 'warm', ['alpha', 'slow']]]);
    expect(m.idleModels.map((y) => y.id).sort()).toEqual(['alpha', 'broken', 'openai', 'slow']);
  });

  it('falls back to adaptive polling while the stream is refused, and reconnects with backoff', async () => {
    let refuse = true;
    let refusals = 0;
    const h = await start({}, (c) => ({
      ...c,
      events: (handlers, stats) => {
        if (!refuse) return c.events(handlers, stats);
        refusals += 1;
        setTimeout(() => handlers.onEnd({ kind: 'not-supported', message: 'refused' }), 0);
        return { close: () => undefined };
      },
    }), { idleMs: 100, busyMs: 50 });
    await h.waitFor((m) => m.status === 'empty', 10_000);
    void client.loadModel('alpha');
    // No stream: the adaptive poll (100 ms here) shows the load.
    await h.waitFor((x) => x.models.some((y) => y.id === 'alpha' && y.state === 'ready'), 10_000);
    expect(refusals).toBeGreaterThanOrEqual(2);
    refuse = false;
    await h.waitFor(() => (sim?.requestLog.some((r) => r.path === '/api/events') ?? false), 10_000);
    void client.unloadAll();
    await h.waitFor((x) => x.status === 'empty', 10_000);
  });
});

describe('useMenuModel against a newer llama-swap (simulator with apiLayout newer)', () => {
  it('a failed start shows its reason from the proxy log stream when /logs lacks it', async () => {
    const h = await start({ apiLayout: 'newer', logToStdout: 'none' });
    await h.waitFor((m) => m.status === 'empty', 10_000);
    await client.loadModel('broken');
    const m = await h.waitFor((x) => x.idleModels.find((y) => y.id === 'broken')?.failure?.reason === 'upstream command exited prematurely', 10_000);
    expect(m.idleModels.filter((y) => y.failure).map((y) => y.id)).toEqual(['broken']);
    // /logs had nothing (logToStdout none); the reason came through the stream logs moved to.
    expect(sim?.requestLog.some((r) => r.path === '/logs')).toBe(true);
    expect(sim?.requestLog.filter((r) => r.path === '/api/events/logs?stream=proxy')).toHaveLength(1);
  });

  it("shows a ready model's uptime, which moves on with the clock between events", async () => {
    // The simulator and the hooks share one clock that only the test moves.
    let now = Date.parse('2026-09-26T12:00:00Z');
    const clock = (): number => now;
    const h = await start({ apiLayout: 'newer', clock }, undefined, { uptimeCheckMs: 20 }, clock);
    await h.waitFor((m) => m.status === 'empty', 10_000);
    void client.loadModel('alpha');
    const first = await h.waitFor((m) => m.models.find((x) => x.id === 'alpha')?.uptimeMs !== undefined, 10_000);
    expect(first.models.find((x) => x.id === 'alpha')?.uptimeMs).toBeLessThan(60_000);
    // No event, no poll (a minute apart): only the clock moves, and the uptime with it.
    now += 3 * 60_000 + 5000;
    const later = await h.waitFor((m) => (m.models.find((x) => x.id === 'alpha')?.uptimeMs ?? 0) >= 3 * 60_000, 10_000);
    expect(later.models.find((x) => x.id === 'alpha')?.uptimeMs).toBeLessThan(4 * 60_000);
  });

  it('the pinned llama-swap reports no uptime: the menu counts it from the load it saw finish', async () => {
    const h = await start();
    await h.waitFor((m) => m.status === 'empty', 10_000);
    const asked = Date.now();
    void client.loadModel('alpha');
    const m = await h.waitFor((x) => x.models.find((y) => y.id === 'alpha')?.state === 'ready', 10_000);
    const uptime = m.models.find((y) => y.id === 'alpha')?.uptimeMs;
    expect(uptime).toBeGreaterThanOrEqual(0);
    // Counted from the moment the plugin saw it ready: after the load was asked for.
    expect(uptime).toBeLessThanOrEqual(Date.now() - asked);
  });

  it('without the event stream, an uptime counted from the load the plugin saw finish moves on with the clock too', async () => {
    let now = Date.parse('2026-09-26T12:00:00Z');
    const clock = (): number => now;
    // No stream (an older llama-swap, a proxy that cuts it): no ready time from events at all.
    const noEvents = (c: LlamaSwapClient): LlamaSwapApi => ({ ...c, events: undefined });
    // A load long enough for the polls to see it starting, then ready (the uptime counts from there).
    const h = await start({ clock, loadMs: 600 }, noEvents, { idleMs: 100, busyMs: 50, uptimeCheckMs: 20 }, clock);
    await h.waitFor((m) => m.status === 'empty', 10_000);
    void client.loadModel('alpha');
    await h.waitFor((m) => (m.models.find((x) => x.id === 'alpha')?.uptimeMs ?? Infinity) < 60_000, 10_000);
    // No event, no poll: only the clock moves, and this uptime (no ready time from llama-swap) with it.
    now += 3 * 60_000 + 5000;
    const later = await h.waitFor((m) => (m.models.find((x) => x.id === 'alpha')?.uptimeMs ?? 0) >= 3 * 60_000, 10_000);
    expect(later.models.find((x) => x.id === 'alpha')?.uptimeMs).toBeLessThan(4 * 60_000);
  });
});
