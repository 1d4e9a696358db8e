/**
 * The whole story through the plugin's own streaming output: llama-swap not running, then
 * started; a request loads a model (starting, then ready); concurrent requests show processing,
 * waiting and rates; a second model swaps in; Unload and Unload all clicked through the frame's
 * own bash/params; llama-swap stopped again. Every frame is checked for structure. Runs against
 * the simulator always, and against the real llama-swap (with stand-in llama-servers) when a
 * binary is available.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedFrame } from '../../src/reconciler/parse.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator } from '../../src/system/simulator/index.js';
import {
  bodyTitles, childRow, isStatus, queueCounts, rowNumber, runningModel, statusColor, titleRate, topRow,
} from './helpers/frame-queries.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';
import { freePort, realLlamaSwapGate, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const WAIT = 25_000;
const LOAD_MS = 4000;
const A = { id: 'alpha-7b', name: 'Alpha 7B' };
const B = { id: 'beta-3b', name: 'Beta 3B' };

/** What the story needs from a llama-swap: start on a port, stop, and what it was asked. */
type Ground = {
  start(port: number): Promise<string>;
  stop(): Promise<void>;
  /** Model ids currently in /running. */
  running(): Promise<string[]>;
  /** Requests received (simulator only), else null. */
  requests(): readonly { readonly method: string; readonly path: string }[] | null;
};

function simulatorGround(): Ground {
  let sim: LlamaSwapSimulator | null = null;
  return {
    async start(port) {
      sim = await createLlamaSwapSimulator({
        port, passive: true, loadMs: LOAD_MS, performanceIntervalMs: null,
        models: [
          { id: A.id, name: A.name, description: 'first', slots: 2, tps: 40, metrics: true },
          { id: B.id, name: B.name, description: 'second', slots: 2, tps: 60, metrics: true },
        ],
        profiles: [],
      });
      return sim.url;
    },
    async stop() {
      await sim?.close();
    },
    async running() {
      const url = sim?.url ?? '';
      const body = (await (await fetch(`${url}/running`)).json()) as { running: { model: string }[] };
      return body.running.map((r) => r.model);
    },
    requests: () => sim?.requestLog ?? null,
  };
}

function realGround(bin: string): Ground {
  let sw: RealLlamaSwap | null = null;
  return {
    async start(port) {
      sw = await startRealLlamaSwap({
        port,
        models: {
          [A.id]: { name: A.name, description: 'first', loadMs: LOAD_MS, slots: 2, tps: 40 },
          [B.id]: { name: B.name, description: 'second', loadMs: LOAD_MS, slots: 2, tps: 60 },
        },
      }, bin);
      return sw.url;
    },
    async stop() {
      await sw?.stop();
    },
    async running() {
      const body = (await (await fetch(`${sw?.url ?? ''}/running`)).json()) as { running: { model: string }[] };
      return body.running.map((r) => r.model);
    },
    requests: () => null,
  };
}

/** Keeps `n` chat requests for `model` in flight until stopped. */
function traffic(url: string, model: string, n: number, maxTokens: number): { stop(): Promise<void> } {
  let on = true;
  const loop = async (): Promise<void> => {
    while (on) {
      try {
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: 'count to ten' }] }),
        });
        await res.text();
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const loops = Array.from({ length: n }, () => loop());
  return {
    stop: async () => {
      on = false;
      await Promise.all(loops);
    },
  };
}

async function story(ground: Ground): Promise<void> {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const plugin = startPluginProcess({ apiUrl, timeoutSecs: 1 });
  plugins.push(plugin);
  const since = (): number => plugin.frames.length;

  // 1. Nothing listens: red.
  const down = await plugin.waitForFrame(isStatus('red'), WAIT, 'red status (llama-swap not running)');
  expect(down.header[0]?.params.tooltip).toMatch(/stopped|not answering/);

  // 2. Started, nothing loaded: grey.
  const url = await ground.start(port);
  let at = since();
  await plugin.waitForFrame(isStatus('grey'), WAIT, 'grey status (running, no model loaded)', at);

  // 3. A request loads A: yellow while starting, then green when ready.
  const first = traffic(url, A.id, 1, 8);
  at = since();
  const starting = await plugin.waitForFrame(isStatus('yellow'), WAIT, 'yellow status (A starting)', at);
  // The seconds since the plugin saw it start (and an estimate once a load of it was seen to the end).
  expect(runningModel(starting, A.name)?.title).toMatch(new RegExp(`^${A.name} — loading… \\d+ s( of ~\\d+ s)?$`));
  await first.stop();
  const ready = await plugin.waitForFrame((f) => statusColor(f) === 'green' && runningModel(f, A.name) !== undefined, WAIT, 'green status (A ready)', since());
  expect(runningModel(ready, A.name)?.title).toBe(`${A.name} — ready`);

  // 4. Four concurrent requests on two slots: blue, 2 processing and 2 waiting, a live t/s figure.
  const load = traffic(url, A.id, 4, 120);
  const busy = await plugin.waitForFrame((f) => {
    const q = queueCounts(f);
    return statusColor(f) === 'blue' && q !== null && q.processing === 2 && q.waiting === 2 && (titleRate(f) ?? 0) > 0;
  }, WAIT, 'blue status, 2 processing, 2 waiting, a t/s figure', since());
  const row = runningModel(busy, A.name);
  expect(row?.title).toMatch(new RegExp(`^${A.name} — [\\d.]+ t/s · 2 waiting$`));
  const servedBefore = rowNumber(childRow(row, 'Served:')) ?? 0;
  // The rate rises from no title figure (idle) to a live one; requests served keep rising.
  expect(titleRate(ready)).toBeNull();
  expect(rowNumber(childRow(row, 'Generation:'))).toBeGreaterThan(0);
  await plugin.waitForFrame((f) => (rowNumber(childRow(runningModel(f, A.name), 'Served:')) ?? 0) > servedBefore + 1, WAIT, 'more requests served', since());
  await load.stop();

  // 5. A request for B swaps it in: A leaves, B starts (yellow), then is ready (green).
  const second = traffic(url, B.id, 1, 8);
  const swapping = await plugin.waitForFrame((f) => statusColor(f) === 'yellow' && runningModel(f, B.name) !== undefined, WAIT, 'B starting', since());
  expect(runningModel(swapping, B.name)?.title).toMatch(new RegExp(`^${B.name} — loading… \\d+ s( of ~\\d+ s)?$`));
  await second.stop();
  const swapped = await plugin.waitForFrame((f) => statusColor(f) === 'green' && runningModel(f, B.name) !== undefined && runningModel(f, A.name) === undefined, WAIT, 'B ready, A gone', since());

  // 6. Unload B through its own menu item: exactly that model is unloaded; grey again. (Steps 5
  // and 6 caught the plugin's metrics scrape, sent on a stale /running answer, loading the old
  // model back: poll-sources.ts now scrapes only on a fresh answer.)
  const unload = childRow(runningModel(swapped, B.name), 'Unload this model');
  expect(unload?.params.bash).toBeDefined();
  const run = await plugin.click(unload ?? swapped.header[0]!);
  expect(run, JSON.stringify(run)).toMatchObject({ code: 0 });
  expect(await ground.running()).toEqual([]);
  expect(ground.requests()?.filter((r) => r.path.startsWith('/api/models/unload'))).toEqual(ground.requests() === null ? undefined : [{ method: 'POST', path: `/api/models/unload/${B.id}` }]);
  const empty = await plugin.waitForFrame(isStatus('grey'), WAIT, 'grey after Unload', since());

  // 7. Load A through its idle row, then Unload all through its row.
  const loadRow = topRow(empty, A.name);
  expect(loadRow?.params.bash, bodyTitles(empty)).toBeDefined();
  expect((await plugin.click(loadRow!)).code).toBe(0);
  await plugin.waitForFrame((f) => statusColor(f) === 'green' && runningModel(f, A.name) !== undefined, WAIT, 'A ready after Load', since());
  const unloadAll = topRow(plugin.latest() as ParsedFrame, 'Unload all models');
  expect(unloadAll?.params.bash).toBeDefined();
  expect((await plugin.click(unloadAll!)).code).toBe(0);
  expect(await ground.running()).toEqual([]);
  if (ground.requests()) expect(ground.requests()?.some((r) => r.method === 'POST' && r.path === '/api/models/unload')).toBe(true);
  await plugin.waitForFrame(isStatus('grey'), WAIT, 'grey after Unload all', since());

  // 8. Stopped again: red, with the stream still going and every frame well-formed.
  await ground.stop();
  await plugin.waitForFrame(isStatus('red'), WAIT, 'red after llama-swap stopped', since());
  expect(plugin.malformed).toEqual([]);
  expect(await plugin.stop()).toEqual({ code: 0, signal: null });
}

const plugins: PluginProcess[] = [];
afterEach(async () => {
  await Promise.all(plugins.splice(0).map((p) => p.dispose()));
});

describe('the plugin story, streamed', () => {
  it('against the simulator: down → empty → starting → ready → processing → swap → unload → unload all → down', async () => {
    const ground = simulatorGround();
    try {
      await story(ground);
    } finally {
      await ground.stop();
    }
  }, 150_000);

  const { bin, failure } = realLlamaSwapGate();
  if (failure) it('the real llama-swap binary is required here', () => expect.fail(failure));
  it.skipIf(bin === null)('against the real llama-swap with stand-in llama-servers', async () => {
    const ground = realGround(bin ?? '');
    try {
      await story(ground);
    } finally {
      await ground.stop();
    }
  }, 180_000);
});
