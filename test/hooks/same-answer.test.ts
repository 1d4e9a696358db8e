import { describe, expect, it } from 'vitest';
import { sameAnswer, sameAnswerUnlessFailed } from '../../src/hooks/same-answer.js';

const ok = <T>(value: T, at = 1) => ({ at, value: { ok: true, value } });

describe('sameAnswer (SWR compare)', () => {
  it('ignores when an answer was taken and the performance sample timestamp, nothing else', () => {
    expect(sameAnswer(ok([{ id: 'a', state: 'ready' }], 1), ok([{ id: 'a', state: 'ready' }], 2))).toBe(true);
    expect(sameAnswer(ok([{ id: 'a', state: 'ready' }]), ok([{ id: 'a', state: 'starting' }]))).toBe(false);
    expect(sameAnswer({ at: 1, value: { source: 'llama-swap', timestamp: 5, cpuPercent: 3 } }, { at: 2, value: { source: 'llama-swap', timestamp: 9, cpuPercent: 3 } })).toBe(true);
    expect(sameAnswer({ at: 1, value: { timestamp: 5, cpuPercent: 3 } }, { at: 2, value: { timestamp: 5, cpuPercent: 4 } })).toBe(false);
    expect(sameAnswer({ at: 1, value: { a: { genTps: Number.NaN } } }, { at: 2, value: { a: { genTps: Number.NaN } } })).toBe(true);
    expect(sameAnswer({ at: 1, value: null }, { at: 2, value: null })).toBe(true);
    expect(sameAnswer(undefined, { at: 2, value: null })).toBe(false);
  });

  it('keeps equal failures equal, except for /running where each failure counts', () => {
    const fail = (at: number) => ({ at, value: { ok: false, error: { kind: 'unreachable', message: 'x' } } });
    expect(sameAnswer(fail(1), fail(2))).toBe(true);
    expect(sameAnswerUnlessFailed(fail(1), fail(2))).toBe(false);
    const same = fail(3);
    expect(sameAnswerUnlessFailed(same, same)).toBe(true);
    expect(sameAnswerUnlessFailed(ok([]), ok([], 5))).toBe(true);
  });
});
