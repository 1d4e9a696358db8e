import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMetrics } from '../../../src/system/llama-swap/metrics-parser.js';
import { RATE_WINDOW_MS, trackRates } from '../../../src/system/llama-swap/metrics-rates.js';
import type { RateTrackerState } from '../../../src/system/llama-swap/metrics-rates.js';
import type { LlamaMetrics } from '../../../src/system/types.js';

const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'llama-server');
const busy = (n: number) => parseMetrics(readFileSync(path.join(FIX, 'busy', `metrics-busy-${n}.txt`), 'utf8'));

type Step = { promptTps: number | null; genTps: number | null; served: number | null | undefined };

function run(scrapes: readonly (readonly [LlamaMetrics, number])[], start?: RateTrackerState): { steps: Step[]; state: RateTrackerState | undefined } {
  let state = start;
  const steps: Step[] = [];
  for (const [m, at] of scrapes) {
    const r = trackRates(state, m, at);
    state = r.state;
    steps.push({ promptTps: r.promptTps, genTps: r.genTps, served: r.requestsServed });
  }
  return { steps, state };
}

const idle = (gen: number, genSec: number, prompt = 10, promptSec = 0.01): LlamaMetrics => ({
  promptTokensTotal: prompt,
  promptSecondsTotal: promptSec,
  tokensPredictedTotal: gen,
  tokensPredictedSecondsTotal: genSec,
  requestsProcessing: 0,
  requestsDeferred: 0,
});

describe('trackRates on the real busy sequence (counters 320 → 1920 → 2720)', () => {
  // The capture was sampled about every 0.1 s; replay it at 1 s polling to be a realistic plugin.
  const seq = Array.from({ length: 10 }, (_, i) => [busy(i + 1), 1000 * (i + 1)] as const);
  const { steps } = run(seq);

  it('shows no figure while requests are in flight and nothing finished yet', () => {
    for (const s of steps.slice(0, 4)) expect(s.genTps).toBeNull();
  });

  it('gives per-request speed from server time: no spike, no drop to zero', () => {
    // 1600 tokens over 2.087 s of generation, then 2400 over 2.65 s.
    expect(steps[4]?.genTps).toBeCloseTo(1600 / (2.156 - 0.069), 3);
    expect(steps[5]?.genTps).toBeCloseTo(1600 / (2.156 - 0.069), 3);
    for (const s of steps.slice(6)) expect(s.genTps).toBeCloseTo(2400 / (2.719 - 0.069), 3);
    for (const s of steps.slice(4)) {
      expect(s.genTps).toBeGreaterThan(500);
      expect(s.genTps).toBeLessThan(2000);
    }
  });

  it('counts finished requests from the falling in-flight gauge (6 requests)', () => {
    expect(steps.map((s) => s.served)).toEqual([0, 0, 0, 0, 4, 4, 6, 6, 6, 6]);
  });
});

describe('trackRates over time', () => {
  it('decays to 0 once a whole window passes without a finished request', () => {
    const { steps } = run([
      [idle(100, 1), 0],
      [idle(300, 2), 1000],
      [idle(300, 2), 1000 + RATE_WINDOW_MS - 1],
      [idle(300, 2), 1000 + RATE_WINDOW_MS + 1],
    ]);
    expect(steps.map((s) => s.genTps)).toEqual([0, 200, 200, 0]);
  });

  it('holds the last figure while a long request runs with nothing finishing', () => {
    const running = { ...idle(300, 2), requestsProcessing: 1 };
    const { steps } = run([
      [idle(100, 1), 0],
      [idle(300, 2), 1000],
      [running, 40_000],
      [running, 80_000],
    ]);
    expect(steps.map((s) => s.genTps)).toEqual([0, 200, 200, 200]);
  });

  it('restarts cleanly when counters go down (model restarted): never negative or absurd', () => {
    const { steps } = run([
      [idle(5000, 5), 0],
      [idle(6000, 6), 1000],
      [idle(20, 0.05), 2000],
      [idle(120, 0.15), 3000],
    ]);
    expect(steps[2]).toEqual({ promptTps: 0, genTps: 0, served: 0 });
    expect(steps[3]?.genTps).toBeCloseTo(1000, 6);
    for (const s of steps) expect(s.genTps ?? 0).toBeGreaterThanOrEqual(0);
  });

  it('treats a clock going backwards as a fresh start', () => {
    const { steps } = run([
      [idle(100, 1), 10_000],
      [idle(200, 2), 5000],
    ]);
    expect(steps[1]?.genTps).toBe(0);
  });

  it('falls back to wall time when a build lacks the seconds counters', () => {
    const m = (t: number): LlamaMetrics => ({ tokensPredictedTotal: t, requestsProcessing: 0 });
    const { steps } = run([
      [m(0), 0],
      [m(500), 2000],
    ]);
    expect(steps[1]?.genTps).toBe(250);
    expect(steps[1]?.promptTps).toBeNull();
  });

  it('never divides by a vanishing seconds delta (found by fast-check)', () => {
    const { steps } = run([
      [idle(0, 0), 0],
      [idle(1e7, 5e-324), 1000],
    ]);
    expect(steps[1]?.genTps).toBe(1e7);
  });

  it('returns nulls for a scrape without any series', () => {
    const r = trackRates(undefined, {}, 0);
    expect([r.promptTps, r.genTps]).toEqual([null, null]);
  });

  it('keeps the window bounded', () => {
    let state: RateTrackerState | undefined;
    for (let i = 0; i < 2000; i += 1) state = trackRates(state, idle(i, i / 100), i * 10).state;
    expect(state?.samples.length).toBeLessThanOrEqual(512);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('trackRates properties', () => {
  it('never yields a negative, NaN or infinite rate, whatever the counters do', async () => {
    const fc = (await import('fast-check')).default;
    const counter = fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: undefined });
    const scrape = fc.record({
      promptTokensTotal: counter,
      promptSecondsTotal: counter,
      tokensPredictedTotal: counter,
      tokensPredictedSecondsTotal: counter,
      requestsProcessing: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
      requestsDeferred: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(scrape, fc.integer({ min: 0, max: 5000 })), { maxLength: 40 }), (steps) => {
        let state: RateTrackerState | undefined;
        let at = 0;
        for (const [m, dt] of steps) {
          at += dt;
          const r = trackRates(state, m, at);
          state = r.state;
          for (const v of [r.promptTps, r.genTps]) if (v !== null) expect(Number.isFinite(v) && v >= 0).toBe(true);
          expect(r.requestsServed ?? 0).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
