/**
 * The wall clock jumping under a running menu, with both clocks injected through the deps: the
 * monotonic one follows virtual time (fake timers), the wall one is that plus a jump the test
 * sets. Polling must go on after a backward jump (the safety net while the event stream is up),
 * samples keep being recorded, a forward jump beyond the monotonic time (a sleep) reads
 * everything again at once and leaves a gap instead of a line, and samples stamped in the
 * "future" survive a restart.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuModel } from '../../src/components/model.js';
import type { MenuDeps } from '../../src/hooks/deps.js';
import { flushHistory } from '../../src/hooks/use-history.js';
import { useMenuModel } from '../../src/hooks/use-menu-model.js';
import type { LiveEventHandlers } from '../../src/system/llama-swap/live-events.js';
import { FakeApi, running } from './helpers/fake-api.js';
import { renderHook, settle, type HookHandle } from './helpers/render-hook.js';
import { testDeps } from './helpers/test-deps.js';

const MINUTE = 60_000;
let dir: string;
let handle: HookHandle<MenuModel> | null = null;
/** How far the wall clock is from virtual time (the test moves it). */
let jump = 0;

/** FakeApi with an event stream that opens at once and then stays silent and healthy. */
class StreamApi extends FakeApi {
  opened = 0;
  events(handlers: LiveEventHandlers): { close(): void } {
    this.opened += 1;
    queueMicrotask(() => handlers.onOpen());
    return { close: () => handlers.onEnd(null) };
  }
  health(): Promise<{ ok: true; value: true }> {
    this.calls.push('health');
    return Promise.resolve({ ok: true, value: true });
  }
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hooks-clock-'));
  jump = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(async () => {
  handle?.unmount();
  handle = null;
  vi.useRealTimers();
  // Unmounting saves the history: let that write finish before its folder goes.
  await flushHistory();
  await rm(dir, { recursive: true, force: true });
});

async function advance(ms: number, step = 250): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await vi.advanceTimersByTimeAsync(step);
    await settle(3);
  }
}

function deps(api: FakeApi, over: Partial<MenuDeps> = {}): MenuDeps {
  return testDeps(api, dir, {
    persistHistory: false,
    watchActions: false,
    timings: { actionPollMs: 10 * MINUTE },
    clock: () => Date.now() + jump,
    monotonic: () => Date.now(),
    ...over,
  });
}

const samples = (m: MenuModel | undefined): number => m?.models[0]?.history.genTps.length ?? 0;

describe('wall-clock jumps', () => {
  it('keeps polling after the clock went back 10 minutes (the safety net while the stream is up)', async () => {
    const api = new StreamApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    handle = renderHook(() => useMenuModel(deps(api)));
    await advance(40_000);
    const before = api.count('running');
    expect(before).toBeGreaterThanOrEqual(2);

    jump = -10 * MINUTE;
    await advance(110_000);
    const after = api.count('running') - before;
    console.info(`/running requests in the 110 s after a -10 min jump: ${after}`);
    // The jump itself asks once at once, then every 30 s (liveSafetyMs): 4–5 in 110 s; none before the fix.
    expect(after).toBeGreaterThanOrEqual(4);
    expect(api.opened).toBe(1);
  });

  it('records samples after a backward jump, with the earlier ones kept at their age', async () => {
    const api = new StreamApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    api.generate('a', 40, 1, 0);
    handle = renderHook(() => useMenuModel(deps(api)));
    await advance(10_000);
    const before = samples(handle.current);
    expect(before).toBeGreaterThanOrEqual(5);

    jump = -10 * MINUTE;
    await advance(10_000);
    // A busy menu samples once a second: without re-anchoring, none would be "newer" for 10 minutes.
    expect(samples(handle.current)).toBeGreaterThanOrEqual(before + 5);
  });

  it('after a sleep (wall clock ahead of the monotonic one) reads everything at once and charts a gap', async () => {
    const api = new StreamApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    api.generate('a', 40, 1, 0);
    handle = renderHook(() => useMenuModel(deps(api, { timings: { actionPollMs: 10 * MINUTE, liveSafetyMs: 10 * MINUTE } })));
    await advance(5000);
    const gaps = (s: readonly number[]): number => s.filter(Number.isNaN).length;
    const series = handle.current?.models[0]?.history.genTps ?? [];
    expect(series.at(-1)).toBeCloseTo(40, 0);
    const runningBefore = api.count('running');

    jump = 5 * MINUTE;
    await advance(1000);
    // The stream stayed up and /running is a safety net every 10 min here: only the jump asked
    // (5 min of sleep is less than that net, so without the jump nothing would).
    expect(api.count('running')).toBeGreaterThan(runningBefore);
    await advance(2000);
    const after = handle.current?.models[0]?.history.genTps ?? [];
    // The five minutes slept are a gap (NaN) in the chart, not a line drawn across them, and no
    // rate measured over the sleep (which would be near zero, or a spike) is in it.
    expect(gaps(after)).toBeGreaterThan(gaps(series));
    expect(Math.max(...after.filter((v) => !Number.isNaN(v)))).toBeCloseTo(40, 0);
    const last = after.at(-1) ?? Number.NaN;
    expect(last).toBeCloseTo(40, 0);
  });

  it('keeps samples stamped in the "future" across a restart after the clock went back', async () => {
    const api = new StreamApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    api.generate('a', 40, 1, 0);
    handle = renderHook(() => useMenuModel(deps(api, { persistHistory: true })));
    await advance(15_000);
    expect(samples(handle.current)).toBeGreaterThanOrEqual(10);
    handle.unmount();
    handle = null;
    await flushHistory();
    const file = JSON.parse(await readFile(path.join(dir, 'history.json'), 'utf8')) as { times: number[] };
    const saved = file.times.length;
    expect(saved).toBeGreaterThanOrEqual(5);

    // Restarted with the wall clock 10 minutes back: every saved sample is in the "future".
    jump = -10 * MINUTE;
    handle = renderHook(() => useMenuModel(deps(api, { persistHistory: true })));
    await advance(500, 50);
    await vi.waitFor(() => expect(samples(handle?.current)).toBeGreaterThanOrEqual(saved));
  });
});
