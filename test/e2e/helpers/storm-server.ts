/**
 * A hostile llama-swap stand-in that streams an event storm on `/api/events`: a batch of events
 * every tick, of the kinds asked for in turn (in-flight upserts with new ids, `modelStatus`
 * flapping starting → stopped, `logData`, `activity`). It counts what it sent and what it was
 * asked for (`/logs`, `/running` …, with the most open at once), so tests and the benchmark can
 * state budgets as "after N events sent, …". A batch is written only once the previous one has
 * drained, so "sent" is what reached the plugin's socket, never a backlog in ours.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type StormKind = 'inflight' | 'modelStatus' | 'logData' | 'activity';

export type StormOptions = {
  /** Kinds sent in turn, one event each (default: in-flight upserts only). */
  readonly kinds?: readonly StormKind[];
  /** Events per tick (default 100) and ms between ticks (default 100): 1,000 events a second. */
  readonly perTick?: number;
  readonly tickMs?: number;
  /** Size of the `/logs` answer (default 1.5 MB, the issue's). */
  readonly logBytes?: number;
};

export type StormServer = {
  readonly url: string;
  /** The model that takes the in-flight requests (listed as ready) and the one that keeps failing to start. */
  readonly readyModel: string;
  readonly failingModel: string;
  /** Events written to open streams so far, of every kind and of in-flight upserts (new ids). */
  sent(): number;
  upserts(): number;
  /** Requests received whose path starts with `prefix`, and the most of them open at once. */
  count(prefix: string): number;
  maxInFlight(prefix: string): number;
  /** Resolves once `condition` holds, checked after every batch and request; rejects after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs: number, label: string): Promise<void>;
  /** Stops (or restarts) the storm; streams stay open. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
};

const READY = 'storm-ready';
const FAILING = 'storm-failing';
/** The reason the failing model's start fails with, in the log `/logs` answers. */
export const STORM_REASON = 'out of memory while loading the model';

/** One SSE message in llama-swap's envelope (the inner `data` is JSON text). */
function sse(type: string, data: unknown): string {
  return `event:message\ndata:${JSON.stringify({ type, data: JSON.stringify(data) })}\n\n`;
}

function statusOf(failing: string): string {
  return sse('modelStatus', [
    { id: READY, name: '', description: '', state: 'ready', unlisted: false },
    { id: FAILING, name: '', description: '', state: failing, unlisted: false },
  ]);
}

/** llama-swap's log with the failure line near its end, padded to `bytes`. */
function logText(bytes: number): string {
  const line = '[INFO] Request 127.0.0.1 "GET /v1/models HTTP/1.1" 200 648 "curl/7.88.1" 377.168µs\n';
  const tail = `[WARN] ${FAILING}: starting ${FAILING} failed: ${STORM_REASON}\n`;
  return line.repeat(Math.max(0, Math.floor((bytes - tail.length) / line.length))) + tail;
}

/** The menu's count of requests in flight ("In flight: 1,234 requests" → 1234; 0 without that line). */
export function inflightShown(frame: string): number {
  const m = /In flight: ([\d,]+) request/.exec(frame);
  return m?.[1] === undefined ? 0 : Number(m[1].replace(/,/g, ''));
}

export async function startStormServer(options: StormOptions = {}): Promise<StormServer> {
  const kinds = options.kinds ?? ['inflight'];
  const perTick = options.perTick ?? 100;
  const tickMs = options.tickMs ?? 100;
  const log = logText(options.logBytes ?? 1.5 * 1024 * 1024);
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const received = new Map<string, number>();
  const open = new Map<string, number>();
  const peak = new Map<string, number>();
  const waiters = new Set<() => void>();
  let sent = 0;
  let upserts = 0;
  let turn = 0;
  let activityId = 0;
  let failingState = 'stopped';
  let paused = false;

  const wake = (): void => {
    for (const w of [...waiters]) w();
  };

  const nextEvent = (): string => {
    const kind = kinds[turn++ % kinds.length] ?? 'inflight';
    switch (kind) {
      case 'inflight': {
        upserts += 1;
        const request = { id: String(upserts), timestamp: new Date().toISOString(), model: READY, req_path: '/v1/chat/completions', method: 'POST', resp_bytes: 0, elapsed_ms: 0 };
        return sse('inflight', { operation: 'upsert', request });
      }
      case 'modelStatus':
        failingState = failingState === 'starting' ? 'stopped' : 'starting';
        return statusOf(failingState);
      case 'logData':
        return sse('logData', { source: 'upstream', data: `srv  update_slots: id  0 | task ${sent} | new prompt, n_ctx_slot = 4096\n` });
      case 'activity':
        activityId += 1;
        return sse('activity', { id: activityId });
    }
  };

  // One batch per tick to every stream whose socket has taken the last one.
  const blocked = new WeakSet<ServerResponse>();
  const timer = setInterval(() => {
    const ready = [...streams].filter((res) => !blocked.has(res));
    if (paused || ready.length === 0) return;
    const batch: string[] = [];
    for (let i = 0; i < perTick; i++) batch.push(nextEvent());
    const text = batch.join('');
    for (const res of ready) {
      if (!res.write(text)) {
        blocked.add(res);
        res.once('drain', () => blocked.delete(res));
      }
    }
    sent += perTick;
    wake();
  }, tickMs);

  const answer = (res: ServerResponse, status: number, body: string, type = 'application/json'): void => {
    res.writeHead(status, { 'Content-Type': type }).end(body);
  };

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    received.set(path, (received.get(path) ?? 0) + 1);
    open.set(path, (open.get(path) ?? 0) + 1);
    peak.set(path, Math.max(peak.get(path) ?? 0, open.get(path) ?? 0));
    res.on('close', () => {
      open.set(path, (open.get(path) ?? 1) - 1);
      streams.delete(res);
      wake();
    });
    queueMicrotask(wake);
    req.resume();
    if (path === '/health') return answer(res, 200, 'OK', 'text/plain');
    if (path === '/running') {
      return answer(res, 200, JSON.stringify({ running: [{ model: READY, state: 'ready', cmd: 'llama-server --port 5800', proxy: 'http://127.0.0.1:5800', ttl: 0, name: '', description: '' }] }));
    }
    if (path === '/v1/models') {
      return answer(res, 200, JSON.stringify({ object: 'list', data: [READY, FAILING].map((id) => ({ id, object: 'model', created: 1, owned_by: 'llama-swap' })) }));
    }
    if (path === '/logs') return answer(res, 200, log, 'text/plain');
    if (path === '/api/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write(statusOf(failingState) + sse('inflight', { operation: 'snapshot' }));
      streams.add(res);
      return;
    }
    // Everything else (/metrics, /api/metrics/activity, /api/performance …): an older llama-swap without it.
    answer(res, 404, '404 page not found', 'text/plain');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const sum = (m: Map<string, number>, prefix: string, pick: (a: number, b: number) => number): number => {
    let n = 0;
    for (const [k, v] of m) if (k.startsWith(prefix)) n = pick(n, v);
    return n;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    readyModel: READY,
    failingModel: FAILING,
    sent: () => sent,
    upserts: () => upserts,
    count: (prefix) => sum(received, prefix, (a, b) => a + b),
    maxInFlight: (prefix) => sum(peak, prefix, Math.max),
    waitFor: (condition, timeoutMs, label) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!condition()) return;
          clearTimeout(deadline);
          waiters.delete(check);
          resolve();
        };
        const deadline = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`storm server: no ${label} within ${timeoutMs} ms (sent ${sent})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    pause: () => (paused = true),
    resume: () => (paused = false),
    close: () =>
      new Promise((resolve) => {
        clearInterval(timer);
        for (const w of [...waiters]) waiters.delete(w);
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
