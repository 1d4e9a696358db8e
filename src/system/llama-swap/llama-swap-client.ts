/**
 * The llama-swap HTTP client: every call is one timed request (see http.ts), answers are
 * validated with zod, and every failure is a Result with a short ApiError. Nothing throws.
 * Its type is in client-types.ts; the live API's methods in live-client.ts.
 */
import { request } from './http.js';
import type { HttpOptions, HttpRequest, HttpResponse } from './http.js';
import { nodeHttpFetch, type FetchLike } from './http-node.js';
import { looksLikePrometheus, parseMetrics } from './metrics-parser.js';
import { performanceToHostStats } from './performance.js';
import { parseSlots } from './slots.js';
import { ActiveProfileSchema, ModelsSchema, PerformanceSchema, ProfilesSchema, RunningSchema } from './schemas.js';
import { createLiveClient } from './live-client.js';
import type { LlamaSwapClient } from './client-types.js';
import type { ApiError, HostStats, ModelKind, Result } from '../types.js';

export type { LlamaSwapClient } from './client-types.js';
export { RECENT_ACTIVITY_ROWS } from './live-client.js';



const KINDS: ReadonlySet<string> = new Set<ModelKind>(['model', 'alias', 'peer', 'selector', 'profile']);

export type LlamaSwapClientOptions = {
  /** Scheme and host, optionally with a port (PluginConfig.apiUrl). */
  readonly apiUrl: string;
  /** Used when apiUrl names no port. */
  readonly apiPort: number;
  readonly apiTimeoutMs: number;
  readonly apiKey: string | null;
  /** Default nodeHttpFetch (node:http; the global fetch costs ~60 ms to load). */
  readonly fetch?: FetchLike;
};

/** The origin requests go to: apiUrl with apiPort when the URL names no port. */
export function apiOrigin(apiUrl: string, apiPort: number): string {
  try {
    const url = new URL(apiUrl);
    if (url.port === '') url.port = String(apiPort);
    return url.origin;
  } catch {
    return `http://127.0.0.1:${apiPort}`;
  }
}

/**
 * A model id as exactly one URL path segment. Ids that a URL parser would normalise away
 * ('', '.', '..') cannot be addressed safely and give null.
 */
export function encodeModelId(id: string): string | null {
  if (id === '' || id === '.' || id === '..') return null;
  return encodeURIComponent(id);
}

const invalid = (what: string): ApiError => ({ kind: 'invalid-response', message: `llama-swap sent an unreadable answer to ${what}` });

function parseJson(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return undefined;
  }
}

function badId(id: string): Result<never> {
  return { ok: false, error: { kind: 'not-found', message: `model id ${JSON.stringify(id).slice(0, 80)} cannot be used in a URL` } };
}

/** A 404 that names a model (llama-swap's own wording) rather than a missing endpoint. */
function modelNotFound(status: number, text: string): ApiError | null {
  if (status !== 404) return null;
  if (/model not found|no local server|no router for model|not found for requested model/i.test(text)) {
    return { kind: 'not-found', status, message: 'llama-swap does not know this model' };
  }
  return null;
}

/** How long loadModel waits for llama-swap to answer before treating the load as started. */
export const LOAD_ACCEPT_MS = 1500;

/** Builds a client for one llama-swap address. */
export function createLlamaSwapClient(options: LlamaSwapClientOptions): LlamaSwapClient {
  const http: HttpOptions = {
    origin: apiOrigin(options.apiUrl, options.apiPort),
    timeoutMs: options.apiTimeoutMs,
    apiKey: options.apiKey,
    fetch: options.fetch ?? nodeHttpFetch,
  };
  const send = (req: HttpRequest, timeoutMs?: number) =>
    request(timeoutMs === undefined ? http : { ...http, timeoutMs }, req);

  async function getJson(path: string): Promise<Result<unknown>> {
    const r = await send({ method: 'GET', path });
    if (!r.ok) return r;
    const json = parseJson(r.value);
    return json === undefined ? { ok: false, error: invalid(path) } : { ok: true, value: json };
  }

  /** `/api/performance` (all samples, or `?after=` the newer ones): host figures, null without a sample. */
  async function readPerformance(path: string): Promise<Result<HostStats | null>> {
    const r = await send({
      method: 'GET',
      path,
      onStatus: (status) =>
        status === 503 || status === 404
          ? { kind: 'not-supported', status, message: "llama-swap's performance monitor is off or missing" }
          : null,
    });
    if (!r.ok) return r;
    const p = PerformanceSchema.safeParse(parseJson(r.value));
    if (!p.success) return { ok: false, error: invalid('/api/performance') };
    if (p.data.enabled === false) {
      return { ok: false, error: { kind: 'not-supported', message: "llama-swap's performance monitor is off" } };
    }
    return { ok: true, value: performanceToHostStats(p.data) };
  }

  return {
    // The live API (events, requests in flight, activity, statistics, logs): live-client.ts.
    ...createLiveClient({ http, send, getJson, invalid }),
    async health() {
      const r = await send({ method: 'GET', path: '/health' });
      return r.ok ? { ok: true, value: true } : r;
    },

    async running() {
      const r = await getJson('/running');
      if (!r.ok) return r;
      const p = RunningSchema.safeParse(r.value);
      if (!p.success) return { ok: false, error: invalid('/running') };
      return {
        ok: true,
        value: p.data.running.map((m) => ({
          id: m.model,
          state: m.state,
          cmd: m.cmd,
          proxy: m.proxy,
          ttl: m.ttl,
          name: m.name,
          description: m.description,
        })),
      };
    },

    async models() {
      const r = await getJson('/v1/models');
      if (!r.ok) return r;
      const p = ModelsSchema.safeParse(r.value);
      if (!p.success) return { ok: false, error: invalid('/v1/models') };
      return {
        ok: true,
        value: p.data.data.map((m) => {
          const meta = m.meta?.llamaswap;
          const kind = meta?.type !== undefined && KINDS.has(meta.type) ? (meta.type as ModelKind) : 'model';
          return {
            id: m.id,
            name: m.name,
            description: m.description,
            loaded: m.status === undefined ? undefined : m.status.value === 'loaded',
            kind,
            ...(meta?.strategy !== undefined ? { strategy: meta.strategy } : {}),
            ...(meta?.targets !== undefined ? { targets: meta.targets } : {}),
            ...(kind === 'peer' ? { peerId: meta?.peerID ?? '' } : {}),
          };
        }),
      };
    },

    async metrics(modelId) {
      const seg = encodeModelId(modelId);
      if (seg === null) return badId(modelId);
      const r = await send({
        method: 'GET',
        path: `/upstream/${seg}/metrics`,
        onStatus: (status, text) =>
          status === 501
            ? { kind: 'metrics-disabled', status, message: "metrics disabled: add --metrics to the model's cmd" }
            : modelNotFound(status, text),
      });
      if (!r.ok) return r;
      // The exposition format ends every line with \n: a body without it was cut short.
      const text = r.value.text;
      if (!text.endsWith('\n') || !looksLikePrometheus(text)) return { ok: false, error: invalid('/upstream/…/metrics') };
      return { ok: true, value: parseMetrics(text) };
    },

    async slots(modelId) {
      const seg = encodeModelId(modelId);
      if (seg === null) return badId(modelId);
      const r = await send({
        method: 'GET',
        path: `/upstream/${seg}/slots`,
        // 501: started with --no-slots; 404: an upstream that is not llama-server.
        onStatus: (status, text) =>
          status === 501 || (status === 404 && modelNotFound(status, text) === null)
            ? { kind: 'not-supported', status, message: 'this upstream has no /slots' }
            : modelNotFound(status, text),
      });
      if (!r.ok) return r;
      const slots = parseSlots(parseJson(r.value));
      return slots === null ? { ok: false, error: invalid('/upstream/…/slots') } : { ok: true, value: slots };
    },

    async performanceSince(afterMs) {
      return readPerformance(`/api/performance?after=${encodeURIComponent(new Date(afterMs).toISOString())}`);
    },

    async performance() {
      const r = await readPerformance('/api/performance');
      if (!r.ok) return r;
      if (r.value !== null) return { ok: true, value: r.value };
      return { ok: false, error: { kind: 'invalid-response', message: 'llama-swap has no host sample yet' } };
    },

    async profiles() {
      const r = await getJson('/api/profiles');
      if (!r.ok) return r;
      const p = ProfilesSchema.safeParse(r.value);
      if (!p.success) return { ok: false, error: invalid('/api/profiles') };
      return {
        ok: true,
        value: {
          active: p.data.active ?? null,
          profiles: (p.data.profiles ?? []).map((x) => ({ id: x.id, description: x.description, pins: x.pins ?? {} })),
        },
      };
    },

    async setProfile(id) {
      const r = await send({
        method: 'PUT',
        path: '/api/profiles/active',
        body: { name: id },
        onStatus: (status, text) =>
          status === 404 && !/404 page not found/i.test(text)
            ? { kind: 'not-found', status, message: `no profile ${JSON.stringify(id ?? '').slice(0, 60)}` }
            : null,
      });
      if (!r.ok) return r;
      return ActiveProfileSchema.safeParse(parseJson(r.value)).success || r.value.text.trim() === ''
        ? { ok: true, value: undefined }
        : { ok: false, error: invalid('/api/profiles/active') };
    },

    async unloadAll(timeoutMs) {
      const r = await send({ method: 'POST', path: '/api/models/unload' }, timeoutMs);
      if (r.ok) return { ok: true, value: undefined };
      if (r.error.kind !== 'not-supported') return r;
      // Versions before the /api group only have GET /unload.
      const old = await send({ method: 'GET', path: '/unload' }, timeoutMs);
      return old.ok ? { ok: true, value: undefined } : old;
    },

    async unloadModel(id, timeoutMs) {
      const seg = encodeModelId(id);
      if (seg === null) return badId(id);
      const r = await send({ method: 'POST', path: `/api/models/unload/${seg}`, onStatus: modelNotFound }, timeoutMs);
      return r.ok ? { ok: true, value: undefined } : r;
    },

    /**
     * llama-swap has no load endpoint: any request under /upstream/<id>/ starts the model and is
     * answered only once it is ready. We send GET /upstream/<id>/health and wait at most `waitMs`
     * (default min(timeout, LOAD_ACCEPT_MS)): 2xx is 'ready'; no answer by then means llama-swap
     * accepted the request and is loading (as does a 503), 'started', and we drop the connection
     * (the load itself does not depend on it); anything else (404 = unknown model, 401, 502 with
     * llama-swap's reason, refused …) is the error.
     */
    async loadModel(id, waitMs) {
      const seg = encodeModelId(id);
      if (seg === null) return badId(id);
      const r = await send(
        { method: 'GET', path: `/upstream/${seg}/health`, onStatus: modelNotFound },
        waitMs ?? Math.min(http.timeoutMs, LOAD_ACCEPT_MS),
      );
      if (r.ok) return { ok: true, value: 'ready' };
      // 503 is llama-server's own /health while it loads: also "started".
      if (r.error.kind === 'timeout' || r.error.status === 503) return { ok: true, value: 'started' };
      return r;
    },
  };
}
