/**
 * The part of the llama-swap client that speaks its live API: the event stream, requests in
 * flight and their cancel, the activity record, per-model statistics and the log. Built from the
 * main client's request helpers (llama-swap-client.ts), so every call is timed and validated alike.
 */
import type { HttpOptions, HttpRequest, HttpResponse } from './http.js';
import { ActivityPageSchema } from './schemas.js';
import { ActivityRowsSchema, ActivityStatsSchema } from './live-schemas.js';
import { subscribeLiveEvents } from './live-events.js';
import { readLogHistory } from './log-events.js';
import type { LlamaSwapClient } from './client-types.js';
import type { ActivityRow, ApiError, InflightRequest, Result } from '../types.js';

/** Rows asked for on the first activity read (later reads ask only for rows after the last id). */
export const RECENT_ACTIVITY_ROWS = 100;

/** What the live part needs from the main client. */
export type LiveClientParts = {
  readonly http: HttpOptions;
  readonly send: (req: HttpRequest, timeoutMs?: number) => Promise<Result<HttpResponse>>;
  readonly getJson: (path: string) => Promise<Result<unknown>>;
  readonly invalid: (what: string) => ApiError;
};

type LiveMethods = Pick<LlamaSwapClient, 'events' | 'inflight' | 'cancelInflight' | 'activity' | 'modelStats' | 'logs' | 'proxyLog' | 'requestCounts'>;

export function createLiveClient({ http, send, getJson, invalid }: LiveClientParts): LiveMethods {
  return {
    events(handlers, stats) {
      return subscribeLiveEvents({ origin: http.origin, apiKey: http.apiKey, connectTimeoutMs: Math.max(http.timeoutMs, 1000) }, handlers, stats);
    },

    inflight() {
      return new Promise((resolve) => {
        let settled = false;
        const done = (r: Result<readonly InflightRequest[]>): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(r);
          handle.close();
        };
        // The snapshot is part of the stream's opening burst; allow the log history before it.
        const timer = setTimeout(
          () => done({ ok: false, error: { kind: 'timeout', message: 'llama-swap did not list its requests in flight in time' } }),
          Math.max(http.timeoutMs, 1000) * 3,
        );
        const handle = subscribeLiveEvents(
          { origin: http.origin, apiKey: http.apiKey, connectTimeoutMs: Math.max(http.timeoutMs, 1000) },
          {
            onOpen: () => undefined,
            onEvent: (e) => {
              if (e.type === 'inflight-snapshot') done({ ok: true, value: e.requests });
            },
            onEnd: (error) => done(error === null ? { ok: true, value: [] } : { ok: false, error }),
          },
        );
      });
    },

    async cancelInflight(id) {
      const r = await send({
        method: 'POST',
        path: `/api/inflight/${encodeURIComponent(id)}/cancel`,
        onStatus: (status, text) =>
          status === 404 && /inflight request not found/i.test(text)
            ? { kind: 'not-found', status, message: 'that request has already finished' }
            : null,
      });
      return r.ok ? { ok: true, value: undefined } : r;
    },

    async activity(afterId) {
      const query = afterId === null ? `limit=${RECENT_ACTIVITY_ROWS}&sort=id&order=desc` : `min_id=${afterId + 1}&limit=999&sort=id&order=asc`;
      const r = await getJson(`/api/metrics/activity?${query}`);
      if (!r.ok) return r;
      const p = ActivityRowsSchema.safeParse(r.value);
      if (!p.success) return { ok: false, error: invalid('/api/metrics/activity') };
      const rows = (p.data.data ?? []).map(
        (x): ActivityRow => ({
          id: x.id,
          model: x.model,
          path: x.req_path,
          status: x.resp_status_code,
          inputTokens: x.tokens.input_tokens,
          outputTokens: x.tokens.output_tokens,
          promptTps: x.tokens.prompt_per_second,
          genTps: x.tokens.tokens_per_second,
          durationMs: x.duration_ms,
        }),
      );
      return { ok: true, value: rows.sort((a, b) => a.id - b.id) };
    },

    async modelStats(id) {
      const r = await getJson(`/api/metrics/stats?model=${encodeURIComponent(id)}`);
      if (!r.ok) return r;
      const p = ActivityStatsSchema.safeParse(r.value);
      if (!p.success) return { ok: false, error: invalid('/api/metrics/stats') };
      const h = p.data.gen_histogram ?? null;
      return {
        ok: true,
        value: {
          totalRequests: p.data.total_requests,
          inputTokens: p.data.total_input_tokens,
          outputTokens: p.data.total_output_tokens,
          genP50: h?.p50 ?? null,
          genP95: h?.p95 ?? null,
        },
      };
    },

    async logs() {
      const r = await send({ method: 'GET', path: '/logs' });
      return r.ok ? { ok: true, value: r.value.text } : r;
    },

    proxyLog() {
      return readLogHistory({ origin: http.origin, apiKey: http.apiKey, timeoutMs: Math.max(http.timeoutMs, 1000) }, 'proxy');
    },

    async requestCounts(modelIds) {
      const counts = new Map<string, number>();
      const results = await Promise.all(
        modelIds.map(async (id) => [id, await getJson(`/api/metrics/activity?model=${encodeURIComponent(id)}&limit=1`)] as const),
      );
      for (const [id, r] of results) {
        if (!r.ok) return r;
        const p = ActivityPageSchema.safeParse(r.value);
        if (!p.success) return { ok: false, error: invalid('/api/metrics/activity') };
        counts.set(id, p.data.total);
      }
      return { ok: true, value: counts };
    },

  };
}
