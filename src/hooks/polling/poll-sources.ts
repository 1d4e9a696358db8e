/**
 * The fetchers behind every SWR key, one set per menu: each endpoint is single-flight, every
 * answer is stamped with the time it was taken, and the shared poll state (error streak, busy,
 * the latest ready models) is updated here, outside rendering. Fetchers never throw.
 */
import { NO_DEBUG } from '../../system/debug-log.js';
import type { RateTrackerState } from '../../system/llama-swap/metrics-rates.js';
import type { ApiError, ConfiguredModel, HostStats, Profiles, Result, RunningModel, ServiceView } from '../../system/types.js';
import { nextPollDelay } from './adaptive-interval.js';
import { DEFAULT_HOOK_TIMINGS, type HookTimings, type MenuDeps } from '../deps.js';
import type { ModelMetricsEntry, ProcessView } from '../model/menu-input.js';
import { isLocalApi } from '../model/menu-problems.js';
import { singleFlight, singleFlightByKey } from './single-flight.js';
import { createTtlGate } from './ttl-gate.js';

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
  llamaSwapPid: number | null;
};

export type PollSources = {
  readonly timings: HookTimings;
  readonly clock: () => number;
  readonly state: PollState;
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
  /** Rate-tracker state per ready model (JSON-safe; one-shot runs persist it between runs). */
  readonly rateStates: ReadonlyMap<string, RateTrackerState>;
  /** Adaptive delay for /running and metrics. */
  fastDelay(): number;
  /** Delay for configured models and profiles: slow, backing off while down. */
  slowDelay(): number;
};

/** A /running answer younger than this is fresh enough to gate metrics scrapes. */
const FRESH_RUNNING_MS = 250;

const TRANSITIONAL = new Set(['starting', 'stopping', 'shutdown']);

function failure(error: unknown): Result<never> {
  return { ok: false, error: { kind: 'invalid-response', message: error instanceof Error ? error.message : String(error) } };
}

async function safely<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (error) {
    return failure(error);
  }
}

async function orNull<T>(call: () => Promise<T | null>): Promise<T | null> {
  try {
    return await call();
  } catch {
    return null;
  }
}

function isFailure(error: ApiError): boolean {
  return error.kind !== 'unauthorized';
}

/** Builds the fetchers for one menu. */
export function createPollSources(deps: MenuDeps, initialRates?: Readonly<Record<string, RateTrackerState>>): PollSources {
  const timings: HookTimings = { ...DEFAULT_HOOK_TIMINGS, ...deps.timings };
  const clock = deps.clock ?? Date.now;
  const local = isLocalApi(deps.config.apiUrl);
  const state: PollState = { errorStreak: 0, transitional: false, queued: false, running: [], readyIds: new Set(), llamaSwapPid: null };
  const rateStates = new Map<string, RateTrackerState>(Object.entries(initialRates ?? {}));
  const lastGood = new Map<string, ModelMetricsEntry>();
  let performanceOffUntil = 0;
  let lastService: ServiceView | null = null;
  let gpusRefreshed = false;
  const gate = createTtlGate(deps.api.requestCounts?.bind(deps.api));
  const debug = deps.debug ?? NO_DEBUG;
  const said = new Map<string, string>();
  // Debug lines for steady polls only when something changed, so the log stays readable at 1 Hz.
  const changed = (topic: string, text: string): boolean => {
    if (said.get(topic) === text) return false;
    said.set(topic, text);
    return true;
  };
  const refreshGpus = singleFlight(async () => {
    gpusRefreshed = true;
    await deps.refreshGpus?.().catch(() => undefined);
  });

  const stamp = <T>(value: T): Stamped<T> => ({ at: clock(), value });

  // Scrapes wait for a fresh /running answer (no extra request: the next poll's). On an answer up
  // to one interval old, a model unloaded or swapped out since would be scraped, and a scrape
  // under /upstream/ makes llama-swap load it back (undoing Unload, or evicting the new model).
  let runningAt = Number.NEGATIVE_INFINITY;
  const answered = new Set<() => void>();
  const freshRunning = (): Promise<void> => {
    if (clock() - runningAt <= FRESH_RUNNING_MS) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        answered.delete(done);
        resolve();
      };
      const timer = setTimeout(done, nextPollDelay({ activity: 'idle', errorStreak: state.errorStreak }, timings) + FRESH_RUNNING_MS);
      answered.add(done);
    });
  };
  const running = singleFlight(async () => {
    const result = await safely(() => deps.api.running());
    runningAt = clock();
    for (const done of [...answered]) done();
    if (result.ok) {
      if (debug.enabled) {
        const models = result.value.map((m) => `${m.id}:${m.state}`).join(',');
        if (changed('running', models)) debug('running', { ok: true, models, afterFailures: state.errorStreak || undefined });
      }
      state.errorStreak = 0;
      state.running = result.value;
      state.readyIds = new Set(result.value.filter((m) => m.state === 'ready').map((m) => m.id));
      state.transitional = result.value.some((m) => TRANSITIONAL.has(m.state));
    } else {
      if (isFailure(result.error)) state.errorStreak += 1;
      said.delete('running');
      debug('running', { ok: false, kind: result.error.kind, message: result.error.message, streak: state.errorStreak });
      state.running = [];
      state.readyIds = new Set();
      state.transitional = false;
      state.queued = false;
    }
    for (const id of [...rateStates.keys()]) if (!state.readyIds.has(id)) rateStates.delete(id);
    return stamp(result);
  });

  const scrape = singleFlightByKey(async (id: string): Promise<ModelMetricsEntry | null> => {
    // Checked again right before the request: /upstream/<id>/ would load a model that is not ready.
    if (!state.readyIds.has(id)) return null;
    const result = await safely(() => deps.api.metrics(id));
    gate.scraped(id);
    const at = clock();
    if (changed(`metrics:${id}`, result.ok ? 'ok' : result.error.kind)) {
      debug('metrics', { id, ok: result.ok, ...(result.ok ? {} : { kind: result.error.kind, message: result.error.message }) });
    }
    if (result.ok) {
      let rates;
      try {
        rates = deps.trackRates(rateStates.get(id), result.value, at);
      } catch {
        // A state from an older run's file that the tracker rejects: start afresh.
        rates = deps.trackRates(undefined, result.value, at);
      }
      rateStates.set(id, rates.state);
      const entry: ModelMetricsEntry = {
        status: 'ok',
        promptTps: rates.promptTps,
        genTps: rates.genTps,
        processing: result.value.requestsProcessing ?? null,
        deferred: result.value.requestsDeferred ?? null,
        requestsServed: rates.requestsServed ?? null,
      };
      lastGood.set(id, entry);
      return entry;
    }
    if (result.error.kind === 'metrics-disabled') {
      return { status: 'disabled', promptTps: null, genTps: null, processing: null, deferred: null, requestsServed: null };
    }
    const last = lastGood.get(id);
    return { status: 'unavailable', promptTps: last?.promptTps ?? null, genTps: last?.genTps ?? null, processing: null, deferred: null, requestsServed: last?.requestsServed ?? null };
  });

  const host = singleFlight(async () => {
    if (state.errorStreak === 0 && clock() >= performanceOffUntil) {
      const perf = await safely(() => deps.api.performance());
      if (changed('performance', perf.ok ? 'ok' : perf.error.kind)) {
        debug('performance', perf.ok ? { ok: true } : { ok: false, kind: perf.error.kind, fallback: local ? 'local' : 'none' });
      }
      if (perf.ok) return stamp<HostStats | null>(perf.value);
      // Disabled (503) or too old (404): ask again in a minute, use local figures meanwhile.
      if (perf.error.kind !== 'unreachable' && perf.error.kind !== 'timeout') performanceOffUntil = clock() + 60_000;
    }
    // A remote llama-swap's host is not this machine: better no figures than wrong ones.
    if (!local) return stamp<HostStats | null>(null);
    // The first local fallback fetches the GPU list in the background (it is slow on macOS).
    if (!gpusRefreshed && deps.refreshGpus) void refreshGpus();
    return stamp(await orNull(deps.localHostStats));
  });

  return {
    timings,
    clock,
    state,
    rateStates,
    running,
    models: singleFlight(async () => stamp(await safely(() => deps.api.models()))),
    profiles: singleFlight(async () => stamp(await safely(() => deps.api.profiles()))),
    async metrics(ids) {
      await freshRunning();
      const { scrape: now, hold } = await gate.select(ids, state.running, lastGood);
      const entries = await Promise.all(now.map(async (id) => [id, await scrape(id)] as const));
      const out: Record<string, ModelMetricsEntry> = {};
      for (const [id, entry] of entries) if (entry) out[id] = entry;
      for (const id of hold) {
        const entry = lastGood.get(id);
        if (entry && state.readyIds.has(id)) out[id] = entry;
      }
      state.queued = Object.values(out).some((e) => (e.processing ?? 0) + (e.deferred ?? 0) > 0);
      return stamp(out);
    },
    host,
    processes: singleFlight(async () =>
      stamp(local ? await orNull(() => deps.processStats({ running: state.running, llamaSwapPid: state.llamaSwapPid })) : null),
    ),
    gpus: singleFlight(async () => {
      const needed = local && deps.refreshGpus !== undefined && (state.errorStreak > 0 || clock() < performanceOffUntil);
      if (needed) await refreshGpus();
      return stamp(needed);
    }),
    service: singleFlight(async () => {
      // A failed detection keeps the last view rather than forgetting the service.
      const detected = await orNull(deps.detectService);
      const view = detected ?? lastService;
      if (debug.enabled) {
        const text = detected === null ? 'failed' : `${detected.platform} ${detected.manager} installed=${detected.installed} loaded=${detected.loaded} pid=${detected.pid ?? '-'} binary=${detected.binaryPath ?? '-'} config=${detected.configExists}`;
        if (changed('service', text)) debug('service', { detected: text });
      }
      lastService = view;
      if (view) state.llamaSwapPid = view.pid;
      return stamp(view);
    }),
    fastDelay: () => {
      const ms = nextPollDelay({ activity: state.transitional || state.queued ? 'busy' : 'idle', errorStreak: state.errorStreak }, timings);
      if (changed('interval', String(ms))) debug('poll interval', { ms });
      return ms;
    },
    slowDelay: () => Math.max(timings.slowMs, nextPollDelay({ activity: 'idle', errorStreak: state.errorStreak }, timings)),
  };
}
