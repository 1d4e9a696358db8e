/**
 * The plugin across a restart of the REAL llama-swap (its in-memory activity store starts again
 * at id 1): the counts, the cursor and the last request must be the new instance's. Every step
 * waits for the frame that shows it, never for time.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedFrame } from '../../src/reconciler/parse.js';
import { modelItem, childTitles } from './helpers/frame-queries.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';
import { findFakeModelBinary, freePort, realLlamaSwapGate, startRealLlamaSwap, type RealLlamaSwap, type RealLlamaSwapOptions } from './helpers/real-llama-swap.js';

const TIMEOUT = 120_000;
const gate = realLlamaSwapGate();
const bin = gate.bin;
const fakeModel = bin === null ? null : findFakeModelBinary(bin);

function servedLine(frame: ParsedFrame): string | undefined {
  return childTitles(modelItem(frame, 'fake')).find((l) => l.startsWith('Served: '));
}

/** One non-streamed chat completion through llama-swap; resolves when it has ended. */
function chat(url: string, model: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ model, stream: false, messages: [{ role: 'user', content: 'hi' }] }));
  });
}

if (gate.failure !== null) {
  describe('real llama-swap restart', () => {
    it('has a binary to test (CI)', () => {
      throw new Error(gate.failure ?? '');
    });
  });
}

describe.skipIf(bin === null || fakeModel === null)('the plugin across a real llama-swap restart', () => {
  let sw: RealLlamaSwap | null = null;
  let plugin: PluginProcess;
  let options: RealLlamaSwapOptions;

  beforeAll(async () => {
    // One port for both instances: the plugin keeps asking the same address.
    options = { models: { fake: { kind: 'fake-model', tokens: 40, tps: 400 } }, port: await freePort() };
    sw = await startRealLlamaSwap(options, bin);
    plugin = startPluginProcess({ apiUrl: sw.url, timeoutSecs: 2 });
    await plugin.waitForFrame((f) => !(f.header[0]?.title ?? '').includes('circle.dotted'), 30_000, 'first answer');
  }, TIMEOUT);

  afterAll(async () => {
    await plugin?.dispose();
    await sw?.stop();
  }, TIMEOUT);

  it("shows the new instance's count, not the old one's, after llama-swap restarts", async () => {
    const first = sw as RealLlamaSwap;
    for (let i = 0; i < 3; i++) expect(await chat(first.url, 'fake')).toBe(200);
    const before = await plugin.waitForFrame((f) => servedLine(f)?.startsWith('Served: 3 requests') === true, 30_000, 'old instance served 3');
    expect(childTitles(modelItem(before, 'fake')).some((l) => l.startsWith('Last request:'))).toBe(true);

    await first.stop();
    sw = null;
    await plugin.waitForFrame((f) => modelItem(f, 'fake') === undefined, 30_000, 'llama-swap gone');
    const from = plugin.frameCount();
    sw = await startRealLlamaSwap(options, bin);
    expect(await chat(sw.url, 'fake')).toBe(200);
    const after = await plugin.waitForFrame((f) => servedLine(f)?.startsWith('Served: 1 request ') === true, 60_000, 'new instance served 1', from);
    // 40 tokens out: one request of the new instance, not 3 + 1.
    expect(servedLine(after)).toMatch(/^Served: 1 request · .* · 40 out$/);
  }, TIMEOUT);
});
