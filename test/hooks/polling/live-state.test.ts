/** The pure parts of the live API: folding events into state, failed starts, figures of one finished request. */
import { describe, expect, it } from 'vitest';
import { lastRequestOf } from '../../../src/hooks/polling/activity-source.js';
import { applyLiveEvent, applyLiveEvents, EMPTY_LIVE_STATE, INFLIGHT_KEPT, inflightCounts, readyAtOf, startFailureReason, withFailureReason, type LiveState } from '../../../src/hooks/polling/live-state.js';
import type { LiveEvent } from '../../../src/system/llama-swap/live-events.js';
import type { InflightRequest } from '../../../src/system/types.js';

const req = (id: string, model: string): InflightRequest => ({ id, model, path: '/v1/chat/completions', method: 'POST', startedAt: 0, elapsedMs: 0, receivedAt: 0, bytes: 0 });
const status = (pairs: Record<string, string>): LiveEvent => ({ type: 'modelStatus', models: Object.entries(pairs).map(([id, state]) => ({ id, state })) });

function fold(events: readonly LiveEvent[], from: LiveState = EMPTY_LIVE_STATE): LiveState {
  return events.reduce((s, e) => applyLiveEvent(s, e, 1000).state, from);
}

describe('applyLiveEvent', () => {
  it('keeps the in-flight set from snapshot, upserts and removes', () => {
    const s = fold([
      { type: 'inflight-snapshot', requests: [req('1', 'a'), req('2', 'b')] },
      { type: 'inflight-upsert', request: { ...req('3', 'a'), bytes: 10 } },
      { type: 'inflight-upsert', request: { ...req('3', 'a'), bytes: 99 } },
      { type: 'inflight-remove', id: '1' },
      { type: 'inflight-remove', id: 'unknown' },
    ]);
    expect([...s.inflight.keys()]).toEqual(['2', '3']);
    expect(s.inflight.get('3')?.bytes).toBe(99);
    expect([...inflightCounts(s)]).toEqual([['b', 1], ['a', 1]]);
    // A new snapshot (after a reconnect or an overflow) replaces everything.
    expect([...fold([{ type: 'inflight-snapshot', requests: [] }], s).inflight]).toEqual([]);
  });

  it('marks starting → stopped as a failed start, kept until the model is next ready', () => {
    const first = applyLiveEvent(fold([status({ x: 'stopped' }), status({ x: 'starting' })]), status({ x: 'stopped' }), 5000);
    expect(first.effects.failed).toEqual(['x']);
    expect(first.state.failures.get('x')).toEqual({ reason: null, at: 5000 });
    const withReason = withFailureReason(first.state, 'x', 'upstream command exited prematurely');
    expect(withReason.failures.get('x')?.reason).toBe('upstream command exited prematurely');
    // Stopping a ready model is no failure; a later start that succeeds clears it.
    expect(fold([status({ x: 'ready' }), status({ x: 'stopping' }), status({ x: 'stopped' })]).failures.size).toBe(0);
    expect(fold([status({ x: 'starting' }), status({ x: 'ready' })], withReason).failures.size).toBe(0);
  });

  it('asks for the right refetches', () => {
    expect(applyLiveEvent(EMPTY_LIVE_STATE, status({}), 0).effects.refreshRunning).toBe(true);
    expect(applyLiveEvent(EMPTY_LIVE_STATE, { type: 'activity', id: 4 }, 0).effects.refreshActivity).toBe(true);
    expect(applyLiveEvent(EMPTY_LIVE_STATE, { type: 'profileChanged', active: 'p' }, 0).effects.refreshProfiles).toBe(true);
  });
});

describe('applyLiveEvents (a storm)', () => {
  const upserts = (from: number, n: number, model = 'a'): LiveEvent[] =>
    Array.from({ length: n }, (_, i) => ({ type: 'inflight-upsert', request: { ...req(String(from + i), model), startedAt: from + i } }));

  it('holds the newest INFLIGHT_KEPT requests and counts the rest per model', () => {
    const { state } = applyLiveEvents(EMPTY_LIVE_STATE, [...upserts(1, 5000), ...upserts(5001, 10, 'b')], 0);
    expect(state.inflight.size).toBe(INFLIGHT_KEPT);
    expect(state.inflight.has('5010')).toBe(true);
    expect(state.inflight.has(String(5010 - INFLIGHT_KEPT))).toBe(false);
    expect(state.dropped.get('a')).toBe(5000 - (INFLIGHT_KEPT - 10));
    expect([...inflightCounts(state)]).toEqual([['a', 5000], ['b', 10]]);
  });

  it('counts a remove of a request it no longer holds, and an unknown remove with nothing dropped changes nothing', () => {
    const { state } = applyLiveEvents(EMPTY_LIVE_STATE, upserts(1, INFLIGHT_KEPT + 2), 0);
    expect(state.dropped.get('a')).toBe(2);
    const after = applyLiveEvents(state, [{ type: 'inflight-remove', id: '1' }, { type: 'inflight-remove', id: '2' }], 0).state;
    expect(after.dropped.size).toBe(0);
    expect(inflightCounts(after).get('a')).toBe(INFLIGHT_KEPT);
    expect(applyLiveEvents(after, [{ type: 'inflight-remove', id: 'gone' }], 0).state).toBe(after);
  });

  it('keeps the newest of a huge snapshot by start time', () => {
    const requests = upserts(1, 1000).map((e) => (e.type === 'inflight-upsert' ? e.request : req('x', 'a'))).reverse();
    const { state } = applyLiveEvents(EMPTY_LIVE_STATE, [{ type: 'inflight-snapshot', requests }], 0);
    expect(state.inflight.size).toBe(INFLIGHT_KEPT);
    expect(Math.min(...[...state.inflight.values()].map((r) => r.startedAt))).toBe(1001 - INFLIGHT_KEPT);
    expect(state.dropped.get('a')).toBe(1000 - INFLIGHT_KEPT);
  });

  it('folds a batch as the events one by one would, merging effects (a model failing twice is read once)', () => {
    const events: LiveEvent[] = [
      status({ x: 'starting' }), status({ x: 'stopped' }), { type: 'activity', id: 1 },
      status({ x: 'starting' }), status({ x: 'stopped' }), ...upserts(1, 3), { type: 'inflight-remove', id: '2' },
    ];
    const batch = applyLiveEvents(EMPTY_LIVE_STATE, events, 7);
    const single = fold(events);
    expect([...batch.state.inflight.keys()]).toEqual([...single.inflight.keys()]);
    expect(batch.state.failures).toEqual(new Map([['x', { reason: null, at: 7 }]]));
    expect(batch.effects).toEqual({ refreshRunning: true, refreshActivity: true, refreshProfiles: false, refreshMetrics: false, failed: ['x'] });
  });
});

describe('startFailureReason', () => {
  const log = [
    '[INFO] Request 127.0.0.1 "GET /running HTTP/1.1" 200',
    '[WARN] group: starting broken failed: first reason',
    '[WARN] group: starting other failed: not mine',
    '[WARN] group: starting broken failed: upstream command exited prematurely',
    '[INFO] Request 127.0.0.1 "GET /upstream/broken/health HTTP/1.1" 500',
  ].join('\n');
  it("finds the model's latest reason, and nothing for a model never named", () => {
    expect(startFailureReason(log, 'broken')).toBe('upstream command exited prematurely');
    expect(startFailureReason(log, 'other')).toBe('not mine');
    expect(startFailureReason(log, 'b')).toBeNull();
    const long = startFailureReason(`[WARN] group: starting m failed: failed to start command '${'x'.repeat(400)}'`, 'm');
    expect(long?.length).toBe(160);
    expect(long?.endsWith('…')).toBe(true);
  });
});

describe('lastRequestOf', () => {
  const row = { id: 1, model: 'm', path: '/v1/chat/completions', status: 200, inputTokens: 10, outputTokens: 40, promptTps: -1, genTps: -1, durationMs: 202 };
  it('reported timings first, else output tokens ÷ duration, else nothing', () => {
    expect(lastRequestOf({ ...row, genTps: 41.5, promptTps: 600 })).toMatchObject({ genTps: 41.5, promptTps: 600, outputTps: null });
    expect(lastRequestOf(row).outputTps).toBeCloseTo(198.02, 1);
    // A streamed fake-model answer: no usage, no timings.
    expect(lastRequestOf({ ...row, outputTokens: 0, genTps: 0, promptTps: 0 })).toMatchObject({ genTps: null, promptTps: null, outputTps: null });
  });
});

describe('ready times from a newer llama-swap', () => {
  const ready = (id: string, uptimeMs?: number): LiveEvent => ({ type: 'modelStatus', models: [uptimeMs === undefined ? { id, state: 'ready' } : { id, state: 'ready', uptimeMs }] });

  it('counts uptimeMs back from the arrival on our clock, and keeps that time through later events', () => {
    let s = applyLiveEvent(EMPTY_LIVE_STATE, ready('a', 90_000), 100_000).state;
    expect(s.readyAt.get('a')).toBe(10_000);
    // The next modelStatus counts back a little differently (transit): the same ready time.
    s = applyLiveEvent(s, ready('a', 149_300), 160_000).state;
    expect(s.readyAt.get('a')).toBe(10_000);
    // A reload is a new ready time.
    s = applyLiveEvent(s, ready('a', 5), 200_000).state;
    expect(s.readyAt.get('a')).toBe(199_995);
  });

  it('falls back to readySince (never in the future), and has none when not ready', () => {
    expect(readyAtOf({ id: 'a', state: 'ready', readySince: 40_000 }, 100_000)).toBe(40_000);
    expect(readyAtOf({ id: 'a', state: 'ready', readySince: 400_000 }, 100_000)).toBe(100_000);
    expect(readyAtOf({ id: 'a', state: 'ready' }, 100_000)).toBeUndefined();
    expect(readyAtOf({ id: 'a', state: 'stopping', uptimeMs: 5 }, 100_000)).toBeUndefined();
  });

  it('drops it when the model leaves ready, and never has one from a pinned llama-swap', () => {
    const s = fold([ready('a', 10_000), status({ a: 'stopping' })]);
    expect(s.readyAt.size).toBe(0);
    expect(fold([ready('a')]).readyAt.size).toBe(0);
  });
});
