/**
 * llama-swap's event stream (`/api/events`) as a subscription: events handled in bounded batches,
 * state published at a bounded rate, effects (refetch /running, activity, profiles) merged and told
 * to the caller at a bounded rate. Reconnects back off exponentially with jitter when the stream is
 * refused or drops (reset only once a stream stayed open for eventsHealthyMs, so a stream that opens
 * and breaks at once cannot reconnect every second). llama-swap sends no keepalive, so a silent
 * stream is checked with `/health`: a server that does not answer it is hung (SIGSTOP, a deadlock);
 * its stream is dropped and `/health` asked every eventsRetryMs until it answers, then the stream
 * reopens at once. While the stream is up, the poll state says so and /running polling relaxes to a
 * safety net; while it is down, polling is as adaptive as without it. All delays are on the
 * monotonic clock.
 */
import type { LiveEvent, LiveEventStats } from '../../system/llama-swap/live-events.js';
import type { ApiError } from '../../system/types.js';
import { applyLiveEvents, EMPTY_LIVE_STATE, inflightCounts, mergeEffects, NO_EFFECTS, withFailureReason, type LiveEffects, type LiveState } from './live-state.js';
import { safely, type PollContext } from './poll-context.js';
import { spacedCall } from './spaced-call.js';
import { createReasonReader } from './start-reasons.js';
import { noteUse } from '../model/model-times.js';

/** Longest a request's progress (bytes, elapsed) waits before it is shown. */
export const PROGRESS_MS = 1000;
/** Least time between two metrics refreshes asked because requests started or ended. */
export const METRICS_NUDGE_MS = 250;
/** Least time between two published states while events pour in: a burst is one update (one frame). */
export const PUBLISH_MS = 250;
/** Least time between two refetches asked by events (/running, activity, profiles); the last change is always followed by one. */
export const EFFECTS_MS = 1000;
/** Events handled in one go before the event loop gets a turn (frames, timers, the socket). */
export const EVENT_BATCH = 256;

/** Whether every event of a batch is progress of a request already held (bytes, elapsed). */
function onlyProgress(events: readonly LiveEvent[], live: LiveState): boolean {
  return events.every((e) => e.type === 'inflight-upsert' && live.inflight.has(e.request.id));
}

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
    // Connection bookkeeping: the stream counts as healthy (backoff reset) only after it stayed
    // open; `heardAt` is the last time bytes arrived; `hung` is set when the watchdog dropped it.
    let healthy: NodeJS.Timeout | null = null;
    let watchdog: NodeJS.Timeout | null = null;
    let heardAt = monotonic();
    let hung: ApiError | null = null;
    let generation = 0;

    // A model that starts or stops having requests in flight is scraped right away (at most
    // once per METRICS_NUDGE_MS, the last change always followed by one).
    const nudge = spacedCall(METRICS_NUDGE_MS, monotonic, () => subscriber.onEffects({ ...NO_EFFECTS, refreshMetrics: true }));

    // Published at most once per PUBLISH_MS (progress only: once per PROGRESS_MS), the last
    // change always published: `live` may run ahead of what the subscriber has.
    let publishedAt = Number.NEGATIVE_INFINITY;
    let publishTimer: NodeJS.Timeout | null = null;
    let publishDue = Number.POSITIVE_INFINITY;

    const publish = (next: LiveState): void => {
      if (publishTimer !== null) clearTimeout(publishTimer);
      publishTimer = null;
      publishDue = Number.POSITIVE_INFINITY;
      publishedAt = monotonic();
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
        if (changed.some((id) => (before.get(id) ?? 0) === 0 || (counts.get(id) ?? 0) === 0)) nudge.ask();
      }
      subscriber.onState(live);
    };

    const publishWithin = (gapMs: number): void => {
      const now = monotonic();
      const wait = Math.min(gapMs, Math.max(0, publishedAt + gapMs - now));
      if (wait === 0) return publish(live);
      if (publishTimer !== null && publishDue <= now + wait) return;
      if (publishTimer !== null) clearTimeout(publishTimer);
      publishDue = now + wait;
      publishTimer = setTimeout(() => {
        publishTimer = null;
        if (!stopped) publish(live);
      }, wait);
    };

    // Refetches asked by events, merged: at most one batch of them per EFFECTS_MS.
    let effectsPending: LiveEffects = NO_EFFECTS;
    const effectsCall = spacedCall(EFFECTS_MS, monotonic, () => {
      const due = effectsPending;
      effectsPending = NO_EFFECTS;
      // Marked stale only now: a poll tick meanwhile answers from what it has, so events and
      // ticks together fetch at most once per EFFECTS_MS.
      if (due.refreshRunning) state.runningStale = true;
      if (due.refreshActivity) state.activityStale = true;
      subscriber.onEffects(due);
    });
    const askEffects = (effects: LiveEffects): void => {
      if (!effects.refreshRunning && !effects.refreshActivity && !effects.refreshProfiles) return;
      effectsPending = mergeEffects(effectsPending, { ...effects, failed: [] });
      effectsCall.ask();
    };

    const reasons = createReasonReader(
      { ...(api.logs ? { logs: api.logs.bind(api) } : {}), ...(api.proxyLog ? { proxyLog: api.proxyLog.bind(api) } : {}) },
      (id, reason) => {
        if (!stopped) publish(withFailureReason(live, id, reason));
      },
      { clock: monotonic },
    );

    /** Folds one batch in: the state published soon, the refetches merged, failed starts read. */
    const handleBatch = (events: readonly LiveEvent[]): void => {
      const { state: next, effects } = applyLiveEvents(live, events, clock());
      if (next !== live) {
        const progressOnly = onlyProgress(events, live);
        live = next;
        publishWithin(progressOnly ? PROGRESS_MS : PUBLISH_MS);
      }
      if (events.some((e) => e.type === 'modelStatus')) ctx.observeStates(next.states);
      for (const e of events) if (e.type === 'activity') state.announcedActivityId = Math.max(state.announcedActivityId ?? e.id, e.id);
      askEffects(effects);
      for (const id of effects.failed) reasons.request(id);
    };

    // Events wait in a queue handled EVENT_BATCH at a time, each batch in its own turn of the
    // event loop: a burst of thousands never holds a frame or a timer back.
    let queue: LiveEvent[] = [];
    let head = 0;
    let draining: NodeJS.Immediate | null = null;
    const drain = (): void => {
      draining = null;
      if (stopped) return;
      const batch = queue.slice(head, head + EVENT_BATCH);
      head += batch.length;
      if (head >= queue.length || head >= EVENT_BATCH * 16) {
        // Handled events are let go (also while a burst goes on).
        queue = queue.slice(head);
        head = 0;
      }
      handleBatch(batch);
      if (head < queue.length) draining = setImmediate(drain);
    };
    function enqueue(event: LiveEvent): void {
      // Not batched: a model no longer ready leaves the scrape gate the moment its status arrives
      // (a scrape under /upstream/<id>/ would load it back and swap out the model just asked
      // for); newly ready ones wait for the /running answer.
      if (event.type === 'modelStatus') {
        const states = new Map(event.models.map((m) => [m.id, m.state]));
        state.statusStates = states;
        state.statusSeq += 1;
        state.readyIds = new Set([...state.readyIds].filter((id) => (states.get(id) ?? 'ready') === 'ready'));
      }
      // Likewise not batched: a request for a model that is not ready means llama-swap is loading
      // it, maybe swapping out a model a scrape would otherwise load back.
      if (event.type === 'inflight-upsert' && !state.readyIds.has(event.request.model)) state.loadsAsked.set(event.request.model, monotonic());
      queue.push(event);
      draining ??= setImmediate(drain);
    }
    const dropQueued = (): void => {
      queue = [];
      head = 0;
      if (draining !== null) clearImmediate(draining);
      draining = null;
    };

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
        onEvent: enqueue,
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
          dropQueued();
          publish({ ...live, connected: false, inflight: new Map(), dropped: new Map() });
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
      nudge.cancel();
      if (publishTimer !== null) clearTimeout(publishTimer);
      effectsCall.cancel();
      dropQueued();
      handle?.close();
      state.eventsHealthy = false;
      state.inflightByModel = new Map();
    };
  };

  return { subscribe, stats };
}
