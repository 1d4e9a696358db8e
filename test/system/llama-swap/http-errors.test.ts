/**
 * What failed, in words (issue 12 items 6 and 8): refused, timeout and TLS say so and name the
 * address; a redirect's body is never echoed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../../../src/system/llama-swap/http.js';
import { nodeHttpFetch } from '../../../src/system/llama-swap/http-node.js';

let server: Server | undefined;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ origin: string; port: number }> {
  server = createServer(handler);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, port };
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

const opts = (origin: string, timeoutMs = 5000) => ({ origin, timeoutMs, apiKey: null, fetch: nodeHttpFetch });

describe('network failures name what failed and where', () => {
  it('refused: "llama-swap at <origin> refused the connection"', async () => {
    const { origin } = await serve(() => undefined);
    await new Promise((r) => server?.close(r));
    server = undefined;
    const r = await request(opts(origin), { method: 'GET', path: '/running' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'unreachable', message: `llama-swap at ${origin} refused the connection` } });
  });

  it('timeout: "llama-swap at <origin> did not answer within 0.2 s"', async () => {
    const { origin } = await serve(() => undefined);
    const r = await request(opts(origin, 200), { method: 'GET', path: '/running' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout', message: `llama-swap at ${origin} did not answer within 0.2 s` } });
  });

  it('TLS: https against a plain http port says the TLS handshake failed', async () => {
    const { port } = await serve((_req, res) => res.end('plain'));
    const origin = `https://127.0.0.1:${port}`;
    const r = await request(opts(origin), { method: 'GET', path: '/running' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('unreachable');
    expect(r.error.message).toMatch(new RegExp(`^TLS handshake with llama-swap at ${origin.replace(/\./g, '\\.')} failed`));
    expect(r.error.message).toMatch(/plain http/);
  });
});

describe('statuses', () => {
  it('a redirect is named as such and its body is never echoed', async () => {
    const { origin } = await serve((_req, res) => {
      res.writeHead(302, { Location: 'https://login.example/sso', 'content-type': 'text/plain' });
      res.end('Found. Redirecting to secret-session-token-123');
    });
    const r = await request(opts(origin), { method: 'GET', path: '/running' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(/redirect/i);
    expect(r.error.message).toContain('302');
    expect(r.error.message).not.toContain('secret-session-token');
  });

  it('401 has exactly one hint', async () => {
    const { origin } = await serve((_req, res) => res.writeHead(401).end('unauthorized'));
    const r = await request(opts(origin), { method: 'GET', path: '/running' });
    expect(r.ok ? '' : r.error.message).toBe('llama-swap needs an API key (set LLAMA_SWAP_API_KEY)');
  });
});
