import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startLlamaServer, type RunningLlamaServer } from '../../../src/system/simulator/llama-server/llama-server-stub.js';
import { formatG } from '../../../src/system/simulator/llama-server/prometheus-text.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../../fixtures/llama-server/${name}`, import.meta.url)), 'utf8');

const servers: RunningLlamaServer[] = [];
async function start(options: Partial<Parameters<typeof startLlamaServer>[0]> = {}): Promise<RunningLlamaServer> {
  const s = await startLlamaServer({ alias: 'stub', metrics: true, loadMs: 0, tps: 50, promptTps: 5000, ...options });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function series(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`llamacpp:${name} `));
  return Number(line?.split(' ')[1]);
}

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('formatG', () => {
  it('prints numbers like llama.cpp (%g, 6 significant digits)', () => {
    expect([0, 0.005, 20000, 4637.6811594, 2.468462, 890.53803, 1234567, 1e6, 0.0000123].map(formatG))
      .toEqual(['0', '0.005', '20000', '4637.68', '2.46846', '890.538', '1.23457e+06', '1e+06', '1.23e-05']);
  });
});

describe('llama-server stand-in', () => {
  it('answers 503 "Loading model" while loading, then {"status":"ok"}', async () => {
    const s = await start({ loadMs: 150 });
    const loading = await fetch(`${s.url}/health`);
    expect(loading.status).toBe(503);
    expect(await loading.json()).toEqual({ error: { code: 503, message: 'Loading model', type: 'unavailable_error' } });
    const ready = await waitFor(() => fetch(`${s.url}/health`), (r) => r.status === 200);
    expect(ready.headers.get('server')).toBe('llama.cpp');
    expect(await ready.text()).toBe(fixture('health.txt').split('\r\n\r\n').pop()?.split('\n\n').pop() ?? '');
  });

  it('serves the exact b9694 metrics text when idle, and the real 501 body without --metrics', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await res.text()).toBe(fixture('metrics-00-idle-before-requests.txt'));
    const off = await start({ metrics: false });
    const disabled = await fetch(`${off.url}/metrics`);
    expect(disabled.status).toBe(501);
    expect(await disabled.text()).toBe(fixture('metrics-when-disabled.txt').split('\n').pop());
  });

  it('moves token counters only when requests finish; processing/deferred are live', async () => {
    const s = await start({ slots: 4, tps: 40 });
    const body = JSON.stringify({ prompt: 'Once upon a time', n_predict: 16 });
    const requests = Array.from({ length: 6 }, () => fetch(`${s.url}/completion`, { method: 'POST', body }).then((r) => r.json() as Promise<Record<string, unknown>>));
    const during = await waitFor(() => fetch(`${s.url}/metrics`).then((r) => r.text()), (t) => series(t, 'requests_processing') === 4 && series(t, 'requests_deferred') === 2);
    expect([series(during, 'requests_processing'), series(during, 'requests_deferred')]).toEqual([4, 2]);
    expect(series(during, 'tokens_predicted_total')).toBe(0);
    const done = await Promise.all(requests);
    expect(done.every((d) => d['tokens_predicted'] === 16 && d['stop'] === true)).toBe(true);
    const after = await fetch(`${s.url}/metrics`).then((r) => r.text());
    expect(series(after, 'tokens_predicted_total')).toBe(96);
    expect(series(after, 'requests_processing')).toBe(0);
    expect(series(after, 'predicted_tokens_seconds')).toBeGreaterThan(0);
  });

  it('streams chat completions as SSE ending with usage and [DONE]', async () => {
    const s = await start({ tps: 200 });
    const res = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 5, stream: true, stream_options: { include_usage: true } }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const usage = JSON.parse(events.at(-2) ?? '{}') as { usage: { completion_tokens: number }; object: string };
    expect(usage.object).toBe('chat.completion.chunk');
    expect(usage.usage.completion_tokens).toBe(5);
    expect(events.filter((e) => e.includes('"delta":{"content"')).length).toBe(5);
  });

  it('answers OpenAI text completions, /slots, /props and /v1/models in the real shapes', async () => {
    const s = await start({ slots: 2, alias: 'qwen' });
    const text = await fetch(`${s.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ prompt: 'x', max_tokens: 3 }) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(text).toMatchObject({ object: 'text_completion', model: 'qwen', usage: { completion_tokens: 3 } });
    const slots = await fetch(`${s.url}/slots`).then((r) => r.json() as Promise<{ id: number; is_processing: boolean }[]>);
    expect(slots).toHaveLength(2);
    expect(slots.every((x) => x.is_processing === false)).toBe(true);
    expect(await fetch(`${s.url}/props`).then((r) => r.json())).toMatchObject({ total_slots: 2, model_alias: 'qwen', build_info: 'b9694-4a79037b' });
    expect(await fetch(`${s.url}/v1/models`).then((r) => r.json())).toMatchObject({ object: 'list', data: [{ id: 'qwen', owned_by: 'llamacpp' }] });
  });

  it('matches the captured key sets of /slots, /completion, /v1/completions and /v1/chat/completions', async () => {
    const s = await start({ nCtx: 2048 });
    expect(await fetch(`${s.url}/slots`).then((r) => r.text())).toBe(fixture('slots-idle-before.json'));
    const keys = (value: unknown): string[] => Object.keys(value as object).sort();
    const cases: [string, string, object][] = [
      ['/completion', 'completion-1.json', { prompt: 'Once upon a time', n_predict: 4 }],
      ['/v1/completions', 'v1-completions-1.json', { prompt: 'x', max_tokens: 4 }],
      ['/v1/chat/completions', 'v1-chat-completions-1.json', { messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }],
    ];
    for (const [path, file, body] of cases) {
      const ours = (await fetch(`${s.url}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json())) as Record<string, unknown>;
      const real = JSON.parse(fixture(file)) as Record<string, unknown>;
      expect(keys(ours)).toEqual(keys(real));
      expect(keys(ours['timings'])).toEqual(keys(real['timings']));
    }
  });

  it('cancels a request whose client goes away, without counting it', async () => {
    const s = await start({ tps: 20 });
    const controller = new AbortController();
    const pending = fetch(`${s.url}/completion`, { method: 'POST', body: JSON.stringify({ prompt: 'x', n_predict: 200 }), signal: controller.signal }).catch(() => null);
    await waitFor(() => fetch(`${s.url}/metrics`).then((r) => r.text()), (t) => series(t, 'requests_processing') === 1);
    controller.abort();
    await pending;
    const after = await waitFor(() => fetch(`${s.url}/metrics`).then((r) => r.text()), (t) => series(t, 'requests_processing') === 0);
    expect(series(after, 'requests_processing')).toBe(0);
    expect(series(after, 'tokens_predicted_total')).toBe(0);
  });
});

describe('scripts/simulator.ts llama-server (as a llama-swap cmd)', () => {
  it('starts, prints its URL, serves /health and exits 0 on SIGTERM', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/simulator.ts', 'llama-server', '--port', '0', '--metrics', '--load-ms', '50', '-m', '/models/tiny.gguf', '--ctx-size', '2048'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const health = await waitFor(() => fetch(`${url}/health`), (r) => r.status === 200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await fetch(`${url}/props`).then((r) => r.json())).toMatchObject({ model_alias: 'tiny', model_path: '/models/tiny.gguf' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
