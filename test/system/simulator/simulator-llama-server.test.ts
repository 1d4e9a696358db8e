import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startLlamaServer, type RunningLlamaServer } from '../../../src/system/simulator/llama-server/llama-server-stub.js';
import { formatG } from '../../../src/system/simulator/llama-server/prometheus-text.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../../fixtures/llama-server/${name}`, import.meta.url)), 'utf8');
/** A capture from the real llama-server at 0c1e570, without the capture tool's `# GET`/`# headers` lines. */
const real = (name: string): string => readFileSync(fileURLToPath(new URL(`../../fixtures/llama-server-0c1e570/${name}`, import.meta.url)), 'utf8')
  .split('\n').filter((l) => !l.startsWith('# GET ') && !l.startsWith('# headers: ')).join('\n');

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

/** A clock the test moves: the stand-in samples tokens only as far as this time allows. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

/** A streamed chat response read event by event. */
type Stream = { readonly events: string[]; untilTokens(n: number): Promise<void>; readonly ended: Promise<void> };

async function openStream(url: string, body: object, signal?: AbortSignal): Promise<Stream> {
  const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body), signal });
  const events: string[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const tokens = (): number => events.filter((e) => e.includes('"delta":{"content"')).length;
  const wake = (all: boolean): void => {
    for (const w of waiters.splice(0)) {
      if (all || tokens() >= w.n) w.resolve();
      else waiters.push(w);
    }
  };
  const ended = (async (): Promise<void> => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(part, { stream: true });
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          events.push(buffer.slice(0, i).replace(/^data: /, ''));
          buffer = buffer.slice(i + 2);
        }
        wake(false);
      }
    } catch {
      // aborted by the test
    }
    wake(true);
  })();
  return {
    events, ended,
    untilTokens: (n) => new Promise<void>((resolve) => {
      waiters.push({ n, resolve });
      wake(false);
    }),
  };
}

async function scrape(url: string): Promise<string> {
  return fetch(`${url}/metrics`).then((r) => r.text());
}

type SlotJson = { id: number; is_processing: boolean; id_task?: number; n_prompt_tokens?: number; n_prompt_tokens_processed?: number; n_prompt_tokens_cache?: number; next_token?: { has_next_token: boolean; n_remain: number; n_decoded: number }[] };

async function slots(url: string): Promise<SlotJson[]> {
  return fetch(`${url}/slots`).then((r) => r.json() as Promise<SlotJson[]>);
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

  it('serves the 0c1e570 metric names, HELP and TYPE lines in the real order, and the real 501 body without --metrics', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(Number(res.headers.get('process-start-time-unix'))).toBeGreaterThan(0);
    const text = await res.text();
    const described = (t: string): string[] => t.split('\n').filter((l) => /^# (HELP|TYPE) /.test(l));
    expect(described(text)).toEqual(described(real('metrics-before.txt')));
    const names = real('metric-names.txt').trim().split('\n').map((l) => l.split(' ')[0]);
    expect(text.split('\n').filter((l) => l.startsWith('llamacpp:')).map((l) => l.split(' ')[0])).toEqual(names);
    expect(text).not.toContain('kv_cache');
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

  it('cancels a request whose client goes away; its tokens still reach the counters (released like a finished one)', async () => {
    const clock = manualClock();
    const s = await start({ tps: 10, promptTps: 1e6, now: clock.now });
    const controller = new AbortController();
    const stream = await openStream(s.url, { messages: [{ role: 'user', content: 'x' }], max_tokens: 200, stream: true }, controller.signal);
    clock.advance(201); // prompt, then two more decode steps: three tokens
    await stream.untilTokens(3);
    controller.abort();
    const after = await waitFor(() => fetch(`${s.url}/metrics`).then((r) => r.text()), (t) => series(t, 'requests_processing') === 0);
    expect(series(after, 'tokens_predicted_total')).toBe(3);
    expect(series(after, 'tokens_predicted_seconds_total')).toBeCloseTo(0.2, 6);
  });
});

// The stand-in against llama.cpp 0c1e570's server-context.cpp / server-common.h, on a clock the test moves.
describe('llama-server stand-in semantics (0c1e570)', () => {
  const chat = (n: number, content = 'x'.repeat(17)): object => ({ messages: [{ role: 'user', content }], max_tokens: n, stream: true, stream_options: { include_usage: true } });

  it('moves generation counters only at release, n_decode and /slots live, and resets the rate gauges on every scrape', async () => {
    const clock = manualClock();
    const s = await start({ slots: 1, tps: 10, promptTps: 1e6, now: clock.now });
    const stream = await openStream(s.url, chat(20));
    clock.advance(1); // the prompt batch: it also samples the first token
    await stream.untilTokens(1);
    const first = await scrape(s.url);
    const prompt = series(first, 'prompt_tokens_total');
    expect(prompt).toBeGreaterThan(0);
    expect(series(first, 'prompt_tokens_seconds')).toBeGreaterThan(0);
    expect(series(first, 'n_decode_total')).toBe(1);
    clock.advance(500); // five decode steps, 100 ms each
    await stream.untilTokens(6);
    const mid = await scrape(s.url);
    expect(series(mid, 'n_decode_total')).toBe(6);
    expect(series(mid, 'tokens_predicted_total')).toBe(0);
    expect(series(mid, 'tokens_predicted_seconds_total')).toBe(0);
    expect(series(mid, 'predicted_tokens_seconds')).toBe(0);
    expect(series(mid, 'prompt_tokens_seconds')).toBe(0); // the prompt was reported by the previous scrape
    expect(series(mid, 'requests_processing')).toBe(1);
    const [busy] = await slots(s.url);
    expect(busy).toMatchObject({ is_processing: true, n_prompt_tokens: prompt + 6, n_prompt_tokens_processed: prompt, n_prompt_tokens_cache: 0 });
    expect(busy?.next_token?.[0]).toMatchObject({ has_next_token: true, n_decoded: 6, n_remain: 14 });
    const idTask = busy?.id_task;

    clock.advance(1400);
    await stream.ended;
    const usage = JSON.parse(stream.events.at(-2) ?? '{}') as { timings: Record<string, number>; usage: { completion_tokens: number } };
    expect(usage.usage.completion_tokens).toBe(20);
    // 19 decode steps after the first token: 1.9 s, 10 t/s, 100 ms per token.
    expect(usage.timings).toMatchObject({ predicted_n: 20, predicted_ms: 1900, predicted_per_token_ms: 100, predicted_per_second: 10, prompt_n: prompt, cache_n: 0 });
    const after = await scrape(s.url);
    expect(series(after, 'tokens_predicted_total')).toBe(20);
    expect(series(after, 'tokens_predicted_seconds_total')).toBeCloseTo(1.9, 6);
    expect(series(after, 'predicted_tokens_seconds')).toBeCloseTo(10, 4);
    expect(series(after, 'n_decode_total')).toBe(20);
    expect(series(after, 'n_tokens_max')).toBe(prompt + 19);
    expect(series(after, 'n_busy_slots_per_decode')).toBe(1);
    const second = await scrape(s.url);
    expect([series(second, 'predicted_tokens_seconds'), series(second, 'prompt_tokens_seconds')]).toEqual([0, 0]);
    expect(second.replace(/_seconds [^\n]*/g, '')).toBe(after.replace(/_seconds [^\n]*/g, '')); // counters unchanged

    const [released] = await slots(s.url);
    expect(released).toMatchObject({ is_processing: false, id_task: idTask, n_prompt_tokens: prompt + 19, n_prompt_tokens_processed: 0, n_prompt_tokens_cache: 0 });
    expect(released?.next_token?.[0]).toEqual({ has_next_token: false, has_new_line: false, n_remain: -1, n_decoded: 0 });
  });

  it('batches busy slots into one decode and defers requests beyond the slots (their streams wait for a slot)', async () => {
    const clock = manualClock();
    const s = await start({ slots: 2, tps: 10, promptTps: 1e6, now: clock.now });
    const a = await openStream(s.url, chat(5));
    const b = await openStream(s.url, chat(5));
    let cStarted = false;
    const c = openStream(s.url, chat(5)).then((x) => {
      cStarted = true;
      return x;
    });
    const during = await waitFor(() => scrape(s.url), (t) => series(t, 'requests_deferred') === 1);
    expect([series(during, 'requests_processing'), series(during, 'requests_deferred')]).toEqual([2, 1]);
    expect(cStarted).toBe(false);
    clock.advance(401);
    await Promise.all([a.ended, b.ended]);
    const third = await c;
    const next = await scrape(s.url);
    expect([series(next, 'requests_processing'), series(next, 'requests_deferred')]).toEqual([1, 0]);
    expect(series(next, 'tokens_predicted_total')).toBe(10);
    expect(series(next, 'n_decode_total')).toBe(5); // two slots, five decodes, not ten
    expect(series(next, 'n_busy_slots_per_decode')).toBe(2);
    clock.advance(401);
    await third.ended;
  });

  it('reuses a slot’s cached prompt, counts it apart, and gives every queue task an id', async () => {
    const s = await start({ slots: 1, tps: 1000, promptTps: 1e5 });
    const ask = (): Promise<{ timings: Record<string, number>; usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } } }> =>
      fetch(`${s.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'the same long question, asked twice' }], max_tokens: 3 }) })
        .then((r) => r.json() as never);
    const one = await ask();
    const firstTask = (await slots(s.url))[0]?.id_task ?? -1;
    await scrape(s.url);
    const two = await ask();
    const p = one.usage.prompt_tokens;
    expect(one.timings).toMatchObject({ cache_n: 0, prompt_n: p });
    expect(two.timings).toMatchObject({ cache_n: p - 1, prompt_n: 1 });
    expect(two.usage.prompt_tokens_details.cached_tokens).toBe(p - 1);
    const text = await scrape(s.url);
    expect(series(text, 'prompt_tokens_cached_total')).toBe(p - 1);
    expect(series(text, 'prompt_tokens_total')).toBe(p + 1);
    // /slots, /metrics and each busy loop pass take ids too, so task ids jump.
    expect((await slots(s.url))[0]?.id_task ?? 0).toBeGreaterThan(firstTask + 3);
  });

  it('refuses a prompt longer than the context with 400 and stops a generation at the context end (truncated)', async () => {
    const s = await start({ nCtx: 32, tps: 1000 });
    const long = await fetch(`${s.url}/completion`, { method: 'POST', body: JSON.stringify({ prompt: 'x'.repeat(400), n_predict: 4 }) });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: { code: 400, type: 'exceed_context_size_error', n_ctx: 32 } });
    const cut = await fetch(`${s.url}/completion`, { method: 'POST', body: JSON.stringify({ prompt: 'x'.repeat(36), n_predict: 100 }) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(cut).toMatchObject({ truncated: true, stop_type: 'limit', tokens_evaluated: 10, tokens_predicted: 22, tokens_cached: 31 });
  });

  it('answers /props, /slots and completions with the captured keys in the captured order', async () => {
    const s = await start({ slots: 1, nCtx: 2048, tps: 1000 });
    const keys = (v: unknown): string[] => Object.keys(v as object);
    const props = await fetch(`${s.url}/props`).then((r) => r.json() as Promise<Record<string, Record<string, unknown>>>);
    const realProps = JSON.parse(real('props.json.txt')) as typeof props;
    expect(keys(props)).toEqual(keys(realProps));
    expect(keys(props['default_generation_settings']?.['params'])).toEqual(keys(realProps['default_generation_settings']?.['params']));
    const native = await fetch(`${s.url}/completion`, { method: 'POST', body: JSON.stringify({ prompt: 'x', n_predict: 2 }) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const realNative = JSON.parse(real('completion-nonstream.json')) as Record<string, unknown>;
    expect(keys(native)).toEqual(keys(realNative));
    expect(keys(native['generation_settings'])).toEqual(keys(realNative['generation_settings']));
    const chatBody = await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 }) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const realChat = JSON.parse(real('chat-nonstream.json')) as Record<string, unknown>;
    expect(keys(chatBody)).toEqual(keys(realChat));
    expect(keys(chatBody['timings'])).toEqual(keys(realChat['timings']));
    expect(chatBody['usage']).toMatchObject({ prompt_tokens_details: { cached_tokens: 0 } });
    const [slot] = (await fetch(`${s.url}/slots`).then((r) => r.json())) as Record<string, Record<string, unknown>>[];
    const [realSlot] = JSON.parse(real('slots-after.json.txt')) as typeof slot[];
    expect(keys(slot)).toEqual(keys(realSlot));
    expect(keys(slot?.['params'])).toEqual(keys(realSlot?.['params']));
    expect(slot?.['next_token']).toEqual(realSlot?.['next_token']);
  });

  it('reports rates like the capture: a scrape after a request shows its rate, the next one 0', () => {
    const after = real('metrics-after-long.txt');
    const again = real('metrics-after-long-second-scrape.txt');
    expect(series(after, 'predicted_tokens_seconds')).toBeGreaterThan(0);
    expect(series(again, 'predicted_tokens_seconds')).toBe(0);
    expect(series(again, 'tokens_predicted_total')).toBe(series(after, 'tokens_predicted_total'));
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
