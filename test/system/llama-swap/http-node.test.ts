import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../../../src/system/llama-swap/http.js';
import { nodeHttpFetch } from '../../../src/system/llama-swap/http-node.js';

let server: Server | undefined;

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

const init = (over: Partial<Parameters<typeof nodeHttpFetch>[1]> = {}): Parameters<typeof nodeHttpFetch>[1] => ({
  method: 'GET',
  headers: {},
  body: undefined,
  signal: new AbortController().signal,
  redirect: 'manual',
  ...over,
});

describe('nodeHttpFetch', () => {
  it('sends method, headers and a JSON body; returns status, headers and text', async () => {
    const origin = await serve((req, res, body) => {
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Echo': req.headers['x-key'] ?? '' });
      res.end(JSON.stringify({ method: req.method, body, length: req.headers['content-length'] }));
    });
    const res = await nodeHttpFetch(`${origin}/p?q=1`, init({ method: 'POST', headers: { 'x-key': 'k' }, body: '{"a":"é"}' }));
    expect(res.status).toBe(201);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('x-echo')).toBe('k');
    expect(res.headers.get('missing')).toBeNull();
    expect(JSON.parse(await res.text())).toEqual({ method: 'POST', body: '{"a":"é"}', length: '10' });
  });

  it('does not follow redirects', async () => {
    const origin = await serve((_req, res) => res.writeHead(302, { Location: '/elsewhere' }).end());
    expect((await nodeHttpFetch(`${origin}/`, init())).status).toBe(302);
  });

  it('a body that breaks off is an invalid-response through request()', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"running":[');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const r = await request({ origin, timeoutMs: 2000, apiKey: null, fetch: nodeHttpFetch }, { method: 'GET', path: '/running' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-response' } });
  });

  it('a stalled body or answer is a timeout; a closed port is unreachable (connection refused)', async () => {
    const origin = await serve((req, res) => {
      if (req.url === '/body') {
        res.writeHead(200, { 'Content-Length': '10' });
        res.write('12');
      }
    });
    for (const path of ['/body', '/head']) {
      const r = await request({ origin, timeoutMs: 100, apiKey: null, fetch: nodeHttpFetch }, { method: 'GET', path });
      expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    }
    const closed = await serve(() => undefined);
    server?.close();
    server = undefined;
    const r = await request({ origin: closed, timeoutMs: 1000, apiKey: null, fetch: nodeHttpFetch }, { method: 'GET', path: '/' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    expect(r.ok ? '' : r.error.message).toContain('refused the connection');
  });
});
