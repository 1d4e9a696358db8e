/** The simulator's live API (events, in-flight + cancel, activity, stats, model kinds, failed starts) through the real client. */
import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../../src/system/llama-swap/live-events.js';
import { createLlamaSwapClient, type LlamaSwapClient } from '../../../src/system/llama-swap/llama-swap-client.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator, type LlamaSwapSimulatorOptions } from '../../../src/system/simulator/llama-swap-sim.js';

const MODELS = [
  { id: 'alpha', name: 'Alpha', tps: 400, slots: 2, metrics: true },
  { id: 'beta', tps: 20, slots: 2, metrics: true },
  { id: 'broken', failStart: 'upstream command exited prematurely', loadMs: 30 },
];

const sims: LlamaSwapSimulator[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function start(options: LlamaSwapSimulatorOptions = {}): Promise<{ sim: LlamaSwapSimulator; client: LlamaSwapClient; events: LiveEvent[] }> {
  const sim = await createLlamaSwapSimulator({
    port: 0, loadMs: 60, stopMs: 10, passive: true, performanceIntervalMs: null, models: MODELS,
    selectors: [{ id: 'coder', strategy: 'warm', targets: ['alpha', 'beta'] }],
    profiles: [{ id: 'work', pins: { pinned: 'beta' } }],
    ...options,
  });
  sims.push(sim);
  const client = createLlamaSwapClient({ apiUrl: sim.url, apiPort: sim.port, apiTimeoutMs: 2000, apiKey: null });
  const events: LiveEvent[] = [];
  let opened!: () => void;
  const open = new Promise<void>((r) => (opened = r));
  const h = client.events({ onOpen: opened, onEvent: (e) => events.push(e), onEnd: () => undefined });
  closers.push(() => h.close());
  await open;
  return { sim, client, events };
}

/** A streaming chat request whose body is read until it ends; resolves with what arrived and whether it completed. */
function stream(url: string, model: string, nPredict: number): { done: Promise<{ complete: boolean; text: string }> } {
  const body = JSON.stringify({ model, stream: true, stream_options: { include_usage: true }, max_tokens: nPredict, messages: [{ role: 'user', content: 'hi' }] });
  const done = new Promise<{ complete: boolean; text: string }>((resolve) => {
    const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-other-client' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ complete: text.includes('[DONE]'), text }));
      res.on('error', () => resolve({ complete: false, text }));
      res.on('close', () => resolve({ complete: res.complete && text.includes('[DONE]'), text }));
    });
    req.on('error', () => resolve({ complete: false, text: '' }));
    req.end(body);
  });
  return { done };
}

describe('simulator live API', () => {
  it('publishes a streaming request as in flight (no headers), cancel ends it, and activity records it', async () => {
    const { sim, client, events } = await start();
    const slow = stream(sim.url, 'beta', 400);
    const upsert = await vi.waitFor(() => {
      const e = events.find((x) => x.type === 'inflight-upsert' && x.request.bytes > 0);
      if (!e || e.type !== 'inflight-upsert') throw new Error('no upsert with bytes yet');
      return e;
    }, { timeout: 5000 });
    expect(upsert.request).toMatchObject({ model: 'beta', path: '/v1/chat/completions', method: 'POST' });
    const listed = await client.inflight();
    expect(listed.ok && listed.value.map((r) => r.id)).toEqual([upsert.request.id]);
    expect(JSON.stringify(listed)).not.toContain('sk-other-client');
    expect(await client.cancelInflight(upsert.request.id)).toEqual({ ok: true, value: undefined });
    expect((await slow.done).complete).toBe(false);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'inflight-remove' && e.id === upsert.request.id)).toBe(true));
    const again = await client.cancelInflight(upsert.request.id);
    expect(!again.ok && again.error.kind).toBe('not-found');
  });

  it('serves activity incrementally (min_id) and exact per-model stats with p50/p95', async () => {
    const { sim, client, events } = await start();
    for (let i = 0; i < 3; i++) expect((await stream(sim.url, 'alpha', 8).done).complete).toBe(true);
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'activity')).toHaveLength(3));
    const all = await client.activity(null);
    expect(all.ok && all.value.map((r) => [r.id, r.model, r.status])).toEqual([[1, 'alpha', 200], [2, 'alpha', 200], [3, 'alpha', 200]]);
    expect(all.ok && all.value.every((r) => r.outputTokens === 8 && r.genTps > 0 && r.promptTps > 0)).toBe(true);
    expect((await stream(sim.url, 'alpha', 4).done).complete).toBe(true);
    const newer = await client.activity(3);
    expect(newer.ok && newer.value.map((r) => r.id)).toEqual([4]);
    const stats = await client.modelStats('alpha');
    expect(stats.ok && stats.value).toMatchObject({ totalRequests: 4, outputTokens: 28 });
    expect(stats.ok && (stats.value.genP50 ?? 0) > 0 && (stats.value.genP95 ?? 0) >= (stats.value.genP50 ?? 0)).toBe(true);
    const none = await client.modelStats('beta');
    expect(none.ok && none.value).toEqual({ totalRequests: 0, inputTokens: 0, outputTokens: 0, genP50: null, genP95: null });
  });

  it('lists selectors and the active profile\'s pins with their kinds, and routes through them', async () => {
    const { sim, client } = await start();
    expect((await client.setProfile('work')).ok).toBe(true);
    const models = await client.models();
    const kinds = models.ok ? models.value.map((m) => `${m.id}:${m.kind ?? ''}`) : [];
    expect(kinds).toEqual(['alpha:model', 'beta:model', 'broken:model', 'coder:selector', 'pinned:profile']);
    const coder = models.ok ? models.value.find((m) => m.id === 'coder') : undefined;
    expect(coder).toMatchObject({ strategy: 'warm', targets: ['alpha', 'beta'] });
    expect((await stream(sim.url, 'pinned', 2).done).complete).toBe(true);
    const rows = await client.activity(null);
    expect(rows.ok && rows.value.map((r) => r.model)).toEqual(['beta']);
  });

  it('a failed start goes starting → stopped, answers 500 with the reason, and logs it', async () => {
    const { client, events } = await start();
    const r = await client.loadModel('broken');
    expect(!r.ok && r.error.message).toContain('upstream command exited prematurely');
    const states = events.filter((e) => e.type === 'modelStatus').map((e) => e.models.find((m) => m.id === 'broken')?.state);
    expect(states.slice(-2)).toEqual(['starting', 'stopped']);
    const log = await client.logs();
    expect(log.ok && log.value).toContain('starting broken failed: upstream command exited prematurely');
  });
});

/** The raw `data:` payloads of a short GET of an event stream, up to `count` of them. */
function rawEvents(url: string, count: number): Promise<{ status: number; type: string; data: string[] }> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      const data: string[] = [];
      let buf = '';
      const finish = (): void => {
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), data });
        req.destroy();
      };
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        for (let at = buf.indexOf('\n\n'); at >= 0; at = buf.indexOf('\n\n')) {
          const line = buf.slice(0, at).split('\n').find((l) => l.startsWith('data:'));
          buf = buf.slice(at + 2);
          if (line !== undefined) data.push(line.slice(5));
          if (data.length >= count) return finish();
        }
      });
      res.on('end', finish);
    });
    req.end();
  });
}

describe('the simulator as a newer llama-swap (apiLayout newer)', () => {
  it('sends no logData on /api/events, and readySince/uptimeMs for ready models only', async () => {
    const { sim, client, events } = await start({ apiLayout: 'newer' });
    expect((await client.loadModel('alpha')).ok).toBe(true);
    const first = await rawEvents(`${sim.url}/api/events`, 4);
    expect(first.data.map((d) => (JSON.parse(d) as { type: string }).type)).toEqual(['modelStatus', 'uiConfig', 'profileChanged', 'inflight']);
    const models = JSON.parse((JSON.parse(first.data[0] ?? '') as { data: string }).data) as Record<string, unknown>[];
    const alpha = models.find((m) => m['id'] === 'alpha');
    expect(alpha?.['readySince']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(alpha?.['uptimeMs']).toBeGreaterThanOrEqual(1);
    expect(models.filter((m) => 'readySince' in m || 'uptimeMs' in m).map((m) => m['id'])).toEqual(['alpha']);
    const ready = events.filter((e) => e.type === 'modelStatus').at(-1);
    expect(ready?.type === 'modelStatus' && ready.models.find((m) => m.id === 'alpha')?.uptimeMs).toBeGreaterThanOrEqual(1);
  });

  it('serves logs at /api/events/logs like handleAPILogEvents: streams by name, history first, 400 otherwise', async () => {
    const { sim, client } = await start({ apiLayout: 'newer', logToStdout: 'none' });
    await client.loadModel('broken');
    const none = await rawEvents(`${sim.url}/api/events/logs`, 1);
    expect(none.status).toBe(400);
    expect((await rawEvents(`${sim.url}/api/events/logs?stream=proxy&stream=bogus`, 1)).status).toBe(400);
    const proxy = await rawEvents(`${sim.url}/api/events/logs?stream=proxy&stream=upstream`, 1);
    expect(proxy.type).toBe('text/event-stream');
    expect(JSON.parse(proxy.data[0] ?? '')).toMatchObject({ type: 'logData' });
    expect(proxy.data[0]).toContain('starting broken failed: upstream command exited prematurely');
    // logToStdout none: the combined /logs lacks the proxy lines; the proxy stream's history has them.
    const logs = await client.logs();
    expect(logs.ok && logs.value).toBe('');
    const history = await client.proxyLog();
    expect(history.ok && history.value).toContain('starting broken failed: upstream command exited prematurely');
  });

  it('the default (pinned 0bdb3720) has no /api/events/logs, and the client says so', async () => {
    const { sim, client } = await start();
    expect((await rawEvents(`${sim.url}/api/events/logs?stream=proxy`, 1)).status).toBe(404);
    const r = await client.proxyLog();
    expect(!r.ok && r.error.kind).toBe('not-supported');
  });
});
