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
  const { deps, state, monotonic, debug } = ctx;
  // Scrapes wait for a fresh /running answer (no extra request: the next poll's). On an answer up
  // to one interval old, a model unloaded or swapped out since would be scraped, and a scrape
  // under /upstream/ makes llama-swap load it back (undoing Unload, or evicting the new model).
  let runningAt = Number.NEGATIVE_INFINITY;
  const answered = new Set<() => void>();
  const freshRunning = (): Promise<void> => {
    if (monotonic() - runningAt <= FRESH_RUNNING_MS) return Promise.resolve();
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
    const hung = state.hungError;
    state.hungError = null;
    const statusSeq = state.statusSeq;
    const result: Result<readonly RunningModel[]> = hung !== null ? { ok: false, error: hung } : await safely(() => deps.api.running());
    runningAt = monotonic();
    for (const done of [...answered]) done();
    if (result.ok) {
      if (debug.enabled) {
        const models = result.value.map((m) => `${m.id}:${m.state}`).join(',');
        if (ctx.changed('running', models)) debug('running', { ok: true, models, afterFailures: state.errorStreak || undefined });
      }
      // Back after failures: it may be another llama-swap, whose activity ids start again.
      if (state.errorStreak > 0) state.activityRecheck = true;
      state.errorStreak = 0;
      state.running = result.value;
      const ready = result.value.filter((m) => m.state === 'ready').map((m) => m.id);
      // A modelStatus event that came while this request was out is newer than the answer: a
      // model it says is no longer ready (swapped out) stays out of the scrape gate.
      const newer = state.statusSeq !== statusSeq ? state.statusStates : null;
      state.readyIds = new Set(newer === null ? ready : ready.filter((id) => (newer.get(id) ?? 'ready') === 'ready'));
      state.transitional = result.value.some((m) => TRANSITIONAL.has(m.state));
      ctx.observeStates(result.value.map((m) => [m.id, m.state] as const));
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
  // While the event stream is up, a poll tick only asks llama-swap when the stream said something
  // changed (or every liveSafetyMs as a safety net); otherwise it answers the same object again
  // (no re-render) and counts as fresh, since the stream would have told us of any change. The
  // tick itself keeps the adaptive interval, so a dropped stream is noticed at the next one.
  // Ages are monotonic: after the wall clock went back, `now - last.at` would stay negative and
  // hold the safety net off for as long as the jump.
  let last: Stamped<Result<readonly RunningModel[]>> | null = null;
  let lastAsked = Number.NEGATIVE_INFINITY;
  const running = async (): Promise<Stamped<Result<readonly RunningModel[]>>> => {
    if (state.eventsHealthy && !state.runningStale && last !== null && last.value.ok && monotonic() - lastAsked < ctx.timings.liveSafetyMs) {
      runningAt = monotonic();
      for (const done of [...answered]) done();
      return last;
    }
    state.runningStale = false;
    lastAsked = monotonic();
    last = await fetchRunning();
    return last;
  };
  return { running, freshRunning };
}
