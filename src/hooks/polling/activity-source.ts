/**
 * llama-swap's record of finished requests, read incrementally: `/api/metrics/activity` rows
 * after the last id seen (the `activity` event says when there are new ones), and per model
 * `/api/metrics/stats?model=` (exact served count, tokens, generation p50/p95) whenever that
 * model has new rows. Works for every upstream kind, llama.cpp or not.
 *
 * A restarted llama-swap with its default in-memory store counts from id 1 again, so a cursor from
 * the old instance would hide its rows and the old totals would stand. When a restart is possible
 * (see PollState.activityRecheck) the newest rows are read without the cursor: newest id below
 * the cursor, or another request at the cursor's id, means another store, and everything read
 * from the old one (cursor, totals, last request, rate windows) starts afresh.
 */
import type { RateTrackerState } from '../../system/llama-swap/metrics-rates.js';
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

/** What tells one finished request from another that got the same id in another store. */
function fingerprint(row: ActivityRow): string {
  return JSON.stringify([row.model, row.path, row.status, row.inputTokens, row.outputTokens, row.durationMs]);
}

/**
 * Whether the newest rows (no cursor) come from another store than the cursor: the newest id is
 * below the cursor, or the row at the cursor's id is another request.
 */
export function isAnotherStore(newest: readonly ActivityRow[], cursor: { readonly id: number; readonly fingerprint: string | null }): boolean {
  const top = newest.reduce((n, r) => Math.max(n, r.id), 0);
  if (top < cursor.id) return true;
  const same = newest.find((r) => r.id === cursor.id);
  return same !== undefined && cursor.fingerprint !== null && fingerprint(same) !== cursor.fingerprint;
}

/** `rateStates` is emptied when llama-swap turns out to have been restarted (its models with it). */
export function createActivitySource(ctx: PollContext, rateStates?: Map<string, RateTrackerState>): ActivitySource {
  const { deps, state, debug } = ctx;
  const api = deps.api;
  let lastId: number | null = null;
  /** The row at the cursor, to recognise it in another answer. */
  let lastPrint: string | null = null;
  let unsupported = false;
  const last = new Map<string, LastRequest>();
  const stats = new Map<string, ModelStats>();
  const stale = new Set<string>();

  const forgetInstance = (why: string): void => {
    debug('llama-swap restarted', { why, cursor: lastId ?? undefined });
    lastId = null;
    lastPrint = null;
    last.clear();
    stats.clear();
    stale.clear();
    rateStates?.clear();
  };

  /** Checks the cursor against the newest rows; these rows, when the store is another one. */
  const recheck = async (): Promise<readonly ActivityRow[] | null> => {
    const replaced = state.llamaSwapReplaced;
    state.llamaSwapReplaced = false;
    if (lastId === null) return null;
    const newest = await safely(() => api.activity!(null));
    if (!newest.ok) {
      state.activityRecheck = true; // asked again at the next read
      return null;
    }
    // The stats are llama-swap's truth whichever store answers: read them again in any case.
    for (const id of stats.keys()) stale.add(id);
    if (replaced || isAnotherStore(newest.value, { id: lastId, fingerprint: lastPrint })) {
      forgetInstance(replaced ? 'another process' : 'activity ids start again');
      return newest.value;
    }
    return null;
  };

  const take = (rows: readonly ActivityRow[]): void => {
    for (const row of rows) {
      if (lastId === null || row.id >= lastId) {
        lastId = row.id;
        lastPrint = fingerprint(row);
      }
      stale.add(row.model);
      const figures = lastRequestOf(row);
      if (row.status === 200 && usable(figures)) last.set(row.model, figures);
    }
  };

  const read = async (ids: readonly string[]): Promise<Readonly<Record<string, ModelActivityEntry>> | null> => {
    if (unsupported || api.activity === undefined || api.modelStats === undefined) return null;
    if (state.errorStreak > 0) return snapshot(ids);
    const announced = state.announcedActivityId;
    state.announcedActivityId = null;
    // An id at or below the cursor may be a row already read (the event raced the read) or a new store's.
    const suspect = state.activityRecheck || state.llamaSwapReplaced || (announced !== null && lastId !== null && announced <= lastId);
    state.activityRecheck = false;
    const fresh = suspect ? await recheck() : null;
    const rows = fresh !== null ? { ok: true as const, value: fresh } : await safely(() => api.activity!(lastId));
    if (!rows.ok) {
      if (rows.error.kind === 'not-supported') {
        unsupported = true;
        debug('activity', { supported: false });
        return null;
      }
      return snapshot(ids);
    }
    take(rows.value);
    // An empty first answer still marks the start: later reads ask only for newer rows.
    if (lastId === null) lastId = 0;
    state.activityNewestId = lastId;
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
  let answered: { key: string; asked: number; value: Stamped<Readonly<Record<string, ModelActivityEntry>> | null> } | null = null;
  return async (ids) => {
    const key = ids.join('\u0000');
    if (state.eventsHealthy && !state.activityStale && !state.activityRecheck && !state.llamaSwapReplaced && answered !== null && answered.key === key && ctx.monotonic() - answered.asked < ctx.timings.liveSafetyMs) return answered.value;
    state.activityStale = false;
    let flight = flights.get(key);
    if (flight === undefined) {
      flight = stampedFlight(ctx, () => read(ids));
      flights.clear();
      flights.set(key, flight);
    }
    const asked = ctx.monotonic();
    const value = await flight();
    answered = { key, asked, value };
    return value;
  };
}
