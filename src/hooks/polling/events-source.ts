/**
 * llama-swap's event stream (`/api/events`) as a subscription: state updates at once, effects
 * (refetch /running, activity, profiles) told to the caller, reconnect with an exponential,
 * jittered backoff when the stream is refused or drops (reset only once a stream stayed open for
 * eventsHealthyMs, so a stream that opens and breaks at once cannot reconnect every second).
 * llama-swap sends no keepalive, so a silent stream is checked with `/health`: a server that does
 * not answer it is hung (SIGSTOP, a deadlock); its stream is dropped and `/health` asked every
 * eventsRetryMs until it answers, then the stream reopens at once. While the stream is up, the
 * poll state says so and /running polling relaxes to a safety net; while it is down, polling is
 * as adaptive as without it. All delays are on the monotonic clock.
 */
import type { LiveEventStats } from '../../system/llama-swap/live-events.js';
import type { ApiError } from '../../system/types.js';
import { applyLiveEvent, EMPTY_LIVE_STATE, inflightCounts, NO_EFFECTS, withFailureReason, type LiveEffects, type LiveState } from './live-state.js';
import { safely, type PollContext } from './poll-context.js';
import { createReasonReader } from './start-reasons.js';

/** Longest a request's progress (bytes, elapsed) waits before it is shown. */
export const PROGRESS_MS = 1000;
/** Least time between two metrics refreshes asked because requests started or ended. */
export const METRICS_NUDGE_MS = 250;

/**
 * The wait before reconnect number `failures` (1-based): `baseMs` doubled per failure, capped,
 * with "equal jitter" (between half and all of it) so plugins that lost one server do not all
 * come back in step. `random` is in [0, 1).
 */
export function reconnectDelay(failures: number, baseMs: number, capMs: number, random: number): number {
  const full = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(failures, 1) - 1, 30));
  return full / 2 + (full / 2) * Math.min(Math.max(random, 0), 1);
}

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
  const { deps, state, timings, debug, clock, monotonic } = ctx;
  const stats: LiveEventStats = { logDataSkipped: 0, logDataBytes: 0, events: 0, unreadable: 0 };
  const api = deps.api;
  if (api.events === undefined) return { subscribe: null, stats };
  const open = api.events.bind(api);
  const health = api.health?.bind(api);

  const subscribe = (subscriber: EventsSubscriber): (() => void) => {
    let live: LiveState = EMPTY_LIVE_STATE;
    let failures = 0;
    let stopped = false;
    let retry: NodeJS.Timeout | null = null;
    let handle: { close(): void } | null = null;
    let progress: NodeJS.Timeout | null = null;
    // Connection bookkeeping: the stream counts as healthy (backoff reset) only after it stayed
    // open; `heardAt` is the last time bytes arrived; `hung` is set when the watchdog dropped it.
    let healthy: NodeJS.Timeout | null = null;
    let watchdog: NodeJS.Timeout | null = null;
    let heardAt = monotonic();
    let hung: ApiError | null = null;
    let generation = 0;

    // A model that starts or stops having requests in flight is scraped right away (at most
    // once per METRICS_NUDGE_MS, the last change always followed by one).
    let nudgeAt = 0;
    let nudge: NodeJS.Timeout | null = null;
    const nudgeMetrics = (): void => {
      if (nudge !== null || stopped) return;
      const wait = Math.min(METRICS_NUDGE_MS, Math.max(0, nudgeAt + METRICS_NUDGE_MS - monotonic()));
      nudge = setTimeout(() => {
        nudge = null;
        nudgeAt = monotonic();
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

    const clearTimer = (t: NodeJS.Timeout | null): null => {
      if (t !== null) clearTimeout(t);
      return null;
    };

    // After eventsIdleMs of silence, ask /health; no answer means llama-swap is hung: drop the
    // stream (onEnd then reports it) and count the unanswered probe as a failed poll.
    const watch = (mine: number): void => {
      watchdog = clearTimer(watchdog);
      if (health === undefined || stopped || mine !== generation) return;
      const silentFor = monotonic() - heardAt;
      if (silentFor < timings.eventsIdleMs) {
        watchdog = setTimeout(() => watch(mine), timings.eventsIdleMs - silentFor);
        return;
      }
      const askedAt = monotonic();
      void safely(health).then((r) => {
        if (stopped || mine !== generation) return;
        // An answer, or bytes on the stream while /health was on its way: not hung.
        if (r.ok || r.error.kind === 'unauthorized' || heardAt > askedAt) {
          heardAt = monotonic();
          watch(mine);
          return;
        }
        // Two failed looks already (the silence, then /health): counted as one failed poll here
        // and one as the /running answer it becomes, so the menu shows it at once instead of
        // holding it back as a blip.
        hung = r.error;
        state.errorStreak += 1;
        state.hungError = r.error;
        handle?.close();
      });
    };

    // A hung llama-swap is asked /health every eventsRetryMs (one small request), and the
    // stream reopens the moment it answers: its recovery shows at once, not after a backoff.
    const probeUntilAnswered = (): void => {
      retry = null;
      if (stopped) return;
      if (health === undefined) return connect();
      void safely(health).then((r) => {
        if (stopped) return;
        if (r.ok || r.error.kind === 'unauthorized') connect();
        else retry = setTimeout(probeUntilAnswered, timings.eventsRetryMs);
      });
    };

    const connect = (): void => {
      retry = null;
      if (stopped) return;
      generation += 1;
      const mine = generation;
      hung = null;
      heardAt = monotonic();
      handle = open({
        onBytes: () => {
          heardAt = monotonic();
        },
        onOpen: () => {
          heardAt = monotonic();
          healthy = clearTimer(healthy);
          healthy = setTimeout(() => {
            healthy = null;
            failures = 0;
          }, timings.eventsHealthyMs);
          watch(mine);
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
          }
          if (effects.refreshRunning) state.runningStale = true;
          if (effects.refreshActivity) state.activityStale = true;
          if (event.type === 'activity') state.announcedActivityId = Math.max(state.announcedActivityId ?? event.id, event.id);
          if (effects.refreshRunning || effects.refreshActivity || effects.refreshProfiles) subscriber.onEffects(effects);
          for (const id of effects.failed) reasons.request(id);
        },
        onEnd: (ended) => {
          handle = null;
          healthy = clearTimer(healthy);
          watchdog = clearTimer(watchdog);
          if (stopped) return;
          const error = ended ?? hung;
          const wasHung = hung !== null;
          failures += 1;
          if (ctx.changed('events', error?.kind ?? 'closed')) debug('events', { open: false, kind: error?.kind, message: error?.message, hung: wasHung || undefined });
          const wasConnected = live.connected;
          // In-flight requests are unknown while disconnected; the snapshot on reconnect restores them.
          publish({ ...live, connected: false, inflight: new Map() });
          // Back to real polling at once: one look now, then every adaptive tick asks again.
          state.runningStale = true;
          state.activityStale = true;
          if (wasConnected) subscriber.onEffects({ ...NO_EFFECTS, refreshRunning: true });
          retry = wasHung
            ? setTimeout(probeUntilAnswered, timings.eventsRetryMs)
            : setTimeout(connect, reconnectDelay(failures, timings.eventsRetryMs, timings.backoffCapMs, Math.random()));
        },
      }, stats);
    };

    connect();
    return () => {
      stopped = true;
      reasons.stop();
      if (retry !== null) clearTimeout(retry);
      clearTimer(healthy);
      clearTimer(watchdog);
      if (progress !== null) clearTimeout(progress);
      if (nudge !== null) clearTimeout(nudge);
      handle?.close();
      state.eventsHealthy = false;
      state.inflightByModel = new Map();
    };
  };

  return { subscribe, stats };
}
