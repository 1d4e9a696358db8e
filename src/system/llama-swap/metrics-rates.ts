/**
 * Live tokens/s from what llama-server really reports (see metrics-rates.md). Pure: state in,
 * state out, JSON-safe so one-shot runs carry it between runs.
 *
 * llama.cpp 0c1e570 facts this rests on (tools/server/server-context.cpp, server-task.cpp):
 * - `tokens_predicted_total` moves only when a request ends (slot release);
 * - `/slots` `next_token[0].n_decoded` counts the running task's tokens live, and a released
 *   slot reports 0 (older builds keep the last count, so only processing slots are summed);
 * - `prompt_tokens_total` moves per prompt batch;
 * - `n_decode_total` x `n_busy_slots_per_decode` counts slot-decodes live (a fallback without /slots);
 * - the `*_tokens_seconds` gauges cover only the time since the previous scrape: never used here.
 */
import type { LlamaMetrics, SlotProgress } from '../types.js';

/** One scrape: /metrics, and /slots when it was read consistently with it. */
export type RateInput = {
  readonly metrics: LlamaMetrics;
  /** null: not read (nothing processing), not supported, or read across a request's end. */
  readonly slots: readonly SlotProgress[] | null;
};

/** One scrape as kept in the window. */
type Sample = {
  readonly at: number;
  /** prompt_tokens_total. */
  readonly prompt: number | null;
  /** Tokens generated so far, the running tasks' included: tokens_predicted_total + Σ n_decoded. */
  readonly exact: number | null;
  /** Slot-decodes so far: n_decode_total × n_busy_slots_per_decode (≈ tokens, prompt batches included). */
  readonly decodes: number | null;
  /** Requests processing or waiting at this scrape. */
  readonly busy: boolean;
  /** Counters that only grow while the process lives (a fall means a new process). */
  readonly generated: number | null;
  readonly nDecode: number | null;
};

/** What trackRates carries from one scrape to the next. */
export type RateTrackerState = {
  readonly v: 2;
  readonly samples: readonly Sample[];
  /** Requests seen finishing since this process was first scraped (a lower bound). */
  readonly served: number;
  /** requests_processing + requests_deferred at the previous scrape. */
  readonly inSystem: number | null;
};

export type RateResult = {
  readonly state: RateTrackerState;
  /** Live rates over the last few seconds; 0 when nothing is processing; null when not measurable yet. */
  readonly promptTps: number | null;
  readonly genTps: number | null;
  readonly requestsServed: number | null;
  /** Averages since the server started, from its counters (tokens over the server's own seconds). */
  readonly lifetimePromptTps: number | null;
  readonly lifetimeGenTps: number | null;
};

/** The tracker function type (matches the hooks' RateTracker). */
export type RateTracker = (prev: RateTrackerState | undefined, scrape: RateInput, atMs: number) => RateResult;

/** Live rates cover at most this much of the recent past. */
export const RATE_WINDOW_MS = 5_000;
/** Shortest span a rate is computed over (two scrapes closer than this say little). */
const MIN_SPAN_MS = 100;
/** A busy scrape further back than the window still serves as the base up to this age (slow polls, one-shot runs). */
const MAX_BUSY_BASE_MS = 60_000;
const MAX_SAMPLES = 64;

const num = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) && v >= 0 ? v : null);

function sampleOf({ metrics: m, slots }: RateInput, at: number): Sample {
  const processing = num(m.requestsProcessing);
  const deferred = num(m.requestsDeferred);
  const slotBusy = slots?.some((s) => s.processing) ?? false;
  const busy = (processing ?? 0) + (deferred ?? 0) > 0 || slotBusy;
  const generated = num(m.tokensPredictedTotal);
  const nDecode = num(m.nDecodeTotal);
  // Idle (nothing processing): every finished token is in the counter already, /slots adds nothing.
  const running = slots === null ? (processing === 0 ? 0 : null) : slots.reduce((sum, s) => sum + (s.processing ? s.decoded : 0), 0);
  const perDecode = num(m.busySlotsPerDecode);
  return {
    at,
    prompt: num(m.promptTokensTotal),
    exact: generated !== null && running !== null ? generated + running : null,
    // Builds without the ratio (older than b9694's) ran one slot per decode as far as we can tell.
    decodes: nDecode !== null ? nDecode * (perDecode ?? 1) : null,
    busy,
    generated,
    nDecode,
  };
}

/** A counter fell or appeared/disappeared: the model's process was restarted or swapped. */
function isReset(prev: Sample, cur: Sample): boolean {
  return (['prompt', 'generated', 'nDecode'] as const).some((k) => {
    const a = prev[k];
    const b = cur[k];
    return (a === null) !== (b === null) || (a !== null && b !== null && b < a);
  });
}

/**
 * The scrape the live rate is measured from, or null when none says anything about now. Only a
 * busy scrape: after an idle one, the work started at some unknown moment in between, and the
 * idle time would dilute the rate (a burst spread over the whole gap).
 */
function baseOf(samples: readonly Sample[], cur: Sample): Sample | null {
  const earlier = samples.filter((s) => s.busy && s.at <= cur.at - MIN_SPAN_MS);
  const inWindow = earlier.find((s) => s.at >= cur.at - RATE_WINDOW_MS);
  if (inWindow) return inWindow;
  // Older than the window: the work ran through the gap (slow polls, one-shot runs).
  const last = earlier[earlier.length - 1];
  return last !== undefined && cur.at - last.at <= MAX_BUSY_BASE_MS ? last : null;
}

function perSecond(a: number | null, b: number | null, ms: number): number | null {
  if (a === null || b === null || ms <= 0) return null;
  const r = (Math.max(0, b - a) * 1000) / ms;
  return Number.isFinite(r) ? r : null;
}

function generationRate(base: Sample, cur: Sample): number | null {
  const ms = cur.at - base.at;
  return perSecond(base.exact, cur.exact, ms) ?? perSecond(base.decodes, cur.decodes, ms);
}

function ratio(tokens: number | undefined, seconds: number | undefined): number | null {
  const t = num(tokens);
  const s = num(seconds);
  const r = t !== null && s !== null && t > 0 && s > 0 ? t / s : null;
  return r !== null && Number.isFinite(r) ? r : null;
}

function isState(value: unknown): value is RateTrackerState {
  return typeof value === 'object' && value !== null && (value as { v?: unknown }).v === 2 && Array.isArray((value as { samples?: unknown }).samples);
}

/** Folds one scrape into the state and returns the rates to show. */
export const trackRates: RateTracker = (prevIn, scrape, atMs) => {
  // A state from an older version (a rates.json of an earlier run) starts afresh.
  const prev = isState(prevIn) ? prevIn : undefined;
  const cur = sampleOf(scrape, atMs);
  const m = scrape.metrics;
  const processing = num(m.requestsProcessing);
  const deferred = num(m.requestsDeferred);
  const inSystem = processing === null && deferred === null ? null : (processing ?? 0) + (deferred ?? 0);
  const lifetime = {
    lifetimePromptTps: ratio(m.promptTokensTotal, m.promptSecondsTotal),
    lifetimeGenTps: ratio(m.tokensPredictedTotal, m.tokensPredictedSecondsTotal),
  };
  const last = prev?.samples[prev.samples.length - 1];
  const idle = (v: number | null): number | null => (v === null ? null : 0);

  if (prev === undefined || last === undefined || isReset(last, cur) || atMs < last.at) {
    const state: RateTrackerState = { v: 2, samples: [cur], served: 0, inSystem };
    // First sight of this process: idle means 0; busy means not measurable yet.
    return { state, promptTps: cur.busy ? null : idle(cur.prompt), genTps: cur.busy ? null : idle(cur.generated), requestsServed: 0, ...lifetime };
  }

  // Finished requests: the drop of in-flight work, or at least one when the counter moved.
  const drop = prev.inSystem !== null && inSystem !== null ? Math.max(0, prev.inSystem - inSystem) : 0;
  const moved = (cur.generated ?? 0) > (last.generated ?? 0);
  const served = prev.served + Math.max(drop, moved ? 1 : 0);

  const samples = [...prev.samples.filter((s) => s.at >= atMs - MAX_BUSY_BASE_MS), cur].slice(-MAX_SAMPLES);
  const state: RateTrackerState = { v: 2, samples, served, inSystem };
  if (!cur.busy) return { state, promptTps: idle(cur.prompt), genTps: idle(cur.generated), requestsServed: served, ...lifetime };
  const base = baseOf(samples, cur);
  return {
    state,
    promptTps: base === null ? null : perSecond(base.prompt, cur.prompt, cur.at - base.at),
    genTps: base === null ? null : generationRate(base, cur),
    requestsServed: served,
    ...lifetime,
  };
};
