/**
 * The event stream's connection policy in virtual time (fake timers drive the injected monotonic
 * clock): jittered exponential backoff, reset only after a stream stayed open eventsHealthyMs,
 * and the idle watchdog that asks /health of a silent stream and drops it when nothing answers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPollSources } from '../../../src/hooks/polling/poll-sources.js';
import { reconnectDelay } from '../../../src/hooks/polling/events-source.js';
import type { LiveEventHandlers } from '../../../src/system/llama-swap/live-events.js';
import type { Result } from '../../../src/system/types.js';
import { FakeApi } from '../helpers/fake-api.js';
import { testDeps } from '../helpers/test-deps.js';

/** A stream the test drives: every connect is recorded with its virtual time. */
class StreamApi extends FakeApi {
  readonly connects: number[] = [];
  handlers: LiveEventHandlers | null = null;
  closed = 0;
  healthResult: Result<true> = { ok: true, value: true };
  /** What a new stream does: open (and stay open), or fail at once. */
  onConnect: 'open' | 'refuse' = 'open';
  events(handlers: LiveEventHandlers): { close(): void } {
    this.connects.push(Date.now());
    this.handlers = handlers;
    if (this.onConnect === 'open') queueMicrotask(() => handlers.onOpen());
    else queueMicrotask(() => handlers.onEnd({ kind: 'unreachable', message: 'refused' }));
    return {
      close: () => {
        this.closed += 1;
        handlers.onEnd(null);
      },
    };
  }
  health(): Promise<Result<true>> {
    this.calls.push('health');
    return Promise.resolve(this.healthResult);
  }
  /** The open stream ends (the server dropped it, or an oversized event). */
  drop(): void {
    this.handlers?.onEnd({ kind: 'invalid-response', message: "an event from llama-swap's stream was too large" });
  }
}

const TIMINGS = { eventsRetryMs: 1000, backoffCapMs: 30_000, eventsIdleMs: 2000, eventsHealthyMs: 30_000 };

function setup(api: StreamApi) {
  const sources = createPollSources(testDeps(api, '/tmp/unused', { monotonic: () => Date.now(), timings: TIMINGS }));
  const stop = sources.events.subscribe?.({ onState: () => undefined, onEffects: () => undefined }) ?? (() => undefined);
  return { sources, stop };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('reconnectDelay', () => {
  it('doubles per failure between half and all of the full wait, up to the cap', () => {
    expect(reconnectDelay(1, 1000, 30_000, 0)).toBe(500);
    expect(reconnectDelay(1, 1000, 30_000, 0.999)).toBeCloseTo(1000, -1);
    expect(reconnectDelay(4, 1000, 30_000, 0)).toBe(4000);
    expect(reconnectDelay(4, 1000, 30_000, 0.5)).toBe(6000);
    expect(reconnectDelay(50, 1000, 30_000, 0)).toBe(15_000);
    expect(reconnectDelay(50, 1000, 30_000, 1)).toBe(30_000);
  });
});

describe('event stream reconnects', () => {
  it('back off when each stream opens and drops at once (opening is not healthy)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const api = new StreamApi();
    const { stop } = setup(api);
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(0);
      api.drop();
      while (api.connects.length < i + 2) await vi.advanceTimersByTimeAsync(250);
    }
    stop();
    const gaps = api.connects.slice(1).map((t, i) => t - (api.connects[i] ?? t));
    // 0.75 s, 1.5 s, 3 s, 6 s, 12 s, 22.5 s (within the 250 ms steps the test advances by).
    for (let i = 1; i < gaps.length; i++) expect((gaps[i] ?? 0) / (gaps[i - 1] ?? 1)).toBeGreaterThan(1.6);
  });

  it('starts the backoff afresh only after a stream stayed open eventsHealthyMs', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const api = new StreamApi();
    const { stop } = setup(api);
    // Three quick drops: the next wait would be 4 s.
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(0);
      api.drop();
      while (api.connects.length < i + 2) await vi.advanceTimersByTimeAsync(100);
    }
    // Healthy for 30 s (the stand-in answers /health, so the watchdog keeps it), then dropped.
    await vi.advanceTimersByTimeAsync(31_000);
    const before = api.connects.length;
    const droppedAt = Date.now();
    api.drop();
    while (api.connects.length === before) await vi.advanceTimersByTimeAsync(100);
    expect((api.connects.at(-1) ?? 0) - droppedAt).toBeLessThanOrEqual(600);
    stop();
  });

  it('drops a silent stream whose server does not answer /health, probes every second, and reconnects when it answers', async () => {
    const api = new StreamApi();
    const { sources, stop } = setup(api);
    await vi.advanceTimersByTimeAsync(0);
    expect(sources.state.eventsHealthy).toBe(true);

    // Silent but answering: kept open, /health asked after each 2 s of silence.
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.count('health')).toBeGreaterThanOrEqual(2);
    expect(api.closed).toBe(0);

    api.healthResult = { ok: false, error: { kind: 'timeout', message: 'llama-swap did not answer within 1 s' } };
    while (api.closed === 0) await vi.advanceTimersByTimeAsync(100);
    expect(sources.state.eventsHealthy).toBe(false);
    // The unanswered probe counts as a failed poll: the menu's next failure shows at once.
    expect(sources.state.errorStreak).toBe(1);
    // …and the next /running tick reports it without waiting on another request: shown at once.
    const asked = api.count('running');
    const tick = await sources.running();
    expect(tick.value.ok).toBe(false);
    expect(api.count('running')).toBe(asked);
    expect(sources.state.errorStreak).toBe(2);
    const connects = api.connects.length;
    const probes = api.count('health');
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.count('health') - probes).toBeGreaterThanOrEqual(4);
    expect(api.connects.length).toBe(connects);

    api.healthResult = { ok: true, value: true };
    while (api.connects.length === connects) await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(0);
    expect(sources.state.eventsHealthy).toBe(true);
    stop();
  });

  it('keeps a stream that talks without asking /health', async () => {
    const api = new StreamApi();
    const { stop } = setup(api);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 20; i++) {
      api.handlers?.onBytes?.();
      await vi.advanceTimersByTimeAsync(500);
    }
    expect(api.count('health')).toBe(0);
    stop();
  });
});
