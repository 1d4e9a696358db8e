/**
 * A tiny llama-swap stand-in for client tests: 127.0.0.1, ephemeral port, a fault mode, and a
 * log of every request (method, raw path, Authorization) so tests can audit what was called.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type FakeMode = 'ok' | 'slow' | '401' | 'garbage' | 'html' | 'truncated' | '501' | 'down';

export type LoggedRequest = {
  readonly method: string;
  /** The raw request target as sent (still percent-encoded). */
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: string;
};

export type FakeReply = { readonly status: number; readonly body: string; readonly type?: string };

export type FakeLlamaSwap = {
  readonly url: string;
  readonly port: number;
  readonly log: LoggedRequest[];
  setMode(mode: FakeMode): void;
  /** Answers for one `METHOD /raw/path` (overrides the mode). */
  route(key: string, reply: FakeReply | ((req: LoggedRequest) => FakeReply)): void;
  close(): Promise<void>;
};

export type FakeOptions = {
  readonly mode?: FakeMode;
  /** When set, every path but /health needs `Authorization: Bearer <key>` (else 401). */
  readonly apiKey?: string;
};

const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'llama-server');
export const METRICS_TEXT = readFileSync(path.join(FIX, 'metrics-02-after-parallel-run.txt'), 'utf8');
const DISABLED_BODY = '{"error":{"code":501,"message":"This server does not support metrics endpoint. Start it with `--metrics`","type":"not_supported_error"}}';

const json = (v: unknown, status = 200): FakeReply => ({ status, body: JSON.stringify(v), type: 'application/json' });
const text = (body: string, status = 200, type = 'text/plain; charset=utf-8'): FakeReply => ({ status, body, type });

export const RUNNING = {
  running: [
    { model: 'qwen-7b', state: 'ready', cmd: 'llama-server --port 5800 -m /m/q.gguf --metrics', proxy: 'http://127.0.0.1:5800', ttl: 300, name: 'Qwen 7B', description: 'code' },
    { model: 'llama-3b', state: 'starting', cmd: 'llama-server --port ${PORT}', proxy: 'http://127.0.0.1:5801', ttl: 0, name: '', description: '' },
  ],
};

export const MODELS = {
  object: 'list',
  data: [
    { id: 'llama-3b', object: 'model', created: 1, owned_by: 'llama-swap', status: { value: 'unloaded' } },
    { id: 'qwen-7b', object: 'model', created: 1, owned_by: 'llama-swap', name: 'Qwen 7B', description: 'code', status: { value: 'loaded' } },
    { id: 'old-style', object: 'model', created: 1, owned_by: 'llama-swap' },
  ],
};

export const PERFORMANCE = {
  enabled: true,
  sys_stats: [
    { timestamp: '2026-11-25T10:00:00Z', cpu_util_per_core: [10, 20], mem_total_mb: 1000, mem_used_mb: 100, mem_free_mb: 900, swap_total_mb: 10, swap_used_mb: 1, load_avg_1: 0.5, load_avg_5: 0, load_avg_15: 0, net_io: [] },
    { timestamp: '2026-11-25T10:00:05Z', cpu_util_per_core: [50, 70, 30, 10], mem_total_mb: 24576, mem_used_mb: 8192, mem_free_mb: 16384, swap_total_mb: 2048, swap_used_mb: 512, load_avg_1: 1.25, load_avg_5: 1, load_avg_15: 1, net_io: [] },
  ],
  gpu_stats: [
    { timestamp: '2026-11-25T10:00:00Z', id: 0, name: 'Apple M1 Pro (16-core GPU)', uuid: '', temp_c: 40, vram_temp_c: 0, gpu_util_pct: 5, mem_util_pct: 0, mem_used_mb: 100, mem_total_mb: 16384, fan_speed_pct: 0, power_draw_w: 2 },
    { timestamp: '2026-11-25T10:00:05Z', id: 0, name: 'Apple M1 Pro (16-core GPU)', uuid: '', temp_c: 45, vram_temp_c: 0, gpu_util_pct: 80, mem_util_pct: 0, mem_used_mb: 4096, mem_total_mb: 16384, fan_speed_pct: 0, power_draw_w: 12.5 },
  ],
};

export const PROFILES = { active: null, profiles: [{ id: 'coding', description: 'code models', pins: { coder: 'qwen-7b' } }] };

function okReply(req: LoggedRequest): FakeReply {
  const p = req.path.split('?')[0] ?? '';
  const key = `${req.method} ${p}`;
  if (key === 'GET /health') return text('OK');
  if (key === 'GET /running') return json(RUNNING);
  if (key === 'GET /v1/models' || key === 'GET /models') return json(MODELS);
  if (key === 'GET /api/performance') return json(PERFORMANCE);
  if (key === 'GET /api/profiles') return json(PROFILES);
  if (key === 'PUT /api/profiles/active') {
    const name = (JSON.parse(req.body || '{}') as { name?: unknown }).name;
    if (name === null || name === 'coding') return json({ active: name });
    return text(`profile not found: ${String(name)}`, 404);
  }
  if (key === 'POST /api/models/unload') return json({ msg: 'ok' });
  if (key === 'GET /api/metrics/activity') {
    const model = new URLSearchParams(req.path.split('?')[1] ?? '').get('model') ?? '';
    const total = model === 'qwen-7b' ? 42 : 0;
    return json({ data: [], page: 1, limit: 1, total, total_pages: total });
  }
  if (key === 'GET /unload') return text('OK');
  const unload = /^POST \/api\/models\/unload\/(.+)$/.exec(key);
  if (unload) return ['qwen-7b', 'llama-3b'].includes(decodeURIComponent(unload[1] ?? '')) ? text('OK') : text('model not found', 404);
  const up = /^GET \/upstream\/([^/]+)\/(.*)$/.exec(key);
  if (up) {
    if (!['qwen-7b', 'llama-3b'].includes(decodeURIComponent(up[1] ?? ''))) return text('model not found', 404);
    if (up[2] === 'metrics') return text(METRICS_TEXT, 200, 'text/plain; version=0.0.4');
    if (up[2] === 'health') return json({ status: 'ok' });
  }
  return text('404 page not found', 404);
}

function faultReply(mode: FakeMode, req: LoggedRequest): FakeReply | null {
  switch (mode) {
    case '401':
      return text('unauthorized: invalid or missing API key', 401);
    case 'garbage':
      return text('\u0000\u0001 this is not what you asked for }{', 200, 'application/json');
    case 'html':
      return text('<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>', 200, 'text/html');
    case 'truncated': {
      const full = okReply(req);
      return { ...full, body: full.body.slice(0, Math.max(1, Math.floor(full.body.length / 2))) };
    }
    case '501':
      return { status: 501, body: DISABLED_BODY, type: 'application/json; charset=utf-8' };
    default:
      return null;
  }
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeLlamaSwap(options: FakeOptions = {}): Promise<FakeLlamaSwap> {
  let mode: FakeMode = options.mode ?? 'ok';
  const log: LoggedRequest[] = [];
  const routes = new Map<string, FakeReply | ((req: LoggedRequest) => FakeReply)>();
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: LoggedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      log.push(entry);
      if (mode === 'slow') return; // hold the request until the client gives up or close()
      const route = routes.get(`${entry.method} ${entry.path}`);
      const needsKey = options.apiKey !== undefined && entry.path !== '/health';
      const reply =
        route !== undefined
          ? typeof route === 'function' ? route(entry) : route
          : needsKey && entry.authorization !== `Bearer ${options.apiKey ?? ''}`
            ? text('unauthorized: invalid or missing API key', 401)
            : (faultReply(mode, entry) ?? okReply(entry));
      res.writeHead(reply.status, { 'content-type': reply.type ?? 'text/plain' });
      res.end(reply.body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  if (mode === 'down') await close();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    setMode: (m) => {
      mode = m;
    },
    route: (key, reply) => {
      routes.set(key, reply);
    },
    close,
  };
}
