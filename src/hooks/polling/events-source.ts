/**
 * llama-swap's event stream (`/api/events`) as a subscription: state updates at once, effects
 * (refetch /running, activity, profiles) told to the caller, reconnect with a capped backoff when
 * the stream is refused or drops. While it is up, the poll state says so and /running polling
 * relaxes to a safety net; while it is down, polling is as adaptive as without it.
 */
import type { LiveEventStats } from '../../system/llama-swap/live-events.js';
import { applyLiveEvent, EMPTY_LIVE_STATE, inflightCounts, NO_EFFECTS, withFailureReason, type LiveEffects, type LiveState } from './live-state.js';
import type { PollContext } from './poll-context.js';
import { createReasonReader } from './start-reasons.js';
import { noteUse } from '../model/model-times.js';

/** Longest a request's progress (bytes, elapsed) waits before it is shown. */
export const PROGRESS_MS = 1000;
/** Least time between two metrics refreshes asked because requests started or ended. */
export const METRICS_NUDGE_MS = 250;

/** Models whose count of requests in flight differs between two counts. */
function changedModels(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) if ((a.get(id) ?? 0) !== (b.get(id) ?? 0)) out.push(id);
  return out;
}

export type EventsSubscriber = {
  readonly onState: (state: LiveState) => void;
  readonly onEffects: (effects: LiveEffects) => void;
};

export type EventsSource = {
  /** Opens the stream (and keeps reopening it); returns the unsubscribe. Null when the API has no events. */
  readonly subscribe: ((subscriber: EventsSubscriber) => () => void) | null;
  /** What went by on the stream (logData skipped, events), for the debug log and benchmarks. */
  readonly stats: LiveEventStats;
};

export function createEventsSource(ctx: PollContext): EventsSource {
  const { deps, state, timings, debug, clock } = ctx;
  const stats: LiveEventStats = { logDataSkipped: 0, logDataBytes: 0, events: 0, unreadable: 0 };
  const api = deps.api;
  if (api.events === undefined) return { subscribe: null, stats };
  const open = api.events.bind(api);

  const subscribe = (subscriber: EventsSubscriber): (() => void) => {
    let live: LiveState = EMPTY_LIVE_STATE;
    let failures = 0;
    let stopped = false;
    let retry: NodeJS.Timeout | null = null;
    let handle: { close(): void } | null = null;
    let progress: NodeJS.Timeout | null = null;

    // A model that starts or stops having requests in flight is scraped right away (at most
    // once per METRICS_NUDGE_MS, the last change always followed by one).
    let nudgeAt = 0;
    let nudge: NodeJS.Timeout | null = null;
    const nudgeMetrics = (): void => {
      if (nudge !== null || stopped) return;
      // Clamped both ways: a clock that jumps back must not postpone the refresh.
      const wait = Math.min(METRICS_NUDGE_MS, Math.max(0, nudgeAt + METRICS_NUDGE_MS - clock()));
      nudge = setTimeout(() => {
        nudge = null;
        nudgeAt = clock();
        if (!stopped) subscriber.onEffects({ ...NO_EFFECTS, refreshMetrics: true });
      }, wait);
    };

    const publish = (next: LiveState): void => {
      if (progress !== null) clearTimeout(progress);
      progress = null;
      live = { ...next, version: live.version + 1 };
      state.eventsHealthy = live.connected;
      const before = state.inflightByModel;
      const counts = inflightCounts(live);
      state.inflightByModel = counts;
      const changed = changedModels(before, counts);
      // A model's last request ended: its ttl counts from now.
      for (const id of changed) if ((counts.get(id) ?? 0) === 0) noteUse(state.times, id, clock());
      if (changed.length > 0) {
        const seq = new Map(state.workSeq);
        for (const id of changed) seq.set(id, (seq.get(id) ?? 0) + 1);
        state.workSeq = seq;
        if (changed.some((id) => (before.get(id) ?? 0) === 0 || (counts.get(id) ?? 0) === 0)) nudgeMetrics();
      }
      subscriber.onState(live);
    };

    const reasons = createReasonReader(
      { ...(api.logs ? { logs: api.logs.bind(api) } : {}), ...(api.proxyLog ? { proxyLog: api.proxyLog.bind(api) } : {}) },
      (id, reason) => {
        if (!stopped) publish(withFailureReason(live, id, reason));
      },
    );

    const connect = (): void => {
      if (stopped) return;
      handle = open({
        onOpen: () => {
          failures = 0;
          if (ctx.changed('events', 'open')) debug('events', { open: true });
          state.runningStale = true;
          state.activityStale = true;
          // A stream that opens again may be another llama-swap (a restart drops it): check the cursor.
          state.activityRecheck = true;
          publish({ ...live, connected: true });
          // Whatever changed while we were away: one fresh look at everything.
          subscriber.onEffects({ ...NO_EFFECTS, refreshRunning: true, refreshActivity: true, refreshProfiles: true });
        },
        onEvent: (event) => {
          const { state: next, effects } = applyLiveEvent(live, event, clock());
          // Progress of a request already shown (bytes, elapsed: llama-swap sends one every 250 ms
          // per streaming request) is published at most once a second; anything else at once.
          if (event.type === 'inflight-upsert' && live.inflight.has(event.request.id)) {
            live = next;
            progress ??= setTimeout(() => {
              progress = null;
              if (!stopped) publish(live);
            }, PROGRESS_MS);
          } else if (next !== live) publish(next);
          if (event.type === 'modelStatus') {
            // A model no longer ready is dropped from the scrape gate at once (a scrape under
            // /upstream/<id>/ would load it back); newly ready ones wait for the /running answer.
            state.readyIds = new Set([...state.readyIds].filter((id) => (next.states.get(id) ?? 'ready') === 'ready'));
            ctx.observeStates(next.states);
          }
          if (effects.refreshRunning) state.runningStale = true;
          if (effects.refreshActivity) state.activityStale = true;
          if (event.type === 'activity') state.announcedActivityId = Math.max(state.announcedActivityId ?? event.id, event.id);
          if (effects.refreshRunning || effects.refreshActivity || effects.refreshProfiles) subscriber.onEffects(effects);
          for (const id of effects.failed) reasons.request(id);
        },
        onEnd: (error) => {
          handle = null;
          if (stopped) return;
          failures += 1;
          if (ctx.changed('events', error?.kind ?? 'closed')) debug('events', { open: false, kind: error?.kind, message: error?.message });
          const wasConnected = live.connected;
          // In-flight requests are unknown while disconnected; the snapshot on reconnect restores them.
          publish({ ...live, connected: false, inflight: new Map() });
          // Back to real polling at once: one look now, then every adaptive tick asks again.
          state.runningStale = true;
          state.activityStale = true;
          if (wasConnected) subscriber.onEffects({ ...NO_EFFECTS, refreshRunning: true });
          const delay = Math.min(timings.backoffCapMs, timings.eventsRetryMs * 2 ** Math.min(failures - 1, 20));
          retry = setTimeout(connect, delay);
        },
      }, stats);
    };

    connect();
    return () => {
      stopped = true;
      reasons.stop();
      if (retry !== null) clearTimeout(retry);
      if (progress !== null) clearTimeout(progress);
      if (nudge !== null) clearTimeout(nudge);
      handle?.close();
      state.eventsHealthy = false;
      state.inflightByModel = new Map();
    };
  };

  return { subscribe, stats };
}
