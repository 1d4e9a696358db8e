/**
 * The fetchers behind every SWR key, one set per menu: each endpoint is single-flight, every
 * answer is stamped with the time it was taken, and the shared poll state (error streak, busy,
 * the latest ready models) is updated here, outside rendering. Fetchers never throw.
 * Each source lives in its own file; the plumbing they share is in poll-context.ts.
 */
import { createClockWatch, type ClockJump } from '../../system/clock.js';
import type { RateTrackerState } from '../../system/llama-swap/metrics-rates.js';
import type { ConfiguredModel, HostStats, Profiles, Result, RunningModel, ServiceView } from '../../system/types.js';
import type { HookTimings, MenuDeps } from '../deps.js';
import type { ModelActivityEntry, ModelMetricsEntry, ProcessView } from '../model/menu-input.js';
import { createActivitySource } from './activity-source.js';
import { createEventsSource, type EventsSource } from './events-source.js';
import { nextPollDelay } from './adaptive-interval.js';
import { createMetricsSource } from './metrics-source.js';
import { createModelsSource } from './models-source.js';
import { createPerformanceSource } from './performance-source.js';
import { createPollContext, type PollState, type Stamped } from './poll-context.js';
import { createProcessesSource } from './processes-source.js';
import { createRunningSource } from './running-source.js';
import { createServiceSource } from './service-source.js';

export type { PollState, Stamped } from './poll-context.js';

export type PollSources = {
  readonly timings: HookTimings;
  /** Wall time: stamps and labels. */
  readonly clock: () => number;
  /** Monotonic time: delays and ages. */
  readonly monotonic: () => number;
  readonly state: PollState;
  /**
   * Hears each wall-clock jump (looked for at every /running tick): a forward one beyond the
   * monotonic time elapsed (the machine slept, or the clock was set on) or a backward one. The
   * rate windows are already forgotten and every source marked stale; returns the unsubscribe.
   */
  onClockJump(listener: (jump: ClockJump) => void): () => void;
  running(): Promise<Stamped<Result<readonly RunningModel[]>>>;
  models(): Promise<Stamped<Result<readonly ConfiguredModel[]>>>;
  profiles(): Promise<Stamped<Result<Profiles>>>;
  /** Scrapes the given models, skipping any whose latest state is not `ready`. */
  metrics(ids: readonly string[]): Promise<Stamped<Readonly<Record<string, ModelMetricsEntry>>>>;
  host(): Promise<Stamped<HostStats | null>>;
  processes(): Promise<Stamped<ProcessView | null>>;
  /** Refreshes the local GPU list when llama-swap does not report GPUs itself. */
  gpus(): Promise<Stamped<boolean>>;
  service(): Promise<Stamped<ServiceView | null>>;
  /** llama-swap's activity figures of the given models; null value when it has no activity API. */
  activity(ids: readonly string[]): Promise<Stamped<Readonly<Record<string, ModelActivityEntry>> | null>>;
  /** llama-swap's event stream. */
  readonly events: EventsSource;
  /** Rate-tracker state per ready model (JSON-safe; one-shot runs persist it between runs). */
  readonly rateStates: ReadonlyMap<string, RateTrackerState>;
  /** Forgets every rate window (they were another llama-swap's models). */
  forgetRates(): void;
  /** Adaptive delay for metrics (and /running without the event stream). */
  fastDelay(): number;
  /** /running and activity ticks (adaptive); while the event stream is up a tick asks only when it said something changed. */
  runningDelay(): number;
  /** Delay for configured models and profiles: slow, backing off while down. */
  slowDelay(): number;
};

/** Builds the fetchers for one menu. */
export function createPollSources(deps: MenuDeps, initialRates?: Readonly<Record<string, RateTrackerState>>): PollSources {
  const ctx = createPollContext(deps);
  const { timings, clock, monotonic, state } = ctx;
  const rateStates = new Map<string, RateTrackerState>(Object.entries(initialRates ?? {}));
  const { running: runningTick, freshRunning } = createRunningSource(ctx, rateStates);
  const lookAtClock = createClockWatch(clock, monotonic);
  const jumpListeners = new Set<(jump: ClockJump) => void>();
  // A rate over a window that spans a sleep or a clock change would divide by the wrong time:
  // the windows start afresh, and everything is read again at once.
  const running: PollSources['running'] = () => {
    const jump = lookAtClock();
    if (jump !== null) {
      ctx.debug('clock jump', { ms: Math.round(jump.ms) });
      rateStates.clear();
      state.runningStale = true;
      state.activityStale = true;
      for (const listener of [...jumpListeners]) listener(jump);
    }
    return runningTick();
  };
  const { models, profiles } = createModelsSource(ctx);
  const { host, gpus } = createPerformanceSource(ctx);

  return {
    timings,
    clock,
    monotonic,
    state,
    onClockJump: (listener) => {
      jumpListeners.add(listener);
      return () => jumpListeners.delete(listener);
    },
    rateStates,
    forgetRates: () => rateStates.clear(),
    running,
    models,
    profiles,
    metrics: createMetricsSource(ctx, rateStates, freshRunning),
    host,
    processes: createProcessesSource(ctx),
    gpus,
    service: createServiceSource(ctx),
    activity: createActivitySource(ctx, rateStates),
    events: createEventsSource(ctx),
    // The tick stays adaptive; the sources themselves skip the request while the stream is up.
    runningDelay: () => fastDelay(),
    fastDelay: () => fastDelay(),
    slowDelay: () => Math.max(timings.slowMs, nextPollDelay({ activity: 'idle', errorStreak: state.errorStreak }, timings)),
  };
  function fastDelay(): number {
    const ms = nextPollDelay({ activity: state.transitional || state.queued || state.inflightByModel.size > 0 ? 'busy' : 'idle', errorStreak: state.errorStreak }, timings);
    if (ctx.changed('interval', String(ms))) ctx.debug('poll interval', { ms });
    return ms;
  }
}
