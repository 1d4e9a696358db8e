/**
 * Actions against a tiny fake llama-swap on 127.0.0.1, through the real config reader and the
 * real HTTP client: ids are checked against the live list and sent URL-encoded, with the key.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uiUrl } from '../../../src/system/cli/actions.js';
import { runCli } from '../../../src/system/cli/cli.js';
import type { CliDeps } from '../../../src/system/cli/cli.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome } from '../../helpers/temp-home.js';
import type { TempHome } from '../../helpers/temp-home.js';

const KEY = 'sk-http-secret-42';
const HOSTILE = 'a|b"c\nbash=/bin/rm';
let server: Server;
let port = 0;
let seen: { method: string; url: string; auth: string }[] = [];
let live: string[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '' });
  if (req.headers.authorization !== `Bearer ${KEY}` && req.url !== '/health') {
    res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized: invalid or missing API key');
    return;
  }
  const json = (body: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  if (req.url === '/v1/models') {
    json({ object: 'list', data: [...live, 'qwen'].map((id) => ({ id, object: 'model', created: 0, owned_by: 'llama-swap', name: '', description: '' })) });
  } else if (req.url === '/running') {
    json({ running: live.map((model) => ({ model, state: 'ready', cmd: 'x', proxy: 'http://127.0.0.1:1', ttl: 0, name: '', description: '' })) });
  } else if (req.method === 'POST' && req.url?.startsWith('/api/models/unload/')) {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let home: TempHome;
let text = '';
beforeEach(() => {
  home = createTempHome();
  seen = [];
  text = '';
});
afterEach(() => home.remove());

function deps(key: string | null = KEY): CliDeps {
  const env: Record<string, string> = { LLAMA_SWAP_API_BASE_URL: 'http://127.0.0.1', LLAMA_SWAP_API_PORT: String(port), LLAMA_SWAP_API_TIMEOUT_SECS: '5' };
  if (key !== null) env.LLAMA_SWAP_API_KEY = key;
  const sink = { write: (t: string) => { text += t; return true; } };
  return { runner: createRecordingRunner(), fsRoot: home, platform: { name: 'linux', uid: 1000 }, env, stdout: sink, stderr: sink };
}

describe('model ids over HTTP', () => {
  it('rejects a hostile id that is not live: only the lists are fetched', async () => {
    live = ['qwen'];
    expect(await runCli(['do_unload_model', HOSTILE], deps())).toBe(1);
    expect(seen.map((s) => s.url).every((u) => u === '/running' || u === '/v1/models')).toBe(true);
    expect(text).toContain('unknown model');
  });

  it('sends a live hostile id as one URL-encoded path segment, with the key', async () => {
    live = [HOSTILE];
    expect(await runCli(['do_unload_model', HOSTILE], deps())).toBe(0);
    const unload = seen.find((s) => s.method === 'POST');
    expect(unload).toBeDefined();
    const segment = unload?.url.slice('/api/models/unload/'.length) ?? '';
    expect(segment).not.toMatch(/[|"\n/ ]/);
    expect(decodeURIComponent(segment)).toBe(HOSTILE);
    expect(unload?.auth).toBe(`Bearer ${KEY}`);
    expect(text).not.toContain(KEY);
  });

  it('a missing key is reported as such, without a request for the unload', async () => {
    live = ['qwen'];
    expect(await runCli(['do_unload_model', 'qwen'], deps(null))).toBe(1);
    expect(text).toContain('LLAMA_SWAP_API_KEY');
    // One hint, not "(set LLAMA_SWAP_API_KEY) (set LLAMA_SWAP_API_KEY)" or check + set.
    expect(text.match(/LLAMA_SWAP_API_KEY/g)).toHaveLength(1);
    expect(seen.some((s) => s.method === 'POST')).toBe(false);
  });
});

describe('uiUrl', () => {
  it('keeps the configured port', () => {
    expect(uiUrl({ apiUrl: 'http://127.0.0.1:45786', apiPort: 45786 })).toBe('http://127.0.0.1:45786/ui/');
    expect(uiUrl({ apiUrl: 'http://studio.local', apiPort: 8080 })).toBe('http://studio.local:8080/ui/');
  });
});
