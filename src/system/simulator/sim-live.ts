/**
 * The simulator's live API, following llama-swap's source: in-flight requests with ids and
 * cancel (internal/server/inflight.go: upsert on start and at most every 250 ms while bytes flow,
 * remove at the end), and the activity store behind `/api/metrics/activity` and
 * `/api/metrics/stats` (internal/store/store.go; tokens and speeds parsed from the response as
 * internal/server/metrics.go does, -1 where the upstream reported nothing).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const UPDATE_MS = 250;
/** Response bytes kept per request for token parsing. */
const BODY_CAP = 1024 * 1024;
/** Rows kept, like llama-swap's pruning. */
const MAX_ROWS = 10_000;

export type SimActivityRow = {
  readonly id: number;
  readonly timestamp: string;
  readonly model: string;
  readonly req_path: string;
  readonly resp_content_type: string;
  readonly resp_status_code: number;
  readonly tokens: {
    readonly cache_tokens: number;
    readonly draft_tokens: number;
    readonly draft_acc_tokens: number;
    readonly input_tokens: number;
    readonly output_tokens: number;
    readonly prompt_per_second: number;
    readonly tokens_per_second: number;
  };
  readonly duration_ms: number;
  readonly has_capture: boolean;
  readonly error_msg?: string;
};

type Entry = {
  id: string;
  timestamp: Date;
  model: string;
  req_path: string;
  method: string;
  req_headers: Record<string, string>;
  remote_ip: string;
  resp_headers: Record<string, string>;
  resp_bytes: number;
  cancel: () => void;
  lastEmitted: number;
  timer: NodeJS.Timeout | null;
};

type Emit = (type: string, data: string) => void;

/** One tracked request, as its dispatcher sees it. */
export type SimRequestHandle = {
  readonly id: string;
  addBytes(n: number): void;
  finish(status: number, tokens: SimActivityRow['tokens'], contentType: string): void;
};

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Tokens and speeds of one response body, as llama-swap's metrics middleware reads them. */
export function parseTokens(body: string, contentType: string): SimActivityRow['tokens'] {
  let usage: Record<string, unknown> | null = null;
  let timings: Record<string, unknown> | null = null;
  const take = (o: unknown): void => {
    if (o === null || typeof o !== 'object') return;
    const r = o as Record<string, unknown>;
    if (r['usage'] && typeof r['usage'] === 'object') usage = r['usage'] as Record<string, unknown>;
    if (r['timings'] && typeof r['timings'] === 'object') timings = r['timings'] as Record<string, unknown>;
  };
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  };
  if (contentType.includes('text/event-stream')) {
    for (const line of body.split('\n')) if (line.startsWith('data:') && !line.includes('[DONE]')) take(parse(line.slice(5).trim()));
  } else take(parse(body));
  const u = usage as Record<string, unknown> | null;
  const t = timings as Record<string, unknown> | null;
  return {
    cache_tokens: -1,
    draft_tokens: -1,
    draft_acc_tokens: -1,
    input_tokens: num(u?.['prompt_tokens']) ?? num(t?.['prompt_n']) ?? 0,
    output_tokens: num(u?.['completion_tokens']) ?? num(t?.['predicted_n']) ?? 0,
    prompt_per_second: num(t?.['prompt_per_second']) ?? -1,
    tokens_per_second: num(t?.['predicted_per_second']) ?? -1,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  if (sorted.length === 1) return sorted[0] ?? 0;
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return (sorted[lower] ?? 0) + (rank - lower) * ((sorted[upper] ?? 0) - (sorted[lower] ?? 0));
}

function histogram(values: readonly number[]): Record<string, unknown> | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const min = sorted[0] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  return { bins: [values.length], min, max, binSize: 0, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** Header names whose values llama-swap redacts before publishing an in-flight entry. */
const REDACTED = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key)$/i;

export class SimLive {
  private nextInflight = 0;
  private nextActivity = 0;
  private readonly inflight = new Map<string, Entry>();
  private readonly rows: SimActivityRow[] = [];

  constructor(private readonly emit: Emit, private readonly clock: () => number) {}

  /** The `inflight` snapshot sent to a new `/api/events` client. */
  snapshot(): string {
    const requests = [...this.inflight.values()].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || Number(a.id) - Number(b.id)).map((e) => this.json(e));
    // Go's omitempty drops an empty list.
    return JSON.stringify(requests.length === 0 ? { operation: 'snapshot' } : { operation: 'snapshot', requests });
  }

  /** Cancels one request (its context ends; the client's connection is dropped). */
  cancel(id: string): boolean {
    const e = this.inflight.get(id);
    if (!e) return false;
    e.cancel();
    return true;
  }

  /**
   * Starts tracking one request that llama-swap dispatched to `model` (published as `upsert`);
   * the caller reports bytes as they are sent and the outcome once (then `remove` + `activity`).
   */
  begin(model: string, path: string, method: string, cancel: () => void, headers: Record<string, string> = {}, remoteIp = '127.0.0.1'): SimRequestHandle {
    const id = String(++this.nextInflight);
    const started = this.clock();
    const entry: Entry = {
      id, timestamp: new Date(started), model, req_path: path, method, req_headers: headers,
      remote_ip: remoteIp, resp_headers: {}, resp_bytes: 0, lastEmitted: started, timer: null, cancel,
    };
    this.inflight.set(id, entry);
    this.upsert(entry);
    let finished = false;
    return {
      id,
      addBytes: (n) => {
        if (finished || n <= 0) return;
        entry.resp_bytes += n;
        const remaining = UPDATE_MS - (this.clock() - entry.lastEmitted);
        if (remaining <= 0 && entry.timer === null) this.upsert(entry);
        else if (entry.timer === null) {
          entry.timer = setTimeout(() => {
            entry.timer = null;
            if (this.inflight.has(id)) this.upsert(entry);
          }, Math.max(0, remaining));
        }
      },
      finish: (status, tokens, contentType) => {
        if (finished) return;
        finished = true;
        if (entry.timer !== null) clearTimeout(entry.timer);
        this.inflight.delete(id);
        this.emit('inflight', JSON.stringify({ operation: 'remove', id }));
        this.record({
          model, req_path: path, resp_content_type: contentType, resp_status_code: status, tokens,
          duration_ms: Math.round(this.clock() - started),
          ...(status === 200 ? {} : { error_msg: status === 499 ? 'request cancelled' : `HTTP ${status}` }),
        });
      },
    };
  }

  /**
   * Tracks a model-dispatched HTTP request from now until its response closes, and records its
   * activity row at the end (tokens parsed from the body). Call before any byte is written.
   */
  track(req: IncomingMessage, res: ServerResponse, model: string, path: string): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = REDACTED.test(k) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
    const handle = this.begin(model, path, req.method ?? 'POST', () => {
      req.destroy();
      res.destroy();
    }, headers, req.socket.remoteAddress ?? '');
    const body: Buffer[] = [];
    let kept = 0;
    const count = (chunk: unknown): void => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? Buffer.from(chunk) : null;
      if (b === null || b.length === 0) return;
      if (kept < BODY_CAP) {
        body.push(b);
        kept += b.length;
      }
      handle.addBytes(b.length);
    };
    let contentType = '';
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as unknown as { writeHead: (...args: unknown[]) => ServerResponse }).writeHead = (...args: unknown[]) => {
      // Headers given to writeHead are not visible through getHeader afterwards: note the type here.
      const h = args.find((a) => a !== null && typeof a === 'object') as Record<string, unknown> | undefined;
      const type = h ? Object.entries(h).find(([k]) => k.toLowerCase() === 'content-type')?.[1] : undefined;
      if (typeof type === 'string') contentType = type;
      return writeHead(...args);
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]) => {
      count(args[0]);
      return write(...args);
    };
    (res as unknown as { end: (...args: unknown[]) => ServerResponse }).end = (...args: unknown[]) => {
      if (typeof args[0] !== 'function') count(args[0]);
      return end(...args);
    };
    res.on('close', () => {
      if (contentType === '') contentType = String(res.getHeader('content-type') ?? '');
      handle.finish(res.writableFinished ? res.statusCode : 499, parseTokens(Buffer.concat(body).toString('utf8'), contentType), contentType);
    });
  }

  private record(row: Omit<SimActivityRow, 'id' | 'timestamp' | 'has_capture'>): void {
    const full: SimActivityRow = { id: ++this.nextActivity, timestamp: new Date(this.clock()).toISOString().replace(/\.\d+Z$/, 'Z'), has_capture: false, ...row };
    this.rows.push(full);
    if (this.rows.length > MAX_ROWS) this.rows.splice(0, this.rows.length - MAX_ROWS);
    this.emit('activity', JSON.stringify({ id: full.id }));
  }

  private upsert(e: Entry): void {
    e.lastEmitted = this.clock();
    this.emit('inflight', JSON.stringify({ operation: 'upsert', request: this.json(e) }));
  }

  private json(e: Entry): Record<string, unknown> {
    return {
      id: e.id, timestamp: e.timestamp.toISOString(), model: e.model, req_path: e.req_path, method: e.method,
      req_headers: e.req_headers, remote_ip: e.remote_ip, resp_headers: e.resp_headers, resp_bytes: e.resp_bytes,
      elapsed_ms: Math.max(0, Math.round(this.clock() - e.timestamp.getTime())),
    };
  }

  /** `GET /api/metrics/activity` (model, min_id, max_id, limit, page, sort=id, order). */
  activity(url: URL): { status: number; body: unknown } {
    const q = url.searchParams;
    const models = q.getAll('model').map((m) => m.trim()).filter((m) => m !== '');
    const minId = q.has('min_id') ? Number(q.get('min_id')) : 0;
    const maxId = q.has('max_id') ? Number(q.get('max_id')) : 0;
    if (!Number.isInteger(minId) || minId < 0 || (q.has('min_id') && minId < 1)) return { status: 400, body: 'min_id must be >= 1' };
    if (!Number.isInteger(maxId) || maxId < 0 || (q.has('max_id') && maxId < 1)) return { status: 400, body: 'max_id must be >= 1' };
    const limit = q.has('limit') ? Number(q.get('limit')) : 25;
    if (!Number.isInteger(limit) || limit < 1 || limit > 999) return { status: 400, body: 'limit must be between 1 and 999' };
    const page = q.has('page') ? Number(q.get('page')) : 1;
    if (!Number.isInteger(page) || page < 1) return { status: 400, body: 'page must be >= 1' };
    const order = (q.get('order') ?? 'desc').toLowerCase();
    if (order !== 'asc' && order !== 'desc') return { status: 400, body: 'order must be asc or desc' };
    const matching = this.rows.filter((r) => (models.length === 0 || models.includes(r.model)) && (minId === 0 || r.id >= minId) && (maxId === 0 || r.id <= maxId));
    const sorted = order === 'asc' ? matching : [...matching].reverse();
    const data = sorted.slice((page - 1) * limit, page * limit);
    return { status: 200, body: { data, page, limit, total: matching.length, total_pages: Math.ceil(matching.length / limit) } };
  }

  /** `GET /api/metrics/stats?model=`. */
  stats(url: URL): unknown {
    const model = (url.searchParams.get('model') ?? '').trim();
    const rows = this.rows.filter((r) => model === '' || r.model === model);
    const sum = (f: (r: SimActivityRow) => number): number => rows.reduce((n, r) => n + Math.max(0, f(r)), 0);
    return {
      total_requests: rows.length,
      total_input_tokens: sum((r) => r.tokens.input_tokens),
      total_output_tokens: sum((r) => r.tokens.output_tokens),
      total_cache_tokens: sum((r) => r.tokens.cache_tokens),
      prompt_histogram: histogram(rows.map((r) => r.tokens.prompt_per_second).filter((v) => v > 0)),
      gen_histogram: histogram(rows.map((r) => r.tokens.tokens_per_second).filter((v) => v > 0)),
    };
  }
}
