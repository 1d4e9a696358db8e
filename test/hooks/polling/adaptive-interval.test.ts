import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS, nextPollDelay } from '../../../src/hooks/polling/adaptive-interval.js';

describe('nextPollDelay', () => {
  it('polls every second while busy and every three seconds when idle', () => {
    expect(nextPollDelay({ activity: 'busy', errorStreak: 0 })).toBe(1000);
    expect(nextPollDelay({ activity: 'idle', errorStreak: 0 })).toBe(3000);
  });

  it('backs off exponentially while the API is unreachable, capped at 30 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 50, 5000].map((n) => nextPollDelay({ activity: 'busy', errorStreak: n }));
    expect(delays).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000]);
  });

  it('ignores activity while down and treats bad streaks as zero', () => {
    expect(nextPollDelay({ activity: 'idle', errorStreak: 1 })).toBe(2000);
    expect(nextPollDelay({ activity: 'idle', errorStreak: -3 })).toBe(3000);
    expect(nextPollDelay({ activity: 'busy', errorStreak: Number.NaN })).toBe(1000);
  });

  it('uses the given timings', () => {
    const t = { ...DEFAULT_TIMINGS, busyMs: 10, idleMs: 30, backoffBaseMs: 20, backoffCapMs: 50 };
    expect(nextPollDelay({ activity: 'busy', errorStreak: 0 }, t)).toBe(10);
    expect(nextPollDelay({ activity: 'idle', errorStreak: 2 }, t)).toBe(40);
    expect(nextPollDelay({ activity: 'idle', errorStreak: 3 }, t)).toBe(50);
  });
});
