import { afterEach, describe, expect, it } from 'vitest';
import { createLlamaSwapSimulator, type LlamaSwapSimulator, type LlamaSwapSimulatorOptions } from '../../../src/system/simulator/llama-swap-sim.js';
import { EXAMPLE_GROUPS } from '../../../src/system/simulator/sim-config.js';

const sims: LlamaSwapSimulator[] = [];
async function start(options: LlamaSwapSimulatorOptions = {}): Promise<LlamaSwapSimulator> {
  const sim = await createLlamaSwapSimulator({ port: 0, loadMs: 120, stopMs: 10, passive: true, performanceIntervalMs: 50, ...options });
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

type Running = { running: { model: string; state: string; ttl: number; cmd: string; proxy: string; name: string; description: string }[] };
const json = async <T>(url: string, init?: RequestInit): Promise<T> => (await fetch(url, init)).json() as Promise<T>;
const running = (sim: LlamaSwapSimulator): Promise<Running> => json<Running>(`${sim.url}/running`);
const states = async (sim: LlamaSwapSimulator): Promise<string> => (await running(sim)).running.map((r) => `${r.model}:${r.state}`).join(',');

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('llama-swap simulator: endpoint shapes', () => {
  it('lists configured models OpenAI-style with status, sorted by id', async () => {
    const sim = await start();
    const list = await json<{ object: string; data: Record<string, unknown>[] }>(`${sim.url}/v1/models`);
    expect(list.object).toBe('list');
    expect(list.data.map((m) => m['id'])).toEqual(['assistant', 'gemma-3-12b', 'llama-3.2-3b-instruct', 'nomic-embed-text', 'qwen2.5-coder-7b']);
    expect(list.data[1]).toMatchObject({ object: 'model', owned_by: 'llama-swap', name: 'Gemma 3 12B', meta: { llamaswap: { type: 'model' } }, status: { value: 'unloaded' } });
    // The default selector, as llama-swap lists one (internal/server/api.go).
    expect(list.data[0]).toMatchObject({ id: 'assistant', meta: { llamaswap: { type: 'selector', strategy: 'warm', targets: ['qwen2.5-coder-7b', 'llama-3.2-3b-instruct'] } } });
    expect(await json(`${sim.url}/models`)).toMatchObject({ object: 'list' });
    expect(await running(sim)).toEqual({ running: [] });
  });

  it('answers health, version, ui, redirects, logs and unknown paths like llama-swap', async () => {
    const sim = await start();
    expect(await (await fetch(`${sim.url}/health`)).text()).toBe('OK');
    expect(Object.keys(await json<object>(`${sim.url}/api/version`)).sort()).toEqual(['build_date', 'commit', 'version']);
    const ui = await fetch(`${sim.url}/ui/`);
    expect(ui.headers.get('content-type')).toContain('text/html');
    const root = await fetch(`${sim.url}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/ui']);
    expect((await fetch(`${sim.url}/logs`)).status).toBe(200);
    expect((await fetch(`${sim.url}/nope`)).status).toBe(404);
  });

  it('serves /api/performance with Apple-Silicon figures and the ?after filter', async () => {
    const sim = await start();
    const perf = await waitFor(() => json<{ enabled: boolean; sys_stats: Record<string, unknown>[]; gpu_stats: Record<string, unknown>[] }>(`${sim.url}/api/performance`), (p) => p.sys_stats.length >= 2);
    expect(perf.enabled).toBe(true);
    const sys = perf.sys_stats[0] ?? {};
    expect(Object.keys(sys).sort()).toEqual(['cpu_util_per_core', 'load_avg_1', 'load_avg_15', 'load_avg_5', 'mem_free_mb', 'mem_total_mb', 'mem_used_mb', 'net_io', 'swap_total_mb', 'swap_used_mb', 'timestamp']);
    expect(sys['cpu_util_per_core']).toHaveLength(10);
    expect(perf.gpu_stats[0]).toMatchObject({ name: 'Apple M2 Pro (19-core GPU)', id: 0 });
    expect(Object.keys(perf.gpu_stats[0] ?? {})).toContain('gpu_util_pct');
    const last = String(perf.sys_stats.at(-1)?.['timestamp']);
    const after = await json<{ sys_stats: unknown[] }>(`${sim.url}/api/performance?after=${encodeURIComponent(last)}`);
    expect(after.sys_stats.length).toBeLessThan(perf.sys_stats.length);
    expect((await fetch(`${sim.url}/api/performance?after=yesterday`)).status).toBe(400);
    const off = await start({ performanceIntervalMs: null });
    const disabled = await fetch(`${off.url}/api/performance`);
    expect([disabled.status, await disabled.json()]).toEqual([503, { enabled: false }]);
  });

  it('lists profiles and switches the active one', async () => {
    const sim = await start();
    const profiles = await json<{ active: string | null; profiles: { id: string; pins: object }[] }>(`${sim.url}/api/profiles`);
    expect(profiles.active).toBeNull();
    expect(profiles.profiles.map((p) => p.id)).toEqual(['chat', 'coding']);
    const put = (body: string): Promise<Response> => fetch(`${sim.url}/api/profiles/active`, { method: 'PUT', body });
    expect(await (await put('{"name":"coding"}')).json()).toEqual({ active: 'coding' });
    expect((await put('{"name":"nope"}')).status).toBe(404);
    expect((await put('not json')).status).toBe(400);
    expect(await (await put('{"name":null}')).json()).toEqual({ active: null });
  });

  it('stamps created and performance samples with the injected clock', async () => {
    const sim = await start({ clock: () => Date.parse('2030-01-02T03:04:05Z') });
    const models = await json<{ data: { created: number }[] }>(`${sim.url}/v1/models`);
    expect(models.data[0]?.created).toBe(Date.parse('2030-01-02T03:04:05Z') / 1000);
    const perf = await json<{ sys_stats: { timestamp: string }[] }>(`${sim.url}/api/performance`);
    expect(perf.sys_stats[0]?.timestamp).toBe('2030-01-02T03:04:05.000Z');
  });

  it('streams /api/events: initial modelStatus, then a new one on every state change', async () => {
    const sim = await start();
    const controller = new AbortController();
    const res = await fetch(`${sim.url}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const readUntil = async (ok: (t: string) => boolean): Promise<void> => {
      while (!ok(text)) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil((t) => t.includes('"type":"inflight"'));
    const first = text.split('\n\n').map((e) => e.replace(/^event:message\ndata:/, '')).filter(Boolean).map((e) => JSON.parse(e) as { type: string; data: string });
    expect(first.map((e) => e.type)).toEqual(['logData', 'logData', 'modelStatus', 'uiConfig', 'profileChanged', 'inflight']);
    const status = JSON.parse(first[2]?.data ?? '[]') as { id: string; state: string }[];
    expect(status.map((m) => `${m.id}:${m.state}`)).toContain('gemma-3-12b:stopped');
    text = '';
    const loading = fetch(`${sim.url}/upstream/gemma-3-12b/health`);
    await readUntil((t) => t.includes('"type":"modelStatus"') && t.includes('starting'));
    expect(text).toContain('gemma-3-12b');
    await readUntil((t) => t.includes('ready'));
    expect((await loading).status).toBe(200);
    controller.abort();
  });
});

describe('llama-swap simulator: model lifecycle', () => {
  it('loads a model on an upstream request: starting, then ready, then proxied', async () => {
    const sim = await start({ loadMs: 700 });
    const pending = fetch(`${sim.url}/upstream/qwen2.5-coder-7b/health`);
    expect(await waitFor(() => states(sim), (s) => s !== '')).toBe('qwen2.5-coder-7b:starting');
    const res = await pending;
    expect(await res.json()).toEqual({ status: 'ok' });
    const r = (await running(sim)).running[0];
    expect(r).toMatchObject({ model: 'qwen2.5-coder-7b', state: 'ready', ttl: 0, name: 'Qwen 2.5 Coder 7B', proxy: 'http://127.0.0.1:5800' });
    expect(r?.cmd).toContain('--metrics');
    const models = await json<{ data: { id: string; status: { value: string } }[] }>(`${sim.url}/v1/models`);
    expect(models.data.find((m) => m.id === 'qwen2.5-coder-7b')?.status.value).toBe('loaded');
  });

  it('passes llama-server answers through: metrics, 501 without --metrics, 404 and the trailing-slash redirect', async () => {
    const sim = await start();
    const metrics = await (await fetch(`${sim.url}/upstream/coder/metrics`)).text();
    expect(metrics).toContain('llamacpp:requests_processing 0');
    const disabled = await fetch(`${sim.url}/upstream/nomic-embed-text/metrics`);
    expect(disabled.status).toBe(501);
    const missing = await fetch(`${sim.url}/upstream/no-such-model/metrics`);
    expect([missing.status, await missing.json()]).toEqual([404, { src: 'llama-swap', error: 'model not found' }]);
    const bare = await fetch(`${sim.url}/upstream/coder`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/upstream/coder/']);
  });

  it('swaps: loading another model of the default group stops the first; other groups can run together', async () => {
    const sim = await start();
    await fetch(`${sim.url}/upstream/qwen2.5-coder-7b/health`);
    await fetch(`${sim.url}/upstream/gemma-3-12b/health`);
    expect(await states(sim)).toBe('gemma-3-12b:ready');
    const together = await start({ groups: EXAMPLE_GROUPS });
    await fetch(`${together.url}/upstream/qwen2.5-coder-7b/health`);
    await fetch(`${together.url}/upstream/nomic-embed-text/health`);
    expect(await states(together)).toBe('nomic-embed-text:ready,qwen2.5-coder-7b:ready');
  });

  it('unloads one model (aliases resolve), all models, and rejects unknown ids', async () => {
    const sim = await start({ groups: EXAMPLE_GROUPS });
    await fetch(`${sim.url}/upstream/coder/health`);
    await fetch(`${sim.url}/upstream/nomic-embed-text/health`);
    const one = await fetch(`${sim.url}/api/models/unload/coder`, { method: 'POST' });
    expect([one.status, await one.text()]).toEqual([200, 'OK']);
    expect(await states(sim)).toBe('nomic-embed-text:ready');
    const unknown = await fetch(`${sim.url}/api/models/unload/nope`, { method: 'POST' });
    expect([unknown.status, await unknown.json()]).toEqual([404, { src: 'llama-swap', error: 'model not found' }]);
    expect(await json(`${sim.url}/api/models/unload`, { method: 'POST' })).toEqual({ msg: 'ok' });
    expect(await running(sim)).toEqual({ running: [] });
    await fetch(`${sim.url}/upstream/coder/health`);
    expect(await (await fetch(`${sim.url}/unload`)).text()).toBe('OK');
    expect(await running(sim)).toEqual({ running: [] });
  });

  it('unloads an idle model after its ttl', async () => {
    const sim = await start({ models: [{ id: 'tiny', ttl: 0.2 }] });
    await fetch(`${sim.url}/upstream/tiny/health`);
    expect(await states(sim)).toBe('tiny:ready');
    expect(await waitFor(() => states(sim), (s) => s === '')).toBe('');
  });

  it('moves counters only when a proxied completion finishes; gauges are live', async () => {
    const sim = await start({ models: [{ id: 'm', tps: 40, slots: 1 }] });
    const metrics = (): Promise<string> => fetch(`${sim.url}/upstream/m/metrics`).then((r) => r.text());
    await metrics();
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 20 });
    const replies = [1, 2].map(() => fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }).then((r) => r.json() as Promise<{ usage: { completion_tokens: number } }>));
    const during = await waitFor(metrics, (t) => t.includes('requests_processing 1') && t.includes('requests_deferred 1'));
    expect(during).toContain('llamacpp:tokens_predicted_total 0\n');
    expect((await Promise.all(replies)).map((r) => r.usage.completion_tokens)).toEqual([20, 20]);
    expect(await metrics()).toContain('llamacpp:tokens_predicted_total 40\n');
  });
});

describe('llama-swap simulator: API key', () => {
  it('answers 401 with WWW-Authenticate unless Bearer, Basic or x-api-key carries the key; /health stays open', async () => {
    const sim = await start({ apiKey: 'sekret' });
    const denied = await fetch(`${sim.url}/running`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Basic realm="llama-swap"');
    expect(await denied.json()).toEqual({ src: 'llama-swap', error: 'unauthorized: invalid or missing API key' });
    const plain = await fetch(`${sim.url}/upstream/coder/metrics`, { headers: { accept: 'text/plain' } });
    expect([plain.status, await plain.text()]).toEqual([401, 'llama-swap: unauthorized: invalid or missing API key']);
    expect((await fetch(`${sim.url}/running`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    // As in llama-swap's server.go: its own /metrics and the web UI sit behind the key too.
    expect((await fetch(`${sim.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${sim.url}/ui/`)).status).toBe(401);
    const accepted: Record<string, string>[] = [{ authorization: 'Bearer sekret' }, { authorization: `Basic ${Buffer.from('any:sekret').toString('base64')}` }, { 'x-api-key': 'sekret' }];
    for (const headers of accepted) {
      expect((await fetch(`${sim.url}/running`, { headers })).status).toBe(200);
    }
  });
});
