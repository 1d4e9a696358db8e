/**
 * Nothing changed → nothing done: the whole plugin (App under the real root) fed byte-identical
 * answers commits no React render and writes no frame, poll after poll; a changed answer still
 * gets through. Waits on polls counted by the fake API, never on wall time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/components/App.js';
import type { HookTimings } from '../../src/hooks/deps.js';
import { flushHistory } from '../../src/hooks/use-history.js';
import { createMenuRoot, type MenuRoot } from '../../src/reconciler/index.js';
import { renderSparkline } from '../../src/reconciler/sparkline/rasterize.js';
import { FakeApi, running } from '../hooks/helpers/fake-api.js';
import { testConfig, testDeps } from '../hooks/helpers/test-deps.js';
import { FakeStdout } from '../helpers/fake-stdout.js';

/** Every source polls many times a second; a history sample per poll (no idle decimation). */
const FAST: Partial<HookTimings> = { busyMs: 20, idleMs: 20, slowMs: 40, hostMs: 20, processMs: 40, serviceMs: 40, actionPollMs: 20, historySaveMs: 50, historyIdleSampleMs: 0 };
const HISTORY = 4;

let dir: string;
let root: MenuRoot | undefined;
beforeAll(async () => {
  // Load satori/resvg once, so painting a frame takes milliseconds, not the first import.
  await renderSparkline({ values: [1, 2], width: 10, height: 4, color: '#000000' });
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'app-still-'));
});
afterEach(async () => {
  root?.unmount();
  root = undefined;
  await flushHistory();
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
});

/** Resolves once `api` has answered `n` more calls of `endpoint`. */
async function polls(api: FakeApi, endpoint: string, n: number): Promise<void> {
  const target = api.count(endpoint) + n;
  while (api.count(endpoint) < target) await new Promise((r) => setImmediate(r));
}

describe('App with answers that never change', () => {
  it('renders nothing and writes no frame once its charts are steady, and still shows a change', async () => {
    const api = new FakeApi();
    api.runningResult = { ok: true, value: [running('a', 'ready'), running('b', 'ready')] };
    api.modelsResult = { ok: true, value: [{ id: 'a', name: '', description: '', loaded: false }, { id: 'b', name: '', description: '', loaded: false }, { id: 'c', name: '', description: '', loaded: false }] };
    api.metricsById.set('a', { ok: true, value: { promptTokensTotal: 300, promptSecondsTotal: 1, tokensPredictedTotal: 420, tokensPredictedSecondsTotal: 10, nDecodeTotal: 430, requestsProcessing: 0, requestsDeferred: 0 } });
    api.performanceResult = {
      ok: true,
      value: { source: 'llama-swap', timestamp: 1, cpuPercent: 12, cpuPerCore: [12], memUsedBytes: 1e9, memTotalBytes: 8e9, swapUsedBytes: 0, swapTotalBytes: 0, loadAvg1: 1, gpus: [{ name: 'GPU', utilPercent: 30, memUsedBytes: 1e9, memTotalBytes: 4e9, tempC: 50, powerW: 10 }] },
    };
    // Each answer is a new object, as from the wire, with a new timestamp: equal, never identical.
    const perf = api.performanceResult;
    api.performance = () => Promise.resolve(perf.ok ? { ok: true, value: { ...perf.value, timestamp: Date.now() } } : perf);
    const deps = testDeps(api, dir, { config: testConfig(dir, { historySize: HISTORY }), timings: FAST });
    const stdout = new FakeStdout();
    root = createMenuRoot({ stdout, mode: 'stream', appearance: 'dark', onFatal: () => undefined });
    root.render(createElement(App, { deps }));
    await root.firstFrame;

    // Until the window holds only equal samples the charts still move; then let the last frame out.
    await polls(api, 'running', HISTORY + 4);
    await polls(api, 'running', 5);
    const before = root.stats();
    const framesBefore = stdout.frames.length;

    await polls(api, 'running', 25);
    await polls(api, 'metrics:a', 3);
    const after = root.stats();
    expect(api.count('models')).toBeGreaterThan(3);
    expect(after.commits - before.commits).toBe(0);
    expect(after.framesWritten - before.framesWritten).toBe(0);
    expect(after.framesSkipped - before.framesSkipped).toBe(0);
    expect(stdout.frames.length).toBe(framesBefore);

    // A real change still reaches the menu.
    // A request starts on a: its label says so.
    api.generate('a', 55);
    while (!(stdout.frames.at(-1) ?? '').includes('a — busy')) await polls(api, 'running', 1);
    expect(root.stats().commits).toBeGreaterThan(after.commits);
  });
});
