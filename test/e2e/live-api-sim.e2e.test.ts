/**
 * The streaming plugin against the simulator's live API (runs everywhere, also where no real
 * llama-swap binary exists): a running request appears under its model with Cancel, and clicking
 * the frame's own item (its bash= and paramN=, as SwiftBar does) ends that request.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedItem } from '../../src/reconciler/parse.js';
import { findItem } from '../../src/reconciler/parse.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator } from '../../src/system/simulator/llama-swap-sim.js';
import { modelItem } from './helpers/frame-queries.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';

const TIMEOUT = 60_000;

describe('the plugin on the simulator live API', () => {
  let sim: LlamaSwapSimulator;
  let plugin: PluginProcess;

  beforeAll(async () => {
    sim = await createLlamaSwapSimulator({
      port: 0, loadMs: 50, passive: true, performanceIntervalMs: null,
      models: [{ id: 'slow', tps: 10, slots: 2 }],
    });
    plugin = startPluginProcess({ apiUrl: sim.url, timeoutSecs: 2 });
    await plugin.waitForFrame((f) => findItem(f, 'slow') !== undefined, 30_000, 'models listed');
  }, TIMEOUT);

  afterAll(async () => {
    await plugin?.dispose();
    await sim?.close();
  }, TIMEOUT);

  it('clicking Cancel on a streaming request ends it', async () => {
    let complete: boolean | null = null;
    const ended = new Promise<void>((resolve) => {
      const req = request(`${sim.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('close', () => {
          complete = res.complete && text.includes('[DONE]');
          resolve();
        });
      });
      req.on('error', () => {
        complete = false;
        resolve();
      });
      req.end(JSON.stringify({ model: 'slow', stream: true, max_tokens: 2000, messages: [{ role: 'user', content: 'hi' }] }));
    });
    const frame = await plugin.waitForFrame((f) => modelItem(f, 'slow')?.children.some((c) => c.type === 'item' && c.title === 'In flight: 1 request') === true, 30_000, 'request in flight');
    const row = modelItem(frame, 'slow')?.children.find((c): c is ParsedItem => c.type === 'item' && c.title.startsWith('POST /v1/chat/completions · '));
    const cancel = row?.children.find((c): c is ParsedItem => c.type === 'item' && c.title === 'Cancel');
    expect(Object.values(cancel?.params ?? {})).toContain('do_cancel_request');
    const run = await plugin.click(cancel as ParsedItem);
    expect(run.code, run.stderr).toBe(0);
    await ended;
    expect(complete).toBe(false);
    await plugin.waitForFrame((f) => modelItem(f, 'slow')?.children.some((c) => c.type === 'item' && c.title.startsWith('In flight')) === false, 30_000, 'no longer in flight');
  }, TIMEOUT);
});
