import { afterEach, describe, expect, it } from 'vitest';
import { apiOrigin, createLlamaSwapClient, encodeModelId } from '../../../src/system/llama-swap/llama-swap-client.js';
import type { LlamaSwapClient } from '../../../src/system/llama-swap/llama-swap-client.js';
import type { ApiError, Result } from '../../../src/system/types.js';
import { startFakeLlamaSwap } from '../../helpers/fake-llama-swap.js';
import type { FakeLlamaSwap, FakeMode } from '../../helpers/fake-llama-swap.js';

const KEY = 'sk-SECRET-key-123';
let fake: FakeLlamaSwap | null = null;

afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup(mode: FakeMode = 'ok', opts: { key?: string | null; serverKey?: string; timeoutMs?: number } = {}): Promise<{ f: FakeLlamaSwap; c: LlamaSwapClient }> {
  fake = await startFakeLlamaSwap({ mode, apiKey: opts.serverKey });
  const c = createLlamaSwapClient({ apiUrl: 'http://127.0.0.1', apiPort: fake.port, apiTimeoutMs: opts.timeoutMs ?? 2000, apiKey: opts.key ?? null });
  return { f: fake, c };
}

function err<T>(r: Result<T>): ApiError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

/** Every client call once (none may throw). */
function everyCall(c: LlamaSwapClient): Promise<Result<unknown>>[] {
  return [
    c.health(), c.running(), c.models(), c.metrics('qwen-7b'), c.performance(), c.profiles(),
    c.setProfile('coding'), c.unloadAll(), c.unloadModel('qwen-7b'), c.loadModel('qwen-7b'),
  ];
}

describe('llama-swap client, happy path', () => {
  it('reads /running, /v1/models, /api/profiles', async () => {
    const { c } = await setup();
    const running = await c.running();
    expect(running).toEqual({
      ok: true,
      value: [
        { id: 'qwen-7b', state: 'ready', cmd: 'llama-server --port 5800 -m /m/q.gguf --metrics', proxy: 'http://127.0.0.1:5800', ttl: 300, name: 'Qwen 7B', description: 'code' },
        { id: 'llama-3b', state: 'starting', cmd: 'llama-server --port ${PORT}', proxy: 'http://127.0.0.1:5801', ttl: 0, name: '', description: '' },
      ],
    });
    const models = await c.models();
    expect(models.ok && models.value.map((m) => [m.id, m.loaded, m.name])).toEqual([
      ['llama-3b', false, ''],
      ['qwen-7b', true, 'Qwen 7B'],
      ['old-style', undefined, ''],
    ]);
    expect(await c.profiles()).toEqual({ ok: true, value: { active: null, profiles: [{ id: 'coding', description: 'code models', pins: { coder: 'qwen-7b' } }] } });
    expect(await c.health()).toEqual({ ok: true, value: true });
  });

  it('metrics() is one plain GET of /upstream/<id>/metrics', async () => {
    const { f, c } = await setup();
    const r = await c.metrics('qwen-7b');
    expect(r.ok && r.value.tokensPredictedTotal).toBe(2720);
    expect(f.log.map((l) => `${l.method} ${l.path}`)).toEqual(['GET /upstream/qwen-7b/metrics']);
    expect(f.log[0]?.body).toBe('');
  });

  it('performance() is the newest sample: mean CPU, MB → bytes, newest GPU sample', async () => {
    const { c } = await setup();
    const r = await c.performance();
    expect(r).toEqual({
      ok: true,
      value: {
        source: 'llama-swap',
        timestamp: Date.parse('2026-11-25T10:00:05Z'),
        cpuPercent: 40,
        cpuPerCore: [50, 70, 30, 10],
        memUsedBytes: 8192 * 1024 * 1024,
        memTotalBytes: 24576 * 1024 * 1024,
        swapUsedBytes: 512 * 1024 * 1024,
        swapTotalBytes: 2048 * 1024 * 1024,
        loadAvg1: 1.25,
        gpus: [{ name: 'Apple M1 Pro (16-core GPU)', utilPercent: 80, memUsedBytes: 4096 * 1024 * 1024, memTotalBytes: 16384 * 1024 * 1024, tempC: 45, powerW: 12.5 }],
      },
    });
  });

  it('performance(): 503 {"enabled":false} and 404 are not-supported; gpu_stats null is fine', async () => {
    const { f, c } = await setup();
    f.route('GET /api/performance', { status: 503, body: '{"enabled":false}', type: 'application/json' });
    expect(err(await c.performance()).kind).toBe('not-supported');
    f.route('GET /api/performance', { status: 404, body: '404 page not found' });
    expect(err(await c.performance()).kind).toBe('not-supported');
    f.route('GET /api/performance', { status: 200, body: JSON.stringify({ enabled: true, sys_stats: [{ cpu_util_per_core: [], mem_total_mb: 1, mem_used_mb: 1 }], gpu_stats: null }) });
    const r = await c.performance();
    expect(r.ok && [r.value.cpuPercent, r.value.gpus, r.value.swapTotalBytes]).toEqual([0, [], null]);
    f.route('GET /api/performance', { status: 200, body: JSON.stringify({ enabled: true, sys_stats: [], gpu_stats: [] }) });
    expect(err(await c.performance()).kind).toBe('invalid-response');
  });

  it('control calls hit the documented endpoints', async () => {
    const { f, c } = await setup();
    expect(await c.setProfile('coding')).toEqual({ ok: true, value: undefined });
    expect(await c.setProfile(null)).toEqual({ ok: true, value: undefined });
    expect(await c.unloadAll()).toEqual({ ok: true, value: undefined });
    expect(await c.unloadModel('qwen-7b')).toEqual({ ok: true, value: undefined });
    expect(await c.loadModel('llama-3b')).toEqual({ ok: true, value: 'ready' });
    expect(f.log.map((l) => `${l.method} ${l.path} ${l.body}`)).toEqual([
      'PUT /api/profiles/active {"name":"coding"}',
      'PUT /api/profiles/active {"name":null}',
      'POST /api/models/unload ',
      'POST /api/models/unload/qwen-7b ',
      'GET /upstream/llama-3b/health ',
    ]);
  });

  it('unknown model and unknown profile are not-found; unloadAll falls back to GET /unload', async () => {
    const { f, c } = await setup();
    expect(err(await c.unloadModel('nope')).kind).toBe('not-found');
    expect(err(await c.loadModel('nope')).kind).toBe('not-found');
    expect(err(await c.metrics('nope')).kind).toBe('not-found');
    expect(err(await c.setProfile('nope')).kind).toBe('not-found');
    f.route('POST /api/models/unload', { status: 404, body: '404 page not found' });
    expect(await c.unloadAll()).toEqual({ ok: true, value: undefined });
    expect(f.log.slice(-2).map((l) => `${l.method} ${l.path}`)).toEqual(['POST /api/models/unload', 'GET /unload']);
  });

  it('loadModel resolves without waiting for a slow load: started, not ready', async () => {
    const { f, c } = await setup('slow', { timeoutMs: 300 });
    expect(await c.loadModel('qwen-7b')).toEqual({ ok: true, value: 'started' });
    expect(f.log.map((l) => l.path)).toEqual(['/upstream/qwen-7b/health']);
  });

  it('the unloads and loadModel wait for their own bound, not the client timeout', async () => {
    const { c } = await setup('slow', { timeoutMs: 30_000 });
    // The bound given is the one that expires (the client's 30 s would hold the test).
    expect(err(await c.unloadModel('qwen-7b', 150)).message).toMatch(/did not answer within 0\.15 s$/);
    expect(err(await c.unloadAll(150)).message).toMatch(/did not answer within 0\.15 s$/);
    expect(await c.loadModel('qwen-7b', 150)).toEqual({ ok: true, value: 'started' });
  });
});

describe('requestCounts', () => {
  it('asks /api/metrics/activity per model and reads total', async () => {
    const { f, c } = await setup();
    const r = await c.requestCounts(['qwen-7b', 'a b&c']);
    expect(r.ok && [...r.value]).toEqual([['qwen-7b', 42], ['a b&c', 0]]);
    expect(f.log.map((l) => l.path).sort()).toEqual(['/api/metrics/activity?model=a%20b%26c&limit=1', '/api/metrics/activity?model=qwen-7b&limit=1']);
  });

  it('is not-supported on versions without the activity store', async () => {
    const { f, c } = await setup();
    f.route('GET /api/metrics/activity?model=qwen-7b&limit=1', { status: 404, body: '404 page not found' });
    expect(err(await c.requestCounts(['qwen-7b'])).kind).toBe('not-supported');
    expect(await c.requestCounts([])).toEqual({ ok: true, value: new Map() });
  });
});

describe('model ids in URLs', () => {
  it('encodes a hostile id as exactly one path segment', async () => {
    const { f, c } = await setup();
    const id = 'a/b c|d"e';
    await c.metrics(id);
    await c.unloadModel(id);
    await c.loadModel(id);
    expect(f.log.map((l) => l.path)).toEqual([
      '/upstream/a%2Fb%20c%7Cd%22e/metrics',
      '/api/models/unload/a%2Fb%20c%7Cd%22e',
      '/upstream/a%2Fb%20c%7Cd%22e/health',
    ]);
  });

  it('refuses ids a URL parser would normalise away, without a request', async () => {
    const { f, c } = await setup();
    for (const id of ['', '.', '..']) {
      expect(err(await c.metrics(id)).kind).toBe('not-found');
      expect(err(await c.loadModel(id)).kind).toBe('not-found');
    }
    expect(f.log).toEqual([]);
    expect(encodeModelId('../x')).toBe('..%2Fx');
    expect(encodeModelId('q?x#y&z')).toBe('q%3Fx%23y%26z');
  });
});

describe('failures map to short ApiErrors and never throw', () => {
  const oneLine = (e: ApiError) => {
    expect(e.message).not.toMatch(/[\r\n]/);
    expect(e.message.length).toBeLessThanOrEqual(160);
  };

  it('401 without a key: needs an API key', async () => {
    const { c } = await setup('401');
    const e = err(await c.running());
    expect(e).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(e.message).toContain('needs an API key (set LLAMA_SWAP_API_KEY)');
  });

  it('401 with a key: key rejected; the key never appears anywhere', async () => {
    const { c } = await setup('401', { key: KEY });
    const results = await Promise.all(everyCall(c));
    for (const r of results) {
      if (r.ok) continue;
      expect(JSON.stringify(r.error)).not.toContain(KEY);
      oneLine(r.error);
    }
    const e = err(await c.models());
    expect(e.kind).toBe('unauthorized');
    expect(e.message).toContain('API key rejected');
  });

  it('sends the key as Bearer on every request, including /upstream/…/metrics', async () => {
    const { f, c } = await setup('ok', { key: KEY, serverKey: KEY });
    const results = await Promise.all(everyCall(c));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(f.log.length).toBe(10);
    for (const l of f.log) expect(l.authorization).toBe(`Bearer ${KEY}`);
    expect(f.log.some((l) => l.path.endsWith('/metrics'))).toBe(true);
  });

  it('sends no Authorization header without a key', async () => {
    const { f, c } = await setup();
    await c.running();
    expect(f.log[0]?.authorization).toBeUndefined();
  });

  it('connection refused → unreachable', async () => {
    const { c } = await setup('down', { key: KEY });
    for (const r of await Promise.all(everyCall(c))) {
      const e = err(r);
      if (e.kind === 'not-found') continue;
      expect(e.kind === 'unreachable' || (e.kind as string) === 'timeout').toBe(true);
      expect(JSON.stringify(e)).not.toContain(KEY);
      oneLine(e);
    }
    expect(err(await c.running()).kind).toBe('unreachable');
    expect(err(await c.running()).message).toContain('refused the connection');
  });

  it('a held request → timeout', async () => {
    const { c } = await setup('slow', { timeoutMs: 150 });
    const e = err(await c.running());
    expect(e.kind).toBe('timeout');
    oneLine(e);
  });

  it.each(['garbage', 'html', 'truncated'] as const)('%s body → invalid-response on every JSON and metrics call', async (mode) => {
    const { c } = await setup(mode);
    const results: Result<unknown>[] = [await c.running(), await c.models(), await c.performance(), await c.profiles()];
    for (const r of results) {
      expect(err(r).kind).toBe('invalid-response');
      oneLine(err(r));
    }
    expect(err(await c.metrics('qwen-7b')).kind).toBe('invalid-response');
  });

  it('501 on metrics → metrics-disabled with the fix', async () => {
    const { c } = await setup('501');
    const e = err(await c.metrics('qwen-7b'));
    expect(e).toMatchObject({ kind: 'metrics-disabled', status: 501 });
    expect(e.message).toContain("add --metrics to the model's cmd");
  });

  it('other statuses → http with a short reason from a JSON or text body', async () => {
    const { f, c } = await setup();
    f.route('GET /running', { status: 500, body: '{"error":{"message":"boom\\nsecond line"}}' });
    const e = err(await c.running());
    expect(e).toMatchObject({ kind: 'http', status: 500 });
    expect(e.message).toBe('llama-swap answered HTTP 500: boom');
  });

  it('a fetch that throws synchronously-odd errors still resolves', async () => {
    const c = createLlamaSwapClient({
      apiUrl: 'http://127.0.0.1',
      apiPort: 1,
      apiTimeoutMs: 100,
      apiKey: KEY,
      fetch: () => Promise.reject(new Error(`weird failure mentioning ${KEY}`)),
    });
    for (const r of await Promise.all(everyCall(c))) {
      expect(r.ok).toBe(false);
      expect(JSON.stringify(r)).not.toContain(KEY);
    }
  });
});

describe('a body cut off mid-stream', () => {
  it('is invalid-response, not unreachable', async () => {
    const cut = (): Promise<Response> =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            start(ctrl) {
              ctrl.enqueue(new TextEncoder().encode('{"running":['));
              ctrl.error(new Error('socket hang up'));
            },
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
      );
    const c = createLlamaSwapClient({ apiUrl: 'http://127.0.0.1', apiPort: 1, apiTimeoutMs: 1000, apiKey: null, fetch: cut });
    expect(err(await c.running())).toMatchObject({ kind: 'invalid-response', message: "llama-swap's answer was cut short" });
  });
});

describe('apiOrigin', () => {
  it('adds the port only when the URL has none', () => {
    expect(apiOrigin('http://127.0.0.1', 45786)).toBe('http://127.0.0.1:45786');
    expect(apiOrigin('http://gpu-box.local:9000', 45786)).toBe('http://gpu-box.local:9000');
    expect(apiOrigin('https://[::1]', 8443)).toBe('https://[::1]:8443');
    expect(apiOrigin('not a url', 1234)).toBe('http://127.0.0.1:1234');
  });
});
