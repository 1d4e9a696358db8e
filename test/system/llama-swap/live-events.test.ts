/** llama-swap's /api/events: decoding real payloads, skipping logData unparsed, and the stream over node:http. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createParser } from 'eventsource-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeLiveEvent, subscribeLiveEvents, type LiveEvent, type LiveEventStats } from '../../../src/system/llama-swap/live-events.js';
import { createLlamaSwapClient } from '../../../src/system/llama-swap/llama-swap-client.js';
import type { ApiError } from '../../../src/system/types.js';

const FIXTURE = new URL('../../fixtures/llama-swap/', import.meta.url);
const capture = readFileSync(new URL('events-fake-model.sse', FIXTURE), 'utf8');

/** Every `data:` payload of a captured stream, in order. */
function payloads(text: string): string[] {
  const out: string[] = [];
  const parser = createParser({ onEvent: (m) => out.push(m.data) });
  parser.feed(text);
  return out;
}

const stats = (): LiveEventStats => ({ logDataSkipped: 0, logDataBytes: 0, events: 0, unreadable: 0 });

describe('decodeLiveEvent on a real llama-swap capture (fake-model: load, requests, unload, a failed start)', () => {
  const s = stats();
  const events = payloads(capture).map((d) => decodeLiveEvent(d, 1000, s)).filter((e): e is LiveEvent => e !== null);

  it('reads model states, in-flight upserts and removes, activity ids and the profile', () => {
    const states = events.filter((e) => e.type === 'modelStatus').map((e) => e.models.map((m) => `${m.id}:${m.state}`).join(','));
    expect(states).toContain('broken:starting,fake:stopped');
    expect(states).toContain('broken:stopped,fake:ready');
    expect(events.find((e) => e.type === 'profileChanged')).toEqual({ type: 'profileChanged', active: 'work' });
    // The empty snapshot comes without `requests` (Go's omitempty).
    expect(events.find((e) => e.type === 'inflight-snapshot')).toEqual({ type: 'inflight-snapshot', requests: [] });
    const upsert = events.find((e) => e.type === 'inflight-upsert');
    expect(upsert?.type === 'inflight-upsert' && upsert.request).toMatchObject({ id: '1', model: 'fake', path: '/v1/chat/completions', method: 'POST' });
    expect(events.filter((e) => e.type === 'inflight-remove').map((e) => e.type === 'inflight-remove' && e.id)).toEqual(['1', '2', '3']);
    expect(events.filter((e) => e.type === 'activity').map((e) => e.type === 'activity' && e.id)).toEqual([1, 2, 3]);
  });

  it('keeps no request headers', () => {
    const upserts = events.filter((e) => e.type === 'inflight-upsert');
    expect(upserts.length).toBeGreaterThan(0);
    for (const e of upserts) expect(JSON.stringify(e)).not.toMatch(/User-Agent|curl|req_headers|remote_ip/i);
    const withKey = JSON.stringify({
      type: 'inflight',
      data: JSON.stringify({ operation: 'upsert', request: { id: '9', model: 'm', req_path: '/v1/x', method: 'POST', req_headers: { Authorization: 'Bearer sk-other' }, resp_bytes: 5, elapsed_ms: 10 } }),
    });
    expect(JSON.stringify(decodeLiveEvent(withKey, 0))).not.toContain('sk-other');
  });

  it('skips every logData event without JSON-parsing it', () => {
    expect(s.logDataSkipped).toBe(payloads(capture).filter((d) => d.startsWith('{"type":"logData"')).length);
    expect(s.logDataSkipped).toBeGreaterThan(5);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      decodeLiveEvent(`{"type":"logData","data":"${'x'.repeat(100_000)}"}`, 0);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('ignores garbage, unknown types and malformed inner data', () => {
    for (const bad of ['', 'not json', '{"type":"modelStatus","data":"[{]"}', '{"type":"inflight","data":"{\\"operation\\":\\"explode\\"}"}', '{"type":"uiConfig","data":"{}"}', '[1,2]', '{"type":"activity","data":"{\\"id\\":\\"x\\"}"}']) {
      expect(decodeLiveEvent(bad, 0)).toBeNull();
    }
  });
});

describe('subscribeLiveEvents over node:http', () => {
  let server: Server | null = null;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function run(origin: string, apiKey: string | null = null): { events: LiveEvent[]; opened: Promise<void>; ended: Promise<ApiError | null>; close(): void } {
    const events: LiveEvent[] = [];
    let open!: () => void;
    let end!: (e: ApiError | null) => void;
    const opened = new Promise<void>((r) => (open = r));
    const ended = new Promise<ApiError | null>((r) => (end = r));
    const h = subscribeLiveEvents({ origin, apiKey, connectTimeoutMs: 2000 }, { onOpen: open, onEvent: (e) => events.push(e), onEnd: end });
    return { events, opened, ended, close: () => h.close() };
  }

  it('delivers events split across arbitrary chunks, sends the key, and ends quietly on close()', async () => {
    let auth = '';
    const origin = await serve((req, res) => {
      auth = req.headers.authorization ?? '';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // The capture cut into 7-byte pieces: the parser must reassemble events across chunks.
      for (let i = 0; i < capture.length; i += 7) res.write(capture.slice(i, i + 7));
    });
    const sub = run(origin, 'sk-test');
    await sub.opened;
    await vi.waitFor(() => expect(sub.events.filter((e) => e.type === 'activity')).toHaveLength(3), { timeout: 5000 });
    expect(auth).toBe('Bearer sk-test');
    sub.close();
    expect(await sub.ended).toBeNull();
  });

  it('treats a 404 (older llama-swap) and a non-SSE answer (a buffering proxy) as refusals', async () => {
    const origin = await serve((req, res) => {
      if (req.url === '/api/events' && req.headers['x-case'] === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      }
    });
    const gone = run(origin);
    expect((await gone.ended)?.kind).toBe('not-supported');
    server?.closeAllConnections();
    await new Promise<void>((r) => server?.close(() => r()));
    const html = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy</html>'));
    const refused = run(html);
    const err = await refused.ended;
    expect(err?.kind).toBe('not-supported');
    expect(err?.message).toContain('text/html');
  });

  it('reports a dropped stream and a refused connection', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event:message\ndata:{"type":"activity","data":"{\\"id\\":3}"}\n\n');
      setTimeout(() => res.destroy(), 20);
    });
    const dropped = run(origin);
    expect((await dropped.ended)?.kind).toBe('unreachable');
    expect(dropped.events).toEqual([{ type: 'activity', id: 3 }]);
    const refused = run('http://127.0.0.1:1');
    expect((await refused.ended)?.kind).toBe('unreachable');
  });

  it("the client's inflight() reads the snapshot and closes the stream", async () => {
    let closed = false;
    const origin = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event:message\ndata:{"type":"logData","data":"{\\"source\\":\\"proxy\\",\\"data\\":\\"hello\\"}"}\n\n');
      const snapshot = { operation: 'snapshot', requests: [{ id: '12', timestamp: '2026-11-29T22:00:00Z', model: 'fake', req_path: '/v1/chat/completions', method: 'POST', resp_bytes: 10, elapsed_ms: 900 }] };
      res.write(`event:message\ndata:${JSON.stringify({ type: 'inflight', data: JSON.stringify(snapshot) })}\n\n`);
      req.on('close', () => (closed = true));
    });
    const client = createLlamaSwapClient({ apiUrl: origin, apiPort: 0, apiTimeoutMs: 1000, apiKey: null });
    const r = await client.inflight();
    expect(r.ok && r.value.map((x) => [x.id, x.model, x.bytes])).toEqual([['12', 'fake', 10]]);
    await vi.waitFor(() => expect(closed).toBe(true));
  });
});
