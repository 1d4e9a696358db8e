/**
 * Plumbing every poll source shares, made once per menu: the poll state the policy reads (error
 * streak, busy, latest ready models), the clock stamp on every answer, single-flight fetchers,
 * "never throw" wrappers and debug lines that are said only when they change.
 */
import { monotonicNow } from '../../system/clock.js';
import { NO_DEBUG, type DebugLog } from '../../system/debug-log.js';
import type { ApiError, Result, RunningModel } from '../../system/types.js';
import { DEFAULT_HOOK_TIMINGS, type HookTimings, type MenuDeps } from '../deps.js';
import { isLocalApi } from '../model/menu-problems.js';
import { parseLoadTimes, recordLoad, serializeLoadTimes, type LoadTimes } from '../model/load-estimates.js';
import { createModelTimes, observeStates, type ModelTimes } from '../model/model-times.js';
import { singleFlight } from './single-flight.js';

/** A fetched value and when it was taken (a new poll always gives a new object). */
export type Stamped<T> = { readonly at: number; readonly value: T };

/** Mutable state the polling policy reads. */
export type PollState = {
  /** Consecutive failed /running polls (401 excluded: that is an answer). */
  errorStreak: number;
  /** A model is starting, stopping or shutting down. */
  transitional: boolean;
  /** A ready model has processing or deferred requests. */
  queued: boolean;
  /** Latest /running answer; empty while the API fails. Gate for every /upstream/ request. */
  running: readonly RunningModel[];
  readyIds: ReadonlySet<string>;
  /**
   * Each model's state in llama-swap's latest modelStatus event, and how many such events have
   * arrived: a /running answer to a request sent before the latest one is older than it.
   */
  statusStates: ReadonlyMap<string, string>;
  statusSeq: number;
  /**
   * Models a request was seen for (on the event stream, as it arrived) while they were not
   * ready, with when (monotonic): a load, perhaps a swap, is under way. Read before every scrape,
   * ahead of the batched, rate-limited in-flight counts.
   */
  loadsAsked: Map<string, number>;
  llamaSwapPid: number | null;
  /** llama-swap's event stream is open: /running polling is only a safety net. */
  eventsHealthy: boolean;
  /** Requests in flight per model, from the event stream (empty without it). */
  inflightByModel: ReadonlyMap<string, number>;
  /** Bumped per model whenever its count of requests in flight changes (metrics scrape once after). */
  workSeq: ReadonlyMap<string, number>;
  /** The event stream said /running (or the activity record) changed: the next poll must ask. */
  runningStale: boolean;
  activityStale: boolean;
  /**
   * llama-swap may have been restarted (the stream reopened, /running answered again after
   * failures, an `activity` event named an id at or below the cursor, its process changed): the
   * next activity read checks the cursor against llama-swap's newest rows.
   */
  activityRecheck: boolean;
  /** Highest id the stream's `activity` events named since the last activity read. */
  announcedActivityId: number | null;
  /** llama-swap's own process was seen with another pid than before: a restart for certain. */
  llamaSwapReplaced: boolean;
  /** Where the llama-swap process we last saw runs from (its executable), null until seen. */
  llamaSwapExecutable: string | null;
  /** The newest activity id read so far (the cursor), null before the first read. */
  activityNewestId: number | null;
  /**
   * The event stream fell silent and llama-swap did not answer `/health` either (hung): the next
   * /running tick reports this failure at once instead of waiting out another request's timeout.
   */
  hungError: ApiError | null;
  /** When each model started loading, became ready, was last used (the menu's time labels). */
  readonly times: ModelTimes;
  /** Past load durations per model, read from and saved to the cache folder. */
  loadTimes: LoadTimes;
};

/** What each source is built from. */
export type PollContext = {
  readonly deps: MenuDeps;
  readonly timings: HookTimings;
  /** Wall time: stamps on answers and samples. */
  readonly clock: () => number;
  /** Monotonic time: every age and delay (a wall-clock jump must not stop or stall polling). */
  readonly monotonic: () => number;
  /** llama-swap runs on this machine (local process and host figures apply). */
  readonly local: boolean;
  readonly state: PollState;
  readonly debug: DebugLog;
  /** True when `text` differs from what was last said on `topic` (and remembers it). */
  changed(topic: string, text: string): boolean;
  /** Forgets what was said on `topic`, so its next line is said whatever it is. */
  forget(topic: string): void;
  stamp<T>(value: T): Stamped<T>;
  /** Folds a look at the models' states into `state.times`; finished loads are recorded and saved. */
  observeStates(states: Iterable<readonly [string, string]>): void;
};

export function createPollContext(deps: MenuDeps): PollContext {
  const clock = deps.clock ?? Date.now;
  const monotonic = deps.monotonic ?? monotonicNow;
  const said = new Map<string, string>();
  const state: PollState = { errorStreak: 0, transitional: false, queued: false, running: [], readyIds: new Set(), statusStates: new Map(), statusSeq: 0, loadsAsked: new Map(), llamaSwapPid: null, eventsHealthy: false, inflightByModel: new Map(), workSeq: new Map(), runningStale: true, activityStale: true, activityRecheck: false, announcedActivityId: null, llamaSwapReplaced: false, llamaSwapExecutable: null, activityNewestId: null, hungError: null, times: createModelTimes(), loadTimes: new Map() };
  const ctx: PollContext = {
    deps,
    timings: { ...DEFAULT_HOOK_TIMINGS, ...deps.timings },
    clock,
    monotonic,
    local: isLocalApi(deps.config.apiUrl),
    state,
    debug: deps.debug ?? NO_DEBUG,
    // Debug lines for steady polls only when something changed, so the log stays readable at 1 Hz.
    changed(topic, text) {
      if (said.get(topic) === text) return false;
      said.set(topic, text);
      return true;
    },
    forget(topic) {
      said.delete(topic);
    },
    stamp: (value) => ({ at: clock(), value }),
    observeStates(states) {
      const finished = observeStates(state.times, states, clock());
      if (finished.length === 0) return;
      for (const f of finished) state.loadTimes = recordLoad(state.loadTimes, f.id, f.ms);
      deps.saveLoadTimes?.(serializeLoadTimes(state.loadTimes)).catch(() => undefined);
    },
  };
  // Past loads from earlier runs; loads recorded before the file is read come after its entries.
  void deps
    .readLoadTimes?.()
    .then((text) => {
      if (text === null) return;
      let merged = parseLoadTimes(text);
      for (const [id, list] of state.loadTimes) for (const ms of list) merged = recordLoad(merged, id, ms);
      state.loadTimes = merged;
    })
    .catch(() => undefined);
  return ctx;
}

/** A single-flight fetcher whose answer is stamped when it arrives. */
export function stampedFlight<T>(ctx: PollContext, fetch: () => Promise<T>): () => Promise<Stamped<T>> {
  return singleFlight(async () => ctx.stamp(await fetch()));
}

function failure(error: unknown): Result<never> {
  return { ok: false, error: { kind: 'invalid-response', message: error instanceof Error ? error.message : String(error) } };
}

/** The call's Result, or a thrown error as an `invalid-response` failure. */
export async function safely<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (error) {
    return failure(error);
  }
}

/** The call's value, or null when it throws. */
export async function orNull<T>(call: () => Promise<T | null>): Promise<T | null> {
  try {
    return await call();
  } catch {
    return null;
  }
}
