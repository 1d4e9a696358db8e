/**
 * Body caps per endpoint (issue 12 item 5): an answer over its endpoint's limit is a clear
 * "too large" error, and the plugin stops reading (the socket is closed) instead of buffering it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyLimitFor, request } from '../../../src/system/llama-swap/http.js';
import { nodeHttpFetch } from '../../../src/system/llama-swap/http-node.js';

let server: Server | undefined;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
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

const MB = 1024 * 1024;

describe('body limits per endpoint', () => {
  it('model lists get 4 MB, other JSON 2 MB, metrics text 1 MB, health a little', () => {
    expect(bodyLimitFor('/v1/models')).toBe(4 * MB);
    expect(bodyLimitFor('/running')).toBe(4 * MB);
    expect(bodyLimitFor('/api/profiles')).toBe(2 * MB);
    expect(bodyLimitFor('/api/metrics/activity?model=a&limit=1')).toBe(2 * MB);
    expect(bodyLimitFor('/upstream/qwen%2F7b/metrics')).toBe(1 * MB);
    expect(bodyLimitFor('/health')).toBeLessThanOrEqual(64 * 1024);
    expect(bodyLimitFor('/upstream/x/health')).toBeLessThanOrEqual(64 * 1024);
  });

  it('an endless body over the limit is refused as too large and the connection is dropped', async () => {
    let serverSawClose: () => void = () => undefined;
    const closed = new Promise<void>((r) => (serverSawClose = r));
    let sent = 0;
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      // Keeps writing until the client goes away.
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => serverSawClose());
      pump();
    });
    const r = await request({ origin, timeoutMs: 15_000, apiKey: null, fetch: nodeHttpFetch }, { method: 'GET', path: '/v1/models' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('invalid-response');
    expect(r.error.message).toMatch(/too large/);
    expect(r.error.message).toContain('/v1/models');
    expect(r.error.message).toContain('4 MB');
    await closed;
    // Far less than the limit plus socket buffers was ever sent.
    expect(sent).toBeLessThan(16 * MB);
  });

  it('a Content-Length over the limit is refused before reading; under it is read whole', async () => {
    const big = `# HELP x\n${'a'.repeat(1.5 * MB)}\n`;
    // 20,000 ordinary models are about 2.3 MB: read whole.
    const origin = await serve((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(big)) });
      res.end(big);
      void req;
    });
    const http = { origin, timeoutMs: 15_000, apiKey: null, fetch: nodeHttpFetch };
    const metrics = await request(http, { method: 'GET', path: '/upstream/m/metrics' });
    expect(metrics).toMatchObject({ ok: false, error: { kind: 'invalid-response' } });
    expect(metrics.ok ? '' : metrics.error.message).toMatch(/too large.*1 MB/);
    const json = await request(http, { method: 'GET', path: '/v1/models' });
    expect(json.ok && json.value.text.length).toBe(big.length);
  });

  it('an error body over the limit is too large as well (never buffered whole)', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('e'.repeat(200 * 1024));
    });
    const r = await request({ origin, timeoutMs: 15_000, apiKey: null, fetch: nodeHttpFetch }, { method: 'GET', path: '/health' });
    expect(r.ok ? '' : r.error.message).toMatch(/too large/);
  });

  it('a fetch that ignores the limit (the global fetch) is still held to it', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('a'.repeat(1.2 * MB));
    });
    const r = await request({ origin, timeoutMs: 15_000, apiKey: null, fetch: globalThis.fetch }, { method: 'GET', path: '/upstream/m/metrics' });
    expect(r.ok ? '' : r.error.message).toMatch(/too large/);
  });
});
