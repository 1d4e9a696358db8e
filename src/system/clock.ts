/**
 * The two clocks: wall time (Date.now: labels, sample stamps, file records) and a monotonic one
 * (performance.now: every delay, interval, throttle and age). The wall clock can jump either way
 * (NTP, the user, a Mac waking from sleep); the monotonic one only moves forward, and on macOS and
 * Linux it does not advance while the machine sleeps, so the two together tell a sleep from a
 * clock that was set.
 */
import type { Clock } from './types.js';

/** Milliseconds since an arbitrary start, never going back. */
export const monotonicNow: Clock = () => performance.now();

/** Wall-clock moves this much beyond (or behind) the monotonic time elapsed count as a jump. */
export const CLOCK_JUMP_MS = 5000;

/**
 * A wall-clock jump: `ms` is how far the wall clock moved beyond the monotonic time elapsed
 * (positive: forward, e.g. the machine slept; negative: the clock was set back).
 */
export type ClockJump = { readonly ms: number };

/** Compares the two clocks at each look; a look reports the jump since the previous one. */
export function createClockWatch(wall: Clock, monotonic: Clock, thresholdMs = CLOCK_JUMP_MS): () => ClockJump | null {
  let lastWall = wall();
  let lastMono = monotonic();
  return () => {
    const w = wall();
    const m = monotonic();
    const drift = w - lastWall - (m - lastMono);
    lastWall = w;
    lastMono = m;
    return Number.isFinite(drift) && Math.abs(drift) >= thresholdMs ? { ms: drift } : null;
  };
}
