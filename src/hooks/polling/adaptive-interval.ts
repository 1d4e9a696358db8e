/**
 * Pure polling policy: how long to wait before the next poll, from what is happening now
 * (busy or idle) and how many polls in a row failed to reach the API.
 */

/** `busy`: a model is starting/stopping or requests are processing/deferred. */
export type PollActivity = 'busy' | 'idle';

export type PollPolicyInput = {
  readonly activity: PollActivity;
  /** Consecutive polls that could not reach the API (0 when the last one answered). */
  readonly errorStreak: number;
};

/** The delays the policy picks from; tests shrink them. */
export type PollTimings = {
  /** @default 1000 */
  readonly busyMs: number;
  /** @default 3000 */
  readonly idleMs: number;
  /** First delay after a failure, doubled per further failure. @default 2000 */
  readonly backoffBaseMs: number;
  /** @default 30000 */
  readonly backoffCapMs: number;
};

/** The Rust plugin's figures (1 s active, 3 s idle) plus a capped exponential backoff. */
export const DEFAULT_TIMINGS: PollTimings = {
  busyMs: 1000,
  idleMs: 3000,
  backoffBaseMs: 2000,
  backoffCapMs: 30_000,
};

/** Milliseconds until the next poll: 1 s busy, 3 s idle, 2 s · 2^(n−1) capped at 30 s when down. */
export function nextPollDelay(input: PollPolicyInput, timings: PollTimings = DEFAULT_TIMINGS): number {
  const streak = Number.isFinite(input.errorStreak) ? Math.max(0, Math.floor(input.errorStreak)) : 0;
  if (streak > 0) {
    // Exponent capped so 2 ** n never overflows into Infinity for absurd streaks.
    const delay = timings.backoffBaseMs * 2 ** Math.min(streak - 1, 30);
    return Math.min(timings.backoffCapMs, delay);
  }
  return input.activity === 'busy' ? timings.busyMs : timings.idleMs;
}
