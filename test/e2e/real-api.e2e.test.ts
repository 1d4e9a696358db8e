/**
 * Checks the llama-swap API shapes our client and simulator assume against the REAL llama-swap
 * binary (bash scripts/install-llama-swap.sh), with the project's stand-in llama-server as models.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realLlamaSwapGate, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

type Json = Record<string, unknown>;

const TIMEOUT = 60_000;
const gate = realLlamaSwapGate();
const bin = gate.bin;

async function get(sw: RealLlamaSwap, path: string, init?: RequestInit): Promise<Response> {
  return await fetch(`${sw.url}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
}

async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

async function running(sw: RealLlamaSwap): Promise<readonly Json[]> {
  const body = await json(await get(sw, '/running'));
  return body['running'] as Json[];
}

/** Loads a model the way the plugin's "load" action does: any request under /upstream/<id>/. */
async function load(sw: RealLlamaSwap, id: string): Promise<Response> {
  return await get(sw, `/upstream/${encodeURIComponent(id)}/health`);
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

if (gate.failure !== null) {
  describe('real llama-swap', () => {
    it('has a binary to test (CI)', () => {
      throw new Error(gate.failure ?? '');
    });
  });
}

describe.skipIf(bin === null)('real llama-swap API (no keys)', () => {
  let sw: RealLlamaSwap;

  beforeAll(async () => {
    sw = await startRealLlamaSwap({
      models: {
        'model-a': { loadMs: 600, name: 'Model A', description: 'first', ttl: 300, aliases: ['alpha'] },
        'model-b': { loadMs: 50 },
        'no-metrics': { loadMs: 50, metrics: false },
        'my model/v1': { loadMs: 50 },
        hidden: { loadMs: 50, unlisted: true },
        // Upstream's own fake-model: an OpenAI-style server that is not llama.cpp.
        fake: { kind: 'fake-model', loadMs: 50, tokens: 12, tps: 500 },
      },
    }, bin);
  }, TIMEOUT);

  afterAll(async () => {
    await sw?.stop();
  }, TIMEOUT);

  it('GET /health answers 200 OK as text', async () => {
    const res = await get(sw, '/health');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
  }, TIMEOUT);

  it('GET /running is empty before any load', async () => {
    const res = await get(sw, '/running');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await json(res)).toEqual({ running: [] });
  }, TIMEOUT);

  it('GET /v1/models lists the configured models (not unlisted ones) with a status', async () => {
    const body = await json(await get(sw, '/v1/models'));
    expect(body['object']).toBe('list');
    const data = body['data'] as Json[];
    const ids = data.map((m) => m['id']);
    expect(ids).toEqual(expect.arrayContaining(['model-a', 'model-b', 'no-metrics', 'my model/v1', 'fake']));
    expect(ids).not.toContain('hidden');
    const a = data.find((m) => m['id'] === 'model-a');
    expect(a).toMatchObject({ object: 'model', owned_by: 'llama-swap', name: 'Model A', description: 'first' });
    expect(typeof a?.['created']).toBe('number');
    // Older versions have no status; when present it must say unloaded.
    if (a?.['status'] !== undefined) expect(a['status']).toEqual({ value: 'unloaded' });
  }, TIMEOUT);

  it('a load goes starting → ready, then /running, /v1/models and /upstream/<id>/metrics show it', async () => {
    const loading = load(sw, 'model-a');
    const starting = await until(async () => (await running(sw)).find((m) => m['model'] === 'model-a'));
    expect(['starting', 'ready']).toContain(starting['state']);
    const res = await loading;
    expect(res.status).toBe(200);
    const [ready] = await running(sw);
    expect(ready).toMatchObject({ model: 'model-a', state: 'ready', ttl: 300, name: 'Model A', description: 'first' });
    expect(ready?.['proxy']).toBe(`http://127.0.0.1:${sw.modelPorts['model-a']}`);
    expect(String(ready?.['cmd'])).toContain('llama-server');

    const models = (await json(await get(sw, '/v1/models')))['data'] as Json[];
    const listed = models.find((m) => m['id'] === 'model-a');
    if (listed?.['status'] !== undefined) expect(listed['status']).toEqual({ value: 'loaded' });

    const metrics = await get(sw, '/upstream/model-a/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^llamacpp:prompt_tokens_total \d+/m);
  }, TIMEOUT);

  it('an alias resolves through /upstream to the real model id', async () => {
    expect((await load(sw, 'alpha')).status).toBe(200);
    expect((await running(sw)).map((m) => m['model'])).toEqual(['model-a']);
  }, TIMEOUT);

  it('loading model B stops model A (default group swaps)', async () => {
    expect((await load(sw, 'model-a')).status).toBe(200);
    expect((await load(sw, 'model-b')).status).toBe(200);
    const states = await until(async () => {
      const list = await running(sw);
      return list.length === 1 ? list : undefined;
    });
    expect(states.map((m) => [m['model'], m['state']])).toEqual([['model-b', 'ready']]);
  }, TIMEOUT);

  it('/upstream/<id>/metrics of a model started without --metrics passes llama-server\'s 501 through', async () => {
    const res = await get(sw, '/upstream/no-metrics/metrics');
    expect(res.status).toBe(501);
    const body = await json(res);
    expect(body['error']).toMatchObject({ code: 501, type: 'not_supported_error' });
  }, TIMEOUT);

  it('a model id with a space and a slash works URL-encoded through /upstream and unload', async () => {
    const encoded = await load(sw, 'my model/v1');
    expect(encoded.status).toBe(200);
    expect(await until(async () => {
      const ids = (await running(sw)).map((m) => m['model']);
      return ids.length === 1 ? ids : undefined;
    })).toEqual(['my model/v1']);
    const pathStyle = await get(sw, '/upstream/my%20model/v1/health');
    expect(pathStyle.status).toBe(200);
    const unload = await get(sw, `/api/models/unload/${encodeURIComponent('my model/v1')}`, { method: 'POST' });
    expect(unload.status).toBe(200);
    expect(await running(sw)).toEqual([]);
  }, TIMEOUT);

  it('POST /api/models/unload/<id> answers OK; unknown ids 404', async () => {
    expect((await load(sw, 'model-b')).status).toBe(200);
    const res = await get(sw, '/api/models/unload/model-b', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
    expect(await running(sw)).toEqual([]);
    const missing = await get(sw, '/api/models/unload/nope', { method: 'POST' });
    expect(missing.status).toBe(404);
  }, TIMEOUT);

  it('POST /api/models/unload answers {"msg":"ok"} and GET /unload answers OK; both stop everything', async () => {
    expect((await load(sw, 'model-b')).status).toBe(200);
    const all = await get(sw, '/api/models/unload', { method: 'POST' });
    expect(all.status).toBe(200);
    expect(await json(all)).toEqual({ msg: 'ok' });
    expect(await running(sw)).toEqual([]);

    expect((await load(sw, 'model-b')).status).toBe(200);
    const legacy = await get(sw, '/unload');
    expect(legacy.status).toBe(200);
    expect((await legacy.text()).trim()).toBe('OK');
    expect(await running(sw)).toEqual([]);
  }, TIMEOUT);

  it('upstream fake-model (not llama.cpp) loads, answers a chat completion through llama-swap, and has no llama.cpp /metrics', async () => {
    const res = await get(sw, '/v1/chat/completions', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake', max_tokens: 12, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body['usage']).toMatchObject({ completion_tokens: 12 });
    // No llama.cpp timings in its answers, so llama-swap records no tokens/s of its own for it.
    expect(body['timings']).toBeUndefined();
    const ready = await until(async () => (await running(sw)).find((m) => m['model'] === 'fake' && m['state'] === 'ready'));
    expect(String(ready['cmd'])).toContain('fake-model');
    const metrics = await get(sw, '/upstream/fake/metrics');
    await metrics.body?.cancel();
    expect(metrics.status).toBe(404);
  }, TIMEOUT);

  it('GET /api/performance is on by default and has host samples (or is absent: 404)', async () => {
    const first = await get(sw, '/api/performance');
    await first.body?.cancel();
    if (first.status === 404) return; // an older llama-swap without the host monitor
    // The monitor samples every few seconds; wait for the first sample.
    const body = await until(async () => {
      const b = await json(await get(sw, '/api/performance'));
      return Array.isArray(b['sys_stats']) && (b['sys_stats'] as unknown[]).length > 0 ? b : undefined;
    }, 15_000);
    expect(body['enabled']).toBe(true);
    // A GPU-less Linux host may encode Go's nil slice as null.
    expect(body['gpu_stats'] === null || Array.isArray(body['gpu_stats'])).toBe(true);
    const sample = (body['sys_stats'] as Json[])[0];
    expect(sample).toEqual(expect.objectContaining({
      timestamp: expect.any(String), cpu_util_per_core: expect.any(Array),
      mem_total_mb: expect.any(Number), mem_used_mb: expect.any(Number),
    }));
  }, TIMEOUT);
});

describe.skipIf(bin === null)('real llama-swap API with apiKeys', () => {
  const KEY = 'sk-e2e-key';
  let sw: RealLlamaSwap;

  beforeAll(async () => {
    sw = await startRealLlamaSwap({ models: { 'model-a': { loadMs: 50 } }, apiKeys: [KEY] }, bin);
  }, TIMEOUT);

  afterAll(async () => {
    await sw?.stop();
  }, TIMEOUT);

  it('answers 401 with a Basic challenge and a text reason without a key; /health stays open', async () => {
    expect((await get(sw, '/health')).status).toBe(200);
    for (const path of ['/running', '/v1/models', '/upstream/model-a/metrics']) {
      const res = await get(sw, path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="llama-swap"');
      expect(await res.text()).toContain('unauthorized: invalid or missing API key');
    }
    expect((await get(sw, '/running', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    // llama-swap's own Prometheus endpoint sits behind the same auth chain (server.go: `GET /metrics`, apiChain).
    expect((await get(sw, '/metrics')).status).toBe(401);
    expect((await get(sw, '/metrics', { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    // Nothing was loaded by the refused /upstream request.
    expect(await json(await get(sw, '/running', { headers: { authorization: `Bearer ${KEY}` } }))).toEqual({ running: [] });
  }, TIMEOUT);

  it('accepts the key as Bearer, as x-api-key and as the Basic password', async () => {
    const basic = `Basic ${Buffer.from(`anyone:${KEY}`).toString('base64')}`;
    const variants: readonly Record<string, string>[] = [{ authorization: `Bearer ${KEY}` }, { 'x-api-key': KEY }, { authorization: basic }];
    for (const headers of variants) {
      const res = await get(sw, '/running', { headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
    const metrics = await get(sw, '/upstream/model-a/metrics', { headers: { 'x-api-key': KEY } });
    expect(metrics.status).toBe(200);
  }, TIMEOUT);
});

describe.skipIf(bin === null)('real llama-swap profiles', () => {
  let sw: RealLlamaSwap;

  beforeAll(async () => {
    // Its own instance: a version that rejects this profiles syntax fails only these tests.
    sw = await startRealLlamaSwap({
      models: { 'model-a': { loadMs: 50 }, 'model-b': { loadMs: 50 } },
      profiles: { fast: { description: 'fast one', pins: { coder: 'model-b' } } },
    }, bin);
  }, TIMEOUT);

  afterAll(async () => {
    await sw?.stop();
  }, TIMEOUT);

  it('profiles: GET /api/profiles and PUT /api/profiles/active (or 404 when unsupported)', async () => {
    const list = await get(sw, '/api/profiles');
    if (list.status === 404) return;
    expect(await json(list)).toEqual({ active: null, profiles: [{ id: 'fast', description: 'fast one', pins: { coder: 'model-b' } }] });
    const set = await get(sw, '/api/profiles/active', {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'fast' }),
    });
    expect(set.status).toBe(200);
    expect(await json(set)).toMatchObject({ active: 'fast' });
    const unknown = await get(sw, '/api/profiles/active', {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'nope' }),
    });
    expect(unknown.status).toBe(404);
    const bad = await get(sw, '/api/profiles/active', { method: 'PUT', body: 'not json' });
    expect(bad.status).toBe(400);
    const cleared = await get(sw, '/api/profiles/active', {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: null }),
    });
    expect(await json(cleared)).toMatchObject({ active: null });
  }, TIMEOUT);
});
