/**
 * llama-swap's `/api/events` as typed events. The stream (server-sent events) is parsed by
 * eventsource-parser; every event is `event:message` with a JSON envelope whose `data` is itself
 * JSON text. `logData` (every log line of llama-swap and its upstreams, the bulk of the stream)
 * is recognised by its envelope prefix and dropped without parsing any JSON.
 */
import { createParser } from 'eventsource-parser';
import { openStream, type StreamHandle } from './http-stream.js';
import {
  ActivityEventSchema,
  EnvelopeSchema,
  InflightEventSchema,
  ModelStatusSchema,
  ProfileChangedSchema,
  type InflightEntryJson,
} from './live-schemas.js';
import type { ApiError, InflightRequest } from '../types.js';

/** One `modelStatus` entry. */
export type ModelStatusEntry = {
  readonly id: string;
  readonly state: string;
  /** A peer's model (state is empty: llama-swap runs no process for it): the peer's id. */
  readonly peerId?: string;
  /** Newer llama-swap, while ready: how long it has been ready as of the event (ms). */
  readonly uptimeMs?: number;
  /** Newer llama-swap, while ready: when it became ready, on the server's clock (epoch ms). */
  readonly readySince?: number;
};

/** An entry with the ready time only a ready model can have (a readable one). */
function statusEntry(m: { id: string; state: string; peerID?: string | undefined; readySince?: string | undefined; uptimeMs?: number | undefined }): ModelStatusEntry {
  if (m.peerID !== undefined && m.peerID !== '') return { id: m.id, state: m.state, peerId: m.peerID };
  if (m.state !== 'ready') return { id: m.id, state: m.state };
  const since = m.readySince === undefined ? Number.NaN : Date.parse(m.readySince);
  return {
    id: m.id,
    state: m.state,
    ...(m.uptimeMs === undefined ? {} : { uptimeMs: m.uptimeMs }),
    ...(Number.isFinite(since) ? { readySince: since } : {}),
  };
}

export type LiveEvent =
  | { readonly type: 'modelStatus'; readonly models: readonly ModelStatusEntry[] }
  | { readonly type: 'inflight-snapshot'; readonly requests: readonly InflightRequest[] }
  | { readonly type: 'inflight-upsert'; readonly request: InflightRequest }
  | { readonly type: 'inflight-remove'; readonly id: string }
  | { readonly type: 'activity'; readonly id: number }
  | { readonly type: 'profileChanged'; readonly active: string | null };

export type LiveEventHandlers = {
  /** The stream is open (headers in, an event stream). */
  readonly onOpen: () => void;
  readonly onEvent: (event: LiveEvent) => void;
  /** Once: null after close(), else why it ended (refused, dropped, 401 …). */
  readonly onEnd: (error: ApiError | null) => void;
  /** Bytes arrived (any event, logData and unreadable ones too): the stream is not silent. */
  readonly onBytes?: () => void;
};

export type LiveEventOptions = {
  readonly origin: string;
  readonly apiKey: string | null;
  readonly connectTimeoutMs: number;
  readonly clock?: () => number;
};

/** Counters of what went by, for the debug log and the cost measurement. */
export type LiveEventStats = { logDataSkipped: number; logDataBytes: number; events: number; unreadable: number };

const LOG_DATA_PREFIX = '{"type":"logData"';

/** Largest single event kept in memory (llama-swap's first logData carries its whole log history). */
export const MAX_EVENT_CHARS = 16 * 1024 * 1024;

function toRequest(e: InflightEntryJson, now: number): InflightRequest {
  const started = e.timestamp === undefined ? Number.NaN : Date.parse(e.timestamp);
  return {
    id: e.id,
    model: e.model,
    path: e.req_path,
    method: e.method,
    startedAt: Number.isFinite(started) ? started : now - e.elapsed_ms,
    elapsedMs: e.elapsed_ms,
    receivedAt: now,
    bytes: e.resp_bytes,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** One SSE `data` payload → a LiveEvent; null for logData, uiConfig, unknown or unreadable ones. */
export function decodeLiveEvent(data: string, now: number, stats?: LiveEventStats): LiveEvent | null {
  if (data.startsWith(LOG_DATA_PREFIX)) {
    if (stats) {
      stats.logDataSkipped += 1;
      stats.logDataBytes += data.length;
    }
    return null;
  }
  const envelope = EnvelopeSchema.safeParse(parseJson(data));
  if (!envelope.success) return null;
  const inner = parseJson(envelope.data.data);
  switch (envelope.data.type) {
    case 'modelStatus': {
      const p = ModelStatusSchema.safeParse(inner);
      return p.success ? { type: 'modelStatus', models: p.data.map(statusEntry) } : null;
    }
    case 'inflight': {
      const p = InflightEventSchema.safeParse(inner);
      if (!p.success) return null;
      const e = p.data;
      if (e.operation === 'snapshot') return { type: 'inflight-snapshot', requests: (e.requests ?? []).map((r) => toRequest(r, now)) };
      if (e.operation === 'upsert') return { type: 'inflight-upsert', request: toRequest(e.request, now) };
      return { type: 'inflight-remove', id: e.id };
    }
    case 'activity': {
      const p = ActivityEventSchema.safeParse(inner);
      return p.success ? { type: 'activity', id: p.data.id } : null;
    }
    case 'profileChanged': {
      const p = ProfileChangedSchema.safeParse(inner);
      return p.success ? { type: 'profileChanged', active: p.data.active ?? null } : null;
    }
    default:
      return null;
  }
}

/** Subscribes to `/api/events`; close() ends it quietly. */
export function subscribeLiveEvents(options: LiveEventOptions, handlers: LiveEventHandlers, stats?: LiveEventStats): StreamHandle {
  const clock = options.clock ?? Date.now;
  let overflow: ApiError | null = null;
  const parser = createParser({
    // One event bigger than this (a runaway log line) ends the stream; it is reopened afresh.
    maxBufferSize: MAX_EVENT_CHARS,
    onError: (error) => {
      if (error.type !== 'max-buffer-size-exceeded') return;
      overflow = { kind: 'invalid-response', message: "an event from llama-swap's stream was too large" };
      handle.close();
    },
    onEvent: (message) => {
      if (stats) stats.events += 1;
      const event = decodeLiveEvent(message.data, clock(), stats);
      if (event !== null) handlers.onEvent(event);
      else if (stats && !message.data.startsWith(LOG_DATA_PREFIX)) stats.unreadable += 1;
    },
  });
  const handle = openStream(
    { origin: options.origin, path: '/api/events', apiKey: options.apiKey, connectTimeoutMs: options.connectTimeoutMs, accept: 'text/event-stream' },
    {
      onOpen: handlers.onOpen,
      onData: (chunk) => {
        handlers.onBytes?.();
        parser.feed(chunk);
      },
      onEnd: (error) => handlers.onEnd(error ?? overflow),
    },
  );
  return handle;
}
