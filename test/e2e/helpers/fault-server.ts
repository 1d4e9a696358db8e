/**
 * A small llama-swap stand-in for fault tests: 127.0.0.1, ephemeral port, models and metrics the
 * test sets, a fault per endpoint (hang, slow, status + body, truncated body), and bookkeeping of
 * requests in flight per endpoint, to prove the plugin never piles requests up.
 */
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What an endpoint does instead of its normal answer. */
export type Fault =
  | { readonly kind: 'hang' }
  | { readonly kind: 'slow'; readonly ms: number }
  | { readonly kind: 'reply'; readonly status: number; readonly body: string; readonly type?: string }
  /** Headers promise more bytes than are sent, then the socket closes. */
  | { readonly kind: 'truncated'; readonly body: string }
  /** An open event stream: headers, `body`, then nothing more until the client leaves. */
  | { readonly kind: 'stream'; readonly body: string };

/** One stand-in model. */
export type FaultModel = {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly state?: string;
  readonly ttl?: number;
};

export type FaultServer = {
  readonly url: string;
  readonly port: number;
  /** Models listed by /v1/models; those with a state also appear in /running. */
  models: FaultModel[];
  /** Prometheus text per model id (default: a real llama-server capture). */
  readonly metrics: Map<string, string>;
  /** Sets a fault for every path starting with `prefix` (`/running`, `/upstream/`, …); null clears it. */
  fault(prefix: string, fault: Fault | null): void;
  /** Requests received: method, raw (percent-encoded) path and arrival (performance.now()). */
  readonly log: { readonly method: string; readonly path: string; readonly at: number }[];
  /** Most requests ever open at once for paths starting with `prefix`. */
  maxInFlight(prefix: string): number;
  /** Requests open right now for paths starting with `prefix`. */
  inFlight(prefix: string): number;
  /** Requests received so far whose path starts with `prefix`. */
  count(prefix: string): number;
  /**
   * Resolves once `condition` holds, checked whenever a request arrives or ends (an event, never
   * a fixed wait); rejects after `timeoutMs` with `label`.
   */
  waitFor(condition: () => boolean, timeoutMs: number, label: string): Promise<void>;
  /** Stops accepting connections and drops open ones (down mid-stream); listen() brings it back on the same port. */
  unlisten(): Promise<void>;
  listen(): Promise<void>;
  close(): Promise<void>;
};

const FIXTURES = join(fileURLToPath(new URL('../../fixtures/llama-server/', import.meta.url)));
/** A real llama-server `/metrics` body (b9694, after a parallel run). */
export const REAL_METRICS = readFileSync(join(FIXTURES, 'metrics-02-after-parallel-run.txt'), 'utf8');
/** llama-server's answer to `/metrics` when started without `--metrics` (a 501). */
export const METRICS_DISABLED = readFileSync(join(FIXTURES, 'metrics-when-disabled.txt'), 'utf8');

/** An nginx-style HTML error page, as a reverse proxy in front of llama-swap would send. */
export const HTML_ERROR = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

function json(res: ServerResponse, value: unknown, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(value)}\n`);
}

/** Starts the stand-in on an ephemeral port (or `port`). */
export async function startFaultServer(initial: readonly FaultModel[] = [], port = 0): Promise<FaultServer> {
  const faults = new Map<string, Fault>();
  const open = new Map<string, number>();
  const peak = new Map<string, number>();
  const log: { method: string; path: string; at: number }[] = [];
  const sockets = new Set<Socket>();
  const hung = new Set<ServerResponse>();
  const metrics = new Map<string, string>();
  const state = { models: [...initial] };

  const faultFor = (path: string): Fault | undefined => {
    let best: [string, Fault] | undefined;
    for (const entry of faults) if (path.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
    return best?.[1];
  };

  const normal = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const url = new URL(path, 'http://x');
    const p = url.pathname;
    if (p === '/health') return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    if (p === '/running') {
      const running = state.models.filter((m) => m.state !== undefined).map((m) => ({
        model: m.id, state: m.state, cmd: 'llama-server --port 5800 --metrics', proxy: 'http://127.0.0.1:5800',
        ttl: m.ttl ?? 0, name: m.name ?? '', description: m.description ?? '',
      }));
      return json(res, { running });
    }
    if (p === '/v1/models') {
      return json(res, {
        object: 'list',
        data: state.models.map((m) => ({
          id: m.id, object: 'model', created: 1, owned_by: 'llama-swap',
          ...(m.name ? { name: m.name } : {}), ...(m.description ? { description: m.description } : {}),
        })),
      });
    }
    const upstream = /^\/upstream\/(.+)\/(metrics|health)$/.exec(p);
    if (upstream?.[1] && upstream[2]) {
      const id = decodeURIComponent(upstream[1]);
      const model = state.models.find((m) => m.id === id);
      if (!model) return json(res, { error: 'model not found' }, 404);
      if (upstream[2] === 'health') {
        if (model.state !== 'ready') state.models = state.models.map((m) => (m.id === id ? { ...m, state: 'ready' } : m));
        return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
      }
      return void res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(metrics.get(id) ?? REAL_METRICS);
    }
    const unload = /^\/api\/models\/unload(?:\/(.+))?$/.exec(p);
    if (unload && req.method === 'POST') {
      const id = unload[1] === undefined ? null : decodeURIComponent(unload[1]);
      state.models = state.models.map((m) => (id === null || m.id === id ? { id: m.id, ...(m.name ? { name: m.name } : {}), ...(m.description ? { description: m.description } : {}) } : m));
      return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    }
    // /api/performance, /api/profiles, /api/metrics/activity: an older llama-swap without them.
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
  };

  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  let received = new Map<string, number>();
  const waitFor = (condition: () => boolean, timeoutMs: number, label: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fault server: no ${label} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '/';
    log.push({ method: req.method ?? 'GET', path, at: performance.now() });
    received.set(path, (received.get(path) ?? 0) + 1);
    if (received.size > 10_000) received = new Map();
    if (log.length > 20_000) log.splice(0, 10_000);
    const key = [...new Set([path, ...[...faults.keys()].filter((k) => path.startsWith(k))])];
    for (const k of key) {
      const n = (open.get(k) ?? 0) + 1;
      open.set(k, n);
      peak.set(k, Math.max(peak.get(k) ?? 0, n));
    }
    res.on('close', () => {
      hung.delete(res);
      for (const k of key) open.set(k, (open.get(k) ?? 1) - 1);
      wake();
    });
    // After the counters above, so a waiter sees this request as open.
    queueMicrotask(wake);
    req.resume();
    const fault = faultFor(path);
    if (!fault) return normal(req, res, path);
    switch (fault.kind) {
      case 'hang':
        hung.add(res);
        return;
      case 'slow':
        setTimeout(() => {
          if (!res.destroyed) normal(req, res, path);
        }, fault.ms);
        return;
      case 'reply':
        res.writeHead(fault.status, { 'Content-Type': fault.type ?? 'application/json' }).end(fault.body);
        return;
      case 'stream':
        hung.add(res);
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.write(fault.body);
        return;
      case 'truncated':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(fault.body) + 100) });
        res.write(fault.body);
        setTimeout(() => res.socket?.destroy(), 20);
        return;
    }
  };

  const server = http.createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let listening = false;
  const listen = (): Promise<void> => new Promise((resolve, reject) => {
    if (listening) return resolve();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      listening = true;
      resolve();
    });
  });
  const unlisten = (): Promise<void> => new Promise((resolve) => {
    if (!listening) return resolve();
    listening = false;
    server.close(() => resolve());
    for (const r of hung) r.destroy();
    for (const s of sockets) s.destroy();
  });
  await listen();

  // Paths are compared with what was sent, so prefixes use the raw (encoded) form.
  const count = (m: Map<string, number>, prefix: string): number => {
    let best = 0;
    for (const [k, v] of m) if (k === prefix) best = Math.max(best, v);
    return best;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get models() {
      return state.models;
    },
    set models(value) {
      state.models = value;
    },
    metrics,
    fault: (prefix, fault) => {
      if (fault) faults.set(prefix, fault);
      else faults.delete(prefix);
      // Track this prefix from now on, even for requests that do not hit a fault.
      if (fault && !peak.has(prefix)) peak.set(prefix, 0);
    },
    log,
    maxInFlight: (prefix) => count(peak, prefix),
    inFlight: (prefix) => count(open, prefix),
    count: (prefix) => [...received].reduce((n, [path, c]) => (path.startsWith(prefix) ? n + c : n), 0),
    waitFor,
    unlisten,
    listen,
    close: async () => {
      await unlisten();
    },
  };
}
