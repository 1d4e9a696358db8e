/** spacedCall: a burst of asks is one call per gap, the last ask always followed by one. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spacedCall } from '../../../src/hooks/polling/spaced-call.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('spacedCall', () => {
  it('calls on the next turn, then at most once per gap, with a trailing call after a burst', async () => {
    let calls = 0;
    const c = spacedCall(250, () => performance.now(), () => (calls += 1));
    c.ask();
    c.ask();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    // A burst right after: one more call, when the gap has run.
    for (let i = 0; i < 100; i += 1) c.ask();
    await vi.advanceTimersByTimeAsync(249);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    // Quiet for longer than the gap: the next ask calls at once.
    await vi.advanceTimersByTimeAsync(1000);
    c.ask();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(3);
  });

  it('never waits longer than the gap when the clock reads earlier than before', async () => {
    let now = 10_000;
    let calls = 0;
    const c = spacedCall(250, () => now, () => (calls += 1));
    c.ask();
    await vi.advanceTimersByTimeAsync(0);
    now = 0;
    c.ask();
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toBe(2);
  });

  it('drops a waiting call on cancel and ignores asks after it', async () => {
    let calls = 0;
    const c = spacedCall(250, () => performance.now(), () => (calls += 1));
    c.ask();
    c.cancel();
    c.ask();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(0);
  });
});
