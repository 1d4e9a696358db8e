/**
 * Actions that take longer than the polling timeout, through the installed wrapper: unloading a
 * model with a generation in flight makes llama-swap drain it first (the simulator: about 2.2 s),
 * far past the plugin's 0.5 s API timeout. Before the actions had their own bounds, both unloads
 * said "did not answer within 0.5 s", exit 1, with a failure recorded, while the model was gone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlamaSwapSimulator, type LlamaSwapSimulator } from '../../src/system/simulator/index.js';
import { installPlugin, type InstalledPlugin } from './helpers/plugin-process.js';

const MODEL = { id: 'qwen2.5-coder-7b', name: 'Qwen', description: 'busy model', slots: 1, tps: 50, metrics: true } as const;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simulator(): Promise<LlamaSwapSimulator> {
  const sim = await createLlamaSwapSimulator({ passive: true, loadMs: 50, performanceIntervalMs: null, models: [MODEL], profiles: [] });
  cleanups.push(() => sim.close());
  return sim;
}

function install(sim: LlamaSwapSimulator): InstalledPlugin {
  const installed = installPlugin({ apiUrl: sim.url, timeoutSecs: 0.5 });
  cleanups.push(() => installed.dispose());
  return installed;
}

/** Starts a long streamed generation and resolves once llama-swap has it in flight (headers sent). */
async function busy(sim: LlamaSwapSimulator): Promise<void> {
  const controller = new AbortController();
  cleanups.push(() => controller.abort());
  const res = await fetch(`${sim.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, signal: controller.signal,
    body: JSON.stringify({ model: MODEL.id, stream: true, max_tokens: 5000, messages: [{ role: 'user', content: 'write a lot' }] }),
  });
  expect(res.status).toBe(200);
  // Read the stream in the background so the simulator is never blocked by back-pressure.
  void res.text().catch(() => undefined);
}

const runningIds = async (sim: LlamaSwapSimulator): Promise<string[]> =>
  ((await (await fetch(`${sim.url}/running`)).json()) as { running: { model: string }[] }).running.map((m) => m.model);

const lastAction = (p: InstalledPlugin): { ok: boolean; message: string } =>
  JSON.parse(readFileSync(join(p.cacheDir, 'last-action.json'), 'utf8')) as { ok: boolean; message: string };

describe('actions wait for llama-swap, not for the polling timeout', { timeout: 60_000 }, () => {
  it('do_unload_model on a busy model: says what it waits for, then reports the unload as done', async () => {
    const sim = await simulator();
    const plugin = install(sim);
    await busy(sim);
    const run = await plugin.run(['do_unload_model', MODEL.id]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Unloading "${MODEL.id}"… (waiting for llama-swap to stop it`);
    expect(run.stdout).toContain(`unloaded model "${MODEL.id}"`);
    expect(await runningIds(sim)).toEqual([]);
    expect(lastAction(plugin)).toMatchObject({ ok: true, message: `unloaded model "${MODEL.id}"` });
  });

  it('do_unload with a busy model: the same', async () => {
    const sim = await simulator();
    const plugin = install(sim);
    await busy(sim);
    const run = await plugin.run(['do_unload']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Unloading every model… (waiting for llama-swap to stop them');
    expect(await runningIds(sim)).toEqual([]);
    expect(lastAction(plugin)).toMatchObject({ ok: true, message: 'unloaded all models' });
  });
});
