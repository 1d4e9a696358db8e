/** The pure parts of the live API: folding events into state, failed starts, figures of one finished request. */
import { describe, expect, it } from 'vitest';
import { lastRequestOf } from '../../../src/hooks/polling/activity-source.js';
import { applyLiveEvent, EMPTY_LIVE_STATE, inflightCounts, readyAtOf, startFailureReason, withFailureReason, type LiveState } from '../../../src/hooks/polling/live-state.js';
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
