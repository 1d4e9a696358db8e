/**
 * Our llama-swap client (src/system/llama-swap/llama-swap-client.ts) against the REAL llama-swap binary with
 * stand-in llama-servers: every answer it parses must come out as a typed value, not an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaSwapClient, type LlamaSwapClient } from '../../src/system/llama-swap/llama-swap-client.js';
import type { Result } from '../../src/system/types.js';
import { findLlamaSwapBinary, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const TIMEOUT = 60_000;
// real-api.e2e.test.ts prints the skip line and holds the CI failure; this file only follows it.
const bin = findLlamaSwapBinary();

function clientFor(sw: RealLlamaSwap, apiKey: string | null = null): LlamaSwapClient {
  return createLlamaSwapClient({ apiUrl: sw.url, apiPort: sw.port, apiTimeoutMs: 20_000, apiKey });
}

async function until<T>(probe: () => Promise<Result<T>>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await probe();
    if (r.ok && accept(r.value)) return r.value;
    if (Date.now() > deadline) throw new Error(`not reached in time; last answer ${JSON.stringify(r)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(bin === null)('llama-swap client against the real binary', () => {
  let sw: RealLlamaSwap;
  let client: LlamaSwapClient;

  beforeAll(async () => {
    sw = await startRealLlamaSwap({
      models: {
        'model-a': { loadMs: 300, name: 'Model A', ttl: 120 },
        'no-metrics': { loadMs: 50, metrics: false },
        'org/model b': { loadMs: 50 },
      },
    }, bin);
    client = clientFor(sw);
  }, TIMEOUT);

  afterAll(async () => {
    await sw?.stop();
  }, TIMEOUT);

  it('reads health, an empty /running and the configured models', async () => {
    expect(await client.health()).toEqual({ ok: true, value: true });
    expect(await client.running()).toEqual({ ok: true, value: [] });
    const models = await client.models();
    expect(models.ok).toBe(true);
    if (!models.ok) return;
    expect(models.value.map((m) => m.id).sort()).toEqual(['model-a', 'no-metrics', 'org/model b']);
    expect(models.value.find((m) => m.id === 'model-a')).toMatchObject({ name: 'Model A' });
  }, TIMEOUT);

  it('loadModel starts a model, which turns ready in running() with its ttl; metrics() parses its scrape', async () => {
    expect((await client.loadModel('model-a')).ok).toBe(true);
    const list = await until(() => client.running(), (l) => l.some((m) => m.id === 'model-a' && m.state === 'ready'));
    expect(list.find((m) => m.id === 'model-a')).toMatchObject({ ttl: 120, name: 'Model A' });
    const metrics = await client.metrics('model-a');
    expect(metrics.ok).toBe(true);
    if (metrics.ok) expect(typeof metrics.value.promptTokensTotal).toBe('number');
  }, TIMEOUT);

  it('metrics() of a model without --metrics is metrics-disabled, not down', async () => {
    const r = await client.metrics('no-metrics');
    expect(r).toMatchObject({ ok: false, error: { kind: 'metrics-disabled', status: 501 } });
  }, TIMEOUT);

  it('handles an id with a slash and a space (load, running, unload)', async () => {
    expect((await client.loadModel('org/model b')).ok).toBe(true);
    await until(() => client.running(), (l) => l.some((m) => m.id === 'org/model b' && m.state === 'ready'));
    expect(await client.unloadModel('org/model b')).toEqual({ ok: true, value: undefined });
    await until(() => client.running(), (l) => l.length === 0);
  }, TIMEOUT);

  it('unloadModel of an unknown id is not-found; unloadAll empties /running', async () => {
    expect(await client.unloadModel('nope')).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect((await client.loadModel('model-a')).ok).toBe(true);
    await until(() => client.running(), (l) => l.length === 1);
    expect(await client.unloadAll()).toEqual({ ok: true, value: undefined });
    await until(() => client.running(), (l) => l.length === 0);
  }, TIMEOUT);

  it('performance() gives host stats once llama-swap has a sample (or says not-supported)', async () => {
    const first = await client.performance();
    if (!first.ok && first.error.kind === 'not-supported') return;
    const stats = await until(() => client.performance(), () => true, 15_000);
    expect(stats).toBeTypeOf('object');
  }, TIMEOUT);
});

describe.skipIf(bin === null)('llama-swap client with apiKeys against the real binary', () => {
  const KEY = 'sk-client-e2e';
  let sw: RealLlamaSwap;

  beforeAll(async () => {
    sw = await startRealLlamaSwap({ models: { 'model-a': { loadMs: 50 } }, apiKeys: [KEY] }, bin);
  }, TIMEOUT);

  afterAll(async () => {
    await sw?.stop();
  }, TIMEOUT);

  it('is unauthorized without the key and reads everything with it', async () => {
    expect(await clientFor(sw).running()).toMatchObject({ ok: false, error: { kind: 'unauthorized', status: 401 } });
    const keyed = clientFor(sw, KEY);
    expect(await keyed.running()).toEqual({ ok: true, value: [] });
    expect((await keyed.loadModel('model-a')).ok).toBe(true);
    await until(() => keyed.running(), (l) => l.some((m) => m.state === 'ready'));
    expect((await keyed.metrics('model-a')).ok).toBe(true);
  }, TIMEOUT);
});
