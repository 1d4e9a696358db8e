/**
 * The plugin against the REAL llama-swap's live API, with both upstream kinds: the project's
 * llama-server stand-in and upstream's own fake-model (OpenAI-style: no llama.cpp /metrics, no
 * timings). Every step waits for the frame that shows it (events), never for time.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedItem } from '../../src/reconciler/parse.js';
import { allItems, findItem } from '../../src/reconciler/parse.js';
import { modelItem, childTitles } from './helpers/frame-queries.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';
import { findFakeModelBinary, realLlamaSwapGate, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const TIMEOUT = 90_000;
const gate = realLlamaSwapGate();
const bin = gate.bin;
const fakeModel = bin === null ? null : findFakeModelBinary(bin);

function chat(url: string, model: string, stream: boolean): { done: Promise<{ complete: boolean }>; abort(): void } {
  let req: ReturnType<typeof request> | null = null;
  const done = new Promise<{ complete: boolean }>((resolve) => {
    req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('close', () => resolve({ complete: res.complete && res.statusCode === 200 && (!stream || text.includes('[DONE]')) }));
    });
    req.on('error', () => resolve({ complete: false }));
    req.end(JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }));
  });
  return { done, abort: () => req?.destroy() };
}

if (gate.failure !== null) {
  describe('real llama-swap live API', () => {
    it('has a binary to test (CI)', () => {
      throw new Error(gate.failure ?? '');
    });
  });
}

describe.skipIf(bin === null || fakeModel === null)('the plugin on the real llama-swap live API', () => {
  let sw: RealLlamaSwap;
  let plugin: PluginProcess;

  beforeAll(async () => {
    sw = await startRealLlamaSwap({
      models: {
        llama: { loadMs: 100 },
        fake: { kind: 'fake-model', tokens: 40, tps: 400 },
        slowfake: { kind: 'fake-model', tokens: 5000, tps: 20 },
      },
      profiles: { work: { pins: { beta: 'fake' } } },
      extraConfig: { selectors: { coder: { strategy: 'warm', targets: ['llama', 'fake'] } } },
    }, bin);
    plugin = startPluginProcess({ apiUrl: sw.url, timeoutSecs: 2 });
    await plugin.waitForFrame((f) => findItem(f, 'Selectors (1)') !== undefined, 30_000, 'first full frame');
  }, TIMEOUT);

  afterAll(async () => {
    await plugin?.dispose();
    await sw?.stop();
  }, TIMEOUT);

  it('shows a load as soon as llama-swap reports it', async () => {
    const from = plugin.frameCount();
    const loaded = fetch(`${sw.url}/upstream/llama/health`);
    await plugin.waitForFrame((f) => /^llama — (loading… \d+ s|ready)$/.test(modelItem(f, 'llama')?.title ?? ''), 20_000, 'llama loading or ready', from);
    await plugin.waitForFrame((f) => modelItem(f, 'llama')?.title === 'llama — ready', 20_000, 'llama ready', from);
    expect((await loaded).status).toBe(200);
  }, TIMEOUT);

  it("fake-model: llama-swap's exact served count and an output speed, plainly without llama.cpp metrics", async () => {
    for (let i = 0; i < 3; i++) expect((await chat(sw.url, 'fake', false).done).complete).toBe(true);
    const frame = await plugin.waitForFrame((f) => childTitles(modelItem(f, 'fake')).some((l) => l.startsWith('Served: 3 requests')), 30_000, 'fake served 3');
    const body = childTitles(modelItem(frame, 'fake'));
    expect(body).toContain('No llama.cpp metrics from this upstream: figures from llama-swap');
    expect(body.find((l) => l.startsWith('Last request:'))).toMatch(/^Last request: \d+(\.\d)? t\/s output, end to end$/);
    expect(body.join('\n')).not.toMatch(/metrics unavailable|last known/);
    expect(allItems(frame).some((i) => /metrics unavailable/.test(i.title))).toBe(false);
  }, TIMEOUT);

  it('lists a long streaming request with Cancel; clicking it ends that request', async () => {
    const slow = chat(sw.url, 'slowfake', true);
    try {
      const frame = await plugin.waitForFrame((f) => childTitles(modelItem(f, 'slowfake')).some((l) => l.startsWith('In flight: 1 request')), 30_000, 'slowfake in flight');
      const row = modelItem(frame, 'slowfake')?.children.find((c): c is ParsedItem => c.type === 'item' && c.title.startsWith('POST /v1/chat/completions · '));
      const cancel = row?.children.find((c): c is ParsedItem => c.type === 'item' && c.title === 'Cancel');
      expect(cancel).toBeDefined();
      const clickedAt = Date.now();
      const run = await plugin.click(cancel as ParsedItem);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/cancelled request \d+/);
      expect((await slow.done).complete).toBe(false);
      console.log(`cancel: request ended ${Date.now() - clickedAt} ms after the click (action process start included)`);
      await plugin.waitForFrame((f) => !childTitles(modelItem(f, 'slowfake')).some((l) => l.startsWith('In flight')), 30_000, 'slowfake no longer in flight');
    } finally {
      slow.abort();
    }
  }, TIMEOUT);

  it('shows the selector with its targets and the active profile pin, neither as a loadable model', async () => {
    const res = await fetch(`${sw.url}/api/profiles/active`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"name":"work"}' });
    expect(res.status).toBe(200);
    const frame = await plugin.waitForFrame((f) => findItem(f, /^beta → fake/) !== undefined, 30_000, 'pin shown');
    expect(findItem(frame, /^coder — warm: llama, fake/)).toBeDefined();
    const loads = allItems(frame).filter((i) => Object.values(i.params).includes('do_load_model')).map((i) => i.title);
    expect(loads).not.toContain('coder');
    expect(loads).not.toContain('beta');
  }, TIMEOUT);
});

describe.skipIf(bin === null)('the plugin on the real llama-swap: a model that fails to start', () => {
  let sw: RealLlamaSwap;
  let plugin: PluginProcess;

  beforeAll(async () => {
    // A command that exits at once: llama-swap logs "starting broken failed: upstream command exited prematurely".
    sw = await startRealLlamaSwap({ models: {}, extraConfig: { models: { broken: { cmd: '/bin/false', proxy: 'http://127.0.0.1:9' } } } }, bin);
    plugin = startPluginProcess({ apiUrl: sw.url, timeoutSecs: 2 });
    await plugin.waitForFrame((f) => findItem(f, 'broken') !== undefined, 30_000, 'broken listed');
  }, TIMEOUT);

  afterAll(async () => {
    await plugin?.dispose();
    await sw?.stop();
  }, TIMEOUT);

  it('shows the reason in red with View logs', async () => {
    const res = await fetch(`${sw.url}/upstream/broken/health`);
    expect(res.status).toBe(500);
    const frame = await plugin.waitForFrame((f) => findItem(f, /^broken failed to start: /) !== undefined, 30_000, 'failure shown');
    const item = findItem(frame, /^broken failed to start: /);
    expect(item?.title).toBe('broken failed to start: upstream command exited prematurely');
    expect(item?.params.color).toMatch(/^#d70015/);
    expect(item?.children.some((c) => c.type === 'item' && c.title === 'View logs')).toBe(true);
  }, TIMEOUT);
});
