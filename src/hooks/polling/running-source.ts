/**
 * `/running`: the source every other one is gated on. Updates the poll state (error streak,
 * transitional, ready ids) and lets metrics scrapes wait for a fresh answer.
 */
import type { ApiError, Result, RunningModel } from '../../system/types.js';
import type { RateTrackerState } from '../../system/llama-swap/metrics-rates.js';
import { nextPollDelay } from './adaptive-interval.js';
import { safely, stampedFlight, type PollContext, type Stamped } from './poll-context.js';

/** A /running answer younger than this is fresh enough to gate metrics scrapes. */
const FRESH_RUNNING_MS = 250;

const TRANSITIONAL = new Set(['starting', 'stopping', 'shutdown']);

function isFailure(error: ApiError): boolean {
  return error.kind !== 'unauthorized';
}

export type RunningSource = {
  readonly running: () => Promise<Stamped<Result<readonly RunningModel[]>>>;
  /** Resolves on a /running answer at most FRESH_RUNNING_MS old (waiting for the next poll's). */
  readonly freshRunning: () => Promise<void>;
};

/** `rateStates` loses every model that is no longer ready. */
export function createRunningSource(ctx: PollContext, rateStates: Map<string, RateTrackerState>): RunningSource {
  const { deps, state, clock, debug } = ctx;
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
      const timer = setTimeout(done, nextPollDelay({ activity: 'idle', errorStreak: state.errorStreak }, ctx.timings) + FRESH_RUNNING_MS);
      answered.add(done);
    });
  };
  const fetchRunning = stampedFlight(ctx, async () => {
    state.runningStale = false;
    const result = await safely(() => deps.api.running());
    runningAt = clock();
    for (const done of [...answered]) done();
    if (result.ok) {
      if (debug.enabled) {
        const models = result.value.map((m) => `${m.id}:${m.state}`).join(',');
        if (ctx.changed('running', models)) debug('running', { ok: true, models, afterFailures: state.errorStreak || undefined });
      }
      state.errorStreak = 0;
      state.running = result.value;
      state.readyIds = new Set(result.value.filter((m) => m.state === 'ready').map((m) => m.id));
      state.transitional = result.value.some((m) => TRANSITIONAL.has(m.state));
    } else {
      if (isFailure(result.error)) state.errorStreak += 1;
      ctx.forget('running');
      debug('running', { ok: false, kind: result.error.kind, message: result.error.message, streak: state.errorStreak });
      state.running = [];
      state.readyIds = new Set();
      state.transitional = false;
      state.queued = false;
    }
    for (const id of [...rateStates.keys()]) if (!state.readyIds.has(id)) rateStates.delete(id);
    return result;
  });
  // Polled at the adaptive interval always (so a stream that ends is noticed at the next tick),
  // but while the event stream is healthy and no event said otherwise, the answer held is the
  // current one: it is returned again (the same object, so nothing renders) without a request,
  // up to the safety-net age.
  let last: Stamped<Result<readonly RunningModel[]>> | null = null;
  const running = async (): Promise<Stamped<Result<readonly RunningModel[]>>> => {
    const held = last;
    if (held !== null && state.eventsHealthy && !state.runningStale && state.errorStreak === 0 && held.value.ok && clock() - held.at < ctx.timings.liveSafetyMs) {
      runningAt = clock();
      for (const done of [...answered]) done();
      return held;
    }
    last = await fetchRunning();
    return last;
  };
  return { running, freshRunning };
}
