/** One-shot frames (--once) against the simulator with the real rate tracker: no rate window yet. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMenuModelOnce } from '../../../src/hooks/model/load-menu-model.js';
import { createLlamaSwapClient } from '../../../src/system/llama-swap/llama-swap-client.js';
import { trackRates } from '../../../src/system/llama-swap/metrics-rates.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator } from '../../../src/system/simulator/llama-swap-sim.js';
import { testConfig, testDeps } from '../helpers/test-deps.js';

let dir: string;
let sim: LlamaSwapSimulator | null = null;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hooks-once-live-'));
});
afterEach(async () => {
  await sim?.close();
  sim = null;
  await rm(dir, { recursive: true, force: true });
});

describe('loadMenuModelOnce on the live API', () => {
  it("shows llama.cpp's lifetime averages and llama-swap's activity figures where no rate window exists", async () => {
    sim = await createLlamaSwapSimulator({ port: 0, loadMs: 20, passive: true, performanceIntervalMs: null, models: [{ id: 'alpha', tps: 300, slots: 2 }] });
    const client = createLlamaSwapClient({ apiUrl: sim.url, apiPort: sim.port, apiTimeoutMs: 2000, apiKey: null });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'alpha', max_tokens: 6, messages: [{ role: 'user', content: 'hi' }] }) });
      expect(res.status).toBe(200);
      await res.text();
    }
    const config = testConfig(dir, { apiUrl: sim.url, apiPort: sim.port });
    const m = await loadMenuModelOnce(testDeps(client, dir, { config, trackRates, persistHistory: false }));
    const alpha = m.models.find((x) => x.id === 'alpha');
    // First sight of an idle model: the tracker says 0 (no window), the lifetime average says more.
    expect(alpha?.genTps).toBe(0);
    expect(alpha?.lifetime?.genTps ?? 0).toBeGreaterThan(0);
    expect(alpha?.lifetime?.promptTps ?? 0).toBeGreaterThan(0);
    expect(alpha?.activity).toMatchObject({ served: 2, outputTokens: 12 });
    expect(alpha?.requestsServed).toBe(2);
  });
});
