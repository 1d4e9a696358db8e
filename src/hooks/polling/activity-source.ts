/**
 * llama-swap's record of finished requests, read incrementally: `/api/metrics/activity` rows
 * after the last id seen (the `activity` event says when there are new ones), and per model
 * `/api/metrics/stats?model=` (exact served count, tokens, generation p50/p95) whenever that
 * model has new rows. Works for every upstream kind, llama.cpp or not.
 */
import type { ActivityRow, ModelStats } from '../../system/types.js';
import type { ModelActivityEntry } from '../model/menu-input.js';
import { safely, stampedFlight, type PollContext, type Stamped } from './poll-context.js';

export type ActivitySource = (ids: readonly string[]) => Promise<Stamped<Readonly<Record<string, ModelActivityEntry>> | null>>;

type LastRequest = ModelActivityEntry['last'];

/** The figures one finished request gives: timings where the upstream reported them, else end-to-end output speed. */
export function lastRequestOf(row: ActivityRow): LastRequest {
  const genTps = row.genTps > 0 ? row.genTps : null;
  const promptTps = row.promptTps > 0 ? row.promptTps : null;
  const outputTps = genTps === null && row.outputTokens > 0 && row.durationMs > 0 ? row.outputTokens / (row.durationMs / 1000) : null;
  return { genTps, promptTps, outputTps, at: row.id };
}

function usable(last: LastRequest): boolean {
  return last.genTps !== null || last.promptTps !== null || last.outputTps !== null;
}

export function createActivitySource(ctx: PollContext): ActivitySource {
  const { deps, state, debug } = ctx;
  const api = deps.api;
  let lastId: number | null = null;
  let unsupported = false;
  const last = new Map<string, LastRequest>();
  const stats = new Map<string, ModelStats>();
  const stale = new Set<string>();

  const read = async (ids: readonly string[]): Promise<Readonly<Record<string, ModelActivityEntry>> | null> => {
    if (unsupported || api.activity === undefined || api.modelStats === undefined) return null;
    if (state.errorStreak > 0) return snapshot(ids);
    const rows = await safely(() => api.activity!(lastId));
    if (!rows.ok) {
      if (rows.error.kind === 'not-supported') {
        unsupported = true;
        debug('activity', { supported: false });
        return null;
      }
      return snapshot(ids);
    }
    for (const row of rows.value) {
      lastId = lastId === null ? row.id : Math.max(lastId, row.id);
      stale.add(row.model);
      const figures = lastRequestOf(row);
      if (row.status === 200 && usable(figures)) last.set(row.model, figures);
    }
    // An empty first answer still marks the start: later reads ask only for newer rows.
    if (lastId === null) lastId = 0;
    const wanted = ids.filter((id) => stale.has(id) || !stats.has(id));
    await Promise.all(
      wanted.map(async (id) => {
        const s = await safely(() => api.modelStats!(id));
        if (s.ok) {
          stats.set(id, s.value);
          stale.delete(id);
        }
      }),
    );
    return snapshot(ids);
  };

  const snapshot = (ids: readonly string[]): Readonly<Record<string, ModelActivityEntry>> => {
    const out: Record<string, ModelActivityEntry> = {};
    for (const id of ids) {
      const s = stats.get(id);
      const l = last.get(id);
      if (s === undefined && l === undefined) continue;
      out[id] = {
        served: s?.totalRequests ?? null,
        inputTokens: s?.inputTokens ?? null,
        outputTokens: s?.outputTokens ?? null,
        genP50: s?.genP50 ?? null,
        genP95: s?.genP95 ?? null,
        last: l ?? { genTps: null, promptTps: null, outputTps: null, at: 0 },
      };
    }
    return out;
  };

  const flights = new Map<string, () => Promise<Stamped<Readonly<Record<string, ModelActivityEntry>> | null>>>();
  // As for /running: while the event stream is up, a tick asks only after an `activity` event
  // (or every liveSafetyMs), else answers the same object again.
  let answered: { key: string; value: Stamped<Readonly<Record<string, ModelActivityEntry>> | null> } | null = null;
  return async (ids) => {
    const key = ids.join('\u0000');
    if (state.eventsHealthy && !state.activityStale && answered !== null && answered.key === key && ctx.clock() - answered.value.at < ctx.timings.liveSafetyMs) return answered.value;
    state.activityStale = false;
    let flight = flights.get(key);
    if (flight === undefined) {
      flight = stampedFlight(ctx, () => read(ids));
      flights.clear();
      flights.set(key, flight);
    }
    const value = await flight();
    answered = { key, value };
    return value;
  };
}
