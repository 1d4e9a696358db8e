import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMetrics } from '../../../src/system/llama-swap/metrics-parser.js';
import { RATE_WINDOW_MS, trackRates, type RateInput, type RateTrackerState } from '../../../src/system/llama-swap/metrics-rates.js';
import { parseSlots } from '../../../src/system/llama-swap/slots.js';
import type { LlamaMetrics, SlotProgress } from '../../../src/system/types.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
const REAL = path.join(FIXTURES, 'llama-server-0c1e570');
const OLD = path.join(FIXTURES, 'llama-server');
const read = (file: string): string => readFileSync(file, 'utf8');
/** A capture file's body: the lines after its `# request` / `# headers` preamble. */
const body = (text: string): string => text.split('\n').filter((l) => !l.startsWith('# GET') && !l.startsWith('# headers')).join('\n');

type Step = { promptTps: number | null; genTps: number | null; served: number | null };

function run(scrapes: readonly (readonly [RateInput, number])[], start?: RateTrackerState): { steps: Step[]; state: RateTrackerState | undefined } {
  let state = start;
  const steps: Step[] = [];
  for (const [input, at] of scrapes) {
    const r = trackRates(state, input, at);
    state = r.state;
    steps.push({ promptTps: r.promptTps, genTps: r.genTps, served: r.requestsServed });
  }
  return { steps, state };
}

/** /metrics as llama.cpp 0c1e570 reports it: `generated` finished tokens, `processing` slots busy. */
const metrics = (generated: number, processing: number, prompt = 100, extra: Partial<LlamaMetrics> = {}): LlamaMetrics => ({
  promptTokensTotal: prompt,
  promptSecondsTotal: prompt / 1000,
  tokensPredictedTotal: generated,
  tokensPredictedSecondsTotal: generated / 50,
  nDecodeTotal: generated + 10,
  busySlotsPerDecode: 1,
  requestsProcessing: processing,
  requestsDeferred: 0,
  ...extra,
});
const slot = (id: number, task: number, decoded: number, processing = true): SlotProgress => ({ id, task, processing, decoded });
const at = (m: LlamaMetrics, slots: readonly SlotProgress[] | null = null): RateInput => ({ metrics: m, slots });

describe('trackRates on a real llama-server 0c1e570 stream (captures, no /slots)', () => {
  // Six scrapes 0.2 s apart while one 400-token stream ran (metrics-during.txt).
  const blocks = read(path.join(REAL, 'metrics-during.txt')).split('##### t=').slice(1);
  const scrapes = blocks.map((b) => [at(parseMetrics(b)), Math.round(Number(b.split(' ')[0]) * 1000)] as const);
  // llama-server's own figure for that stream, from its final chunk's timings.
  const timings = /"predicted_per_second":([\d.]+)/.exec(read(path.join(REAL, 'chat-stream-long-last-chunks.sse')));
  const truth = Number(timings?.[1]);

  it('measures the live rate from n_decode_total while the counters stand still', () => {
    const { steps } = run(scrapes);
    // tokens_predicted_total is 252 in every block: a counter-only tracker would say 0 or hold an old figure.
    expect(new Set(scrapes.map(([s]) => s.metrics.tokensPredictedTotal))).toEqual(new Set([252]));
    expect(steps[0]?.genTps).toBeNull(); // first sight of a busy server: not measurable yet
    for (const s of steps.slice(1)) {
      // Each 0.2 s step against llama-server's own 335 t/s for the stream: within 15 %.
      expect(s.genTps).toBeGreaterThan(truth * 0.85);
      expect(s.genTps).toBeLessThan(truth * 1.15);
    }
    // Over the whole second, within 2 %.
    expect(Math.abs((steps[5]?.genTps ?? 0) / truth - 1)).toBeLessThan(0.02);
  });

  it('drops to 0 at the first scrape after the stream, and shows lifetime averages from the counters', () => {
    const after = parseMetrics(read(path.join(REAL, 'metrics-after-long.txt')));
    const last = scrapes[scrapes.length - 1]?.[1] ?? 0;
    const r = trackRates(run(scrapes).state, at(after), last + 300);
    expect(r.genTps).toBe(0);
    expect(r.promptTps).toBe(0);
    expect(r.lifetimeGenTps).toBeCloseTo((after.tokensPredictedTotal ?? 0) / (after.tokensPredictedSecondsTotal ?? 1), 9);
    expect(r.lifetimePromptTps).toBeCloseTo((after.promptTokensTotal ?? 0) / (after.promptSecondsTotal ?? 1), 9);
    // The per-scrape gauge said 335 here and 0 a moment later: neither is a lifetime figure.
    const again = parseMetrics(read(path.join(REAL, 'metrics-after-long-second-scrape.txt')));
    expect(again.predictedTokensPerSecond).toBe(0);
    expect(trackRates(r.state, at(again), last + 400).lifetimeGenTps).toBeCloseTo(r.lifetimeGenTps ?? 0, 9);
  });
});

describe('parseSlots on real captures', () => {
  it('reads the running task and its live token count (0c1e570, during)', () => {
    const slots = parseSlots(JSON.parse(body(read(path.join(REAL, 'slots-during.json.txt')))));
    expect(slots).toEqual([{ id: 0, task: 259, processing: true, decoded: 244 }]);
  });

  it('an idle slot after release reports 0 decoded in 0c1e570 and its last count in b9694', () => {
    const now = parseSlots(JSON.parse(body(read(path.join(REAL, 'slots-after.json.txt')))));
    expect(now?.[0]).toMatchObject({ processing: false, decoded: 0 });
    const old = parseSlots(JSON.parse(read(path.join(OLD, 'slots-final.json'))));
    expect(old?.[0]).toMatchObject({ processing: false, decoded: 1000 });
  });

  it('rejects what is not a slot list', () => {
    expect(parseSlots({ error: 'x' })).toBeNull();
    expect(parseSlots([{ nope: 1 }])).toBeNull();
  });
});

describe('trackRates on a real b9694 parallel run (6 requests on 4 slots, /metrics + /slots pairs)', () => {
  const pair = (n: number): RateInput => ({
    metrics: parseMetrics(read(path.join(OLD, 'busy', `metrics-busy-${n}.txt`))),
    slots: parseSlots(JSON.parse(read(path.join(OLD, 'busy', `slots-busy-${n}.json`)))),
  });
  // Replayed 1 s apart, as the plugin polls.
  const { steps } = run(Array.from({ length: 10 }, (_, i) => [pair(i + 1), 1000 * (i + 1)] as const));

  it('has no spike when four requests end at once (their 1,600 tokens move from /slots into the counter)', () => {
    const busy = steps.slice(1, 6).map((s) => s.genTps ?? Number.NaN);
    expect(busy.every((r) => r > 0)).toBe(true);
    // Step 5 is the one where tokens_predicted_total jumps 320 → 1920: no higher than the steps before.
    expect(busy[3]).toBeLessThanOrEqual(Math.max(...busy.slice(0, 3)));
    // A counter-only reading would have made that step 1,600 tokens in one second.
    expect(Math.max(...busy)).toBeLessThan(1000);
  });

  it('drops to 0 once nothing processes, and counts the six requests', () => {
    expect(steps.slice(6).map((s) => s.genTps)).toEqual([0, 0, 0, 0]);
    expect(steps.at(-1)?.served).toBe(6);
  });
});

describe('trackRates with /slots (exact generated tokens)', () => {
  it('counts the running tasks live and joins the counter without a spike when a request ends', () => {
    const { steps } = run([
      [at(metrics(0, 1), [slot(0, 1, 100)]), 1000],
      [at(metrics(0, 1), [slot(0, 1, 200)]), 2000],
      // Task 1 ended at 250 tokens (now in the counter); task 2 has 50 so far.
      [at(metrics(250, 1), [slot(0, 2, 50)]), 3000],
      [at(metrics(250, 1), [slot(0, 2, 150)]), 4000],
    ]);
    expect(steps.map((s) => s.genTps)).toEqual([null, 100, 100, 100]);
  });

  it('sums parallel slots and ignores idle slots that keep an old count (b9694)', () => {
    const { steps } = run([
      [at(metrics(0, 2), [slot(0, 1, 10), slot(1, 2, 10), slot(2, 0, 1000, false)]), 1000],
      [at(metrics(0, 2), [slot(0, 1, 40), slot(1, 2, 30), slot(2, 0, 1000, false)]), 2000],
    ]);
    expect(steps[1]?.genTps).toBe(50);
  });

  it('prefers /slots over the decode counters when both are there', () => {
    const { steps } = run([
      [at(metrics(0, 1, 100, { nDecodeTotal: 10 }), [slot(0, 1, 100)]), 1000],
      // 900 decodes (a prompt read in single-token batches, say) but only 100 tokens generated.
      [at(metrics(0, 1, 100, { nDecodeTotal: 910 }), [slot(0, 1, 200)]), 2000],
    ]);
    expect(steps[1]?.genTps).toBe(100);
  });

  it('says 0 as soon as a scrape shows nothing processing, whatever the window held', () => {
    const { steps } = run([
      [at(metrics(0, 1), [slot(0, 1, 100)]), 1000],
      [at(metrics(0, 1), [slot(0, 1, 300)]), 2000],
      [at(metrics(351, 0)), 2500],
    ]);
    expect(steps.map((s) => s.genTps)).toEqual([null, 200, 0]);
  });

  it('never measures from an idle scrape: the work started at an unknown moment after it', () => {
    for (const gap of [1_000, 60_000]) {
      const { steps } = run([
        [at(metrics(0, 0)), 0],
        [at(metrics(0, 1), [slot(0, 1, 100)]), gap],
        [at(metrics(0, 1), [slot(0, 1, 300)]), gap + 1000],
      ]);
      expect(steps.map((s) => s.genTps)).toEqual([0, null, 200]);
    }
  });

  it(`covers at most the last ${RATE_WINDOW_MS / 1000} s`, () => {
    const scrapes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => [at(metrics(0, 1), [slot(0, 1, i < 4 ? i * 1000 : 4000 + (i - 4) * 10)]), i * 1000] as const);
    const { steps } = run(scrapes);
    // Fast for 4 s, then 10 t/s: five seconds later the early burst is out of the window.
    expect(steps[8]?.genTps).toBeCloseTo((4040 - 3000) / 5, 9);
    expect(steps[9]?.genTps).toBe(10);
  });

  it('keeps measuring across a slow poll while the work ran through it (one-shot runs)', () => {
    const { steps } = run([
      [at(metrics(0, 1), [slot(0, 1, 100)]), 0],
      [at(metrics(0, 1), [slot(0, 1, 2100)]), 20_000],
    ]);
    expect(steps[1]?.genTps).toBe(100);
  });

  it('uses the decode counters for a scrape whose /slots was not consistent (null)', () => {
    const { steps } = run([
      [at(metrics(0, 1, 100, { nDecodeTotal: 1000 }), [slot(0, 1, 100)]), 0],
      [at(metrics(0, 1, 100, { nDecodeTotal: 1300 }), null), 1000],
    ]);
    expect(steps[1]?.genTps).toBe(300);
  });

  it('prompt rate: prompt tokens read per second of wall time while busy', () => {
    const { steps } = run([
      [at(metrics(0, 1, 1000), [slot(0, 1, 0)]), 0],
      [at(metrics(0, 1, 1800), [slot(0, 1, 0)]), 2000],
    ]);
    expect(steps[1]?.promptTps).toBe(400);
    expect(steps[1]?.genTps).toBe(0);
  });
});

describe('trackRates lifetimes and resets', () => {
  it('restarts cleanly when counters go down (model restarted): never negative or absurd', () => {
    const { steps } = run([
      [at(metrics(5000, 1), [slot(0, 1, 10)]), 0],
      [at(metrics(6000, 1), [slot(0, 2, 10)]), 1000],
      [at(metrics(20, 1), [slot(0, 1, 10)]), 2000],
      [at(metrics(20, 1), [slot(0, 1, 110)]), 3000],
    ]);
    expect(steps[2]).toEqual({ promptTps: null, genTps: null, served: 0 });
    expect(steps[3]?.genTps).toBe(100);
  });

  it('treats a clock going backwards as a fresh start', () => {
    const { steps } = run([
      [at(metrics(0, 1), [slot(0, 1, 10)]), 10_000],
      [at(metrics(0, 1), [slot(0, 1, 20)]), 5000],
    ]);
    expect(steps[1]?.genTps).toBeNull();
  });

  it('starts afresh from a state of an older version (rates.json of an earlier run)', () => {
    const old = { samples: [{ atMs: 0, genTokens: 1 }], lastPromptTps: 5, lastGenTps: 5, served: 3, inSystem: 0 } as unknown as RateTrackerState;
    const r = trackRates(old, at(metrics(10, 0)), 1000);
    expect(r.requestsServed).toBe(0);
    expect(r.state.v).toBe(2);
  });

  it('leaves out what a server does not report (no counters: no lifetime, no rate)', () => {
    const r = trackRates(undefined, at({ requestsProcessing: 0 }), 0);
    expect([r.promptTps, r.genTps, r.lifetimeGenTps, r.lifetimePromptTps]).toEqual([null, null, null, null]);
  });

  it('counts finished requests from the falling in-flight gauge (b9694 busy capture: 6 requests)', () => {
    const busy = (n: number) => parseMetrics(read(path.join(OLD, 'busy', `metrics-busy-${n}.txt`)));
    const { steps } = run(Array.from({ length: 10 }, (_, i) => [at(busy(i + 1)), 1000 * (i + 1)] as const));
    expect(steps.map((s) => s.served)).toEqual([0, 0, 0, 0, 4, 4, 6, 6, 6, 6]);
  });

  it('keeps the window bounded and JSON-safe', () => {
    let state: RateTrackerState | undefined;
    for (let i = 0; i < 2000; i += 1) state = trackRates(state, at(metrics(i, 1), [slot(0, 1, i)]), i * 10).state;
    expect(state?.samples.length).toBeLessThanOrEqual(64);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('trackRates properties', () => {
  it('never yields a negative, NaN or infinite rate, whatever the counters and slots do', async () => {
    const fc = (await import('fast-check')).default;
    const counter = fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: undefined });
    const scrape = fc.record({
      metrics: fc.record({
        promptTokensTotal: counter,
        promptSecondsTotal: counter,
        tokensPredictedTotal: counter,
        tokensPredictedSecondsTotal: counter,
        nDecodeTotal: counter,
        busySlotsPerDecode: counter,
        requestsProcessing: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
        requestsDeferred: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
      }),
      slots: fc.option(fc.array(fc.record({ id: fc.nat(4), task: fc.option(fc.nat(9), { nil: null }), processing: fc.boolean(), decoded: fc.nat(1e6) }), { maxLength: 4 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(scrape, fc.integer({ min: 0, max: 5000 })), { maxLength: 40 }), (steps) => {
        let state: RateTrackerState | undefined;
        let t = 0;
        for (const [input, dt] of steps) {
          t += dt;
          const r = trackRates(state, input, t);
          state = r.state;
          for (const v of [r.promptTps, r.genTps, r.lifetimeGenTps, r.lifetimePromptTps]) if (v !== null) expect(Number.isFinite(v) && v >= 0).toBe(true);
          expect(r.requestsServed ?? 0).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
