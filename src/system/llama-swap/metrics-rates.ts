/**
 * Honest, stable tokens/s from llama-server's counters, which move only when a request
 * finishes (see metrics-rates.md). Pure: state in, state out.
 */
import type { LlamaMetrics } from '../types.js';

/** One scrape's counters, as kept in the window. */
type Sample = {
  readonly atMs: number;
  readonly promptTokens: number | null;
  readonly promptSeconds: number | null;
  readonly genTokens: number | null;
  readonly genSeconds: number | null;
};

/** What trackRates carries from one scrape to the next (plain data, JSON-safe). */
export type RateTrackerState = {
  readonly samples: readonly Sample[];
  /** Last positive figures, held while a request runs and nothing has finished in the window. */
  readonly lastPromptTps: number | null;
  readonly lastGenTps: number | null;
  /** Requests seen finishing since this process was first scraped (a lower bound). */
  readonly served: number;
  /** requests_processing + requests_deferred at the previous scrape. */
  readonly inSystem: number | null;
};

export type RateResult = {
  readonly state: RateTrackerState;
  readonly promptTps: number | null;
  readonly genTps: number | null;
  readonly requestsServed: number | null;
};

/** The tracker function type (matches the hooks' RateTracker). */
export type RateTracker = (prev: RateTrackerState | undefined, scrape: LlamaMetrics, atMs: number) => RateResult;

/** Sliding window over which rates are computed. */
export const RATE_WINDOW_MS = 30_000;
const MAX_SAMPLES = 512;

const num = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) && v >= 0 ? v : null);

function sampleOf(m: LlamaMetrics, atMs: number): Sample {
  return {
    atMs,
    promptTokens: num(m.promptTokensTotal),
    promptSeconds: num(m.promptSecondsTotal),
    genTokens: num(m.tokensPredictedTotal),
    genSeconds: num(m.tokensPredictedSecondsTotal),
  };
}

const KEYS = ['promptTokens', 'promptSeconds', 'genTokens', 'genSeconds'] as const;

/** A counter went down, or appeared/disappeared: the model's process was restarted or swapped. */
function isReset(prev: Sample, cur: Sample): boolean {
  return KEYS.some((k) => {
    const a = prev[k];
    const b = cur[k];
    return (a === null) !== (b === null) || (a !== null && b !== null && b < a);
  });
}

/** Tokens per second between two samples; null when unknown, 0 when nothing finished. */
function rate(base: Sample, cur: Sample, tokens: 'promptTokens' | 'genTokens', seconds: 'promptSeconds' | 'genSeconds'): number | null {
  const t0 = base[tokens];
  const t1 = cur[tokens];
  if (t0 === null || t1 === null) return null;
  const dTokens = t1 - t0;
  if (dTokens <= 0) return 0;
  const s0 = base[seconds];
  const s1 = cur[seconds];
  // Server-measured time of those same requests: moves together with the tokens, so no spikes.
  if (s0 !== null && s1 !== null && s1 - s0 > 0) {
    const r = dTokens / (s1 - s0);
    if (Number.isFinite(r)) return r;
  }
  // Builds without the seconds counters: wall time over the window instead.
  const wall = (cur.atMs - base.atMs) / 1000;
  const r = wall > 0 ? dTokens / wall : Number.NaN;
  return Number.isFinite(r) ? r : null;
}

/** The window's baseline: the newest sample at least RATE_WINDOW_MS old, else the oldest one. */
function windowed(samples: readonly Sample[], atMs: number): Sample[] {
  const start = atMs - RATE_WINDOW_MS;
  let first = 0;
  for (let i = 0; i < samples.length; i += 1) if ((samples[i]?.atMs ?? 0) <= start) first = i;
  return samples.slice(first).slice(-MAX_SAMPLES);
}

function shown(r: number | null, held: number | null, busy: boolean): number | null {
  // Nothing finished in the window: hold the last figure while work is in flight, else idle → 0.
  if (r === 0 && busy) return held;
  return r;
}

/** Folds one scrape into the state and returns the rates to show. */
export const trackRates: RateTracker = (prev, scrape, atMs) => {
  const cur = sampleOf(scrape, atMs);
  const processing = num(scrape.requestsProcessing);
  const deferred = num(scrape.requestsDeferred);
  const inSystem = processing === null && deferred === null ? null : (processing ?? 0) + (deferred ?? 0);
  const busy = (inSystem ?? 0) > 0;
  const last = prev?.samples[prev.samples.length - 1];

  if (prev === undefined || last === undefined || isReset(last, cur) || atMs < last.atMs) {
    const state: RateTrackerState = { samples: [cur], lastPromptTps: null, lastGenTps: null, served: 0, inSystem };
    // A fresh process (or first sight): nothing measured yet; idle means 0, busy means unknown.
    const first = busy ? null : 0;
    return { state, promptTps: cur.promptTokens === null ? null : first, genTps: cur.genTokens === null ? null : first, requestsServed: 0 };
  }

  // Finished requests: the drop of in-flight work, or at least one when a counter moved.
  const drop = prev.inSystem !== null && inSystem !== null ? Math.max(0, prev.inSystem - inSystem) : 0;
  const moved = (cur.genTokens ?? 0) > (last.genTokens ?? 0) || (cur.promptTokens ?? 0) > (last.promptTokens ?? 0);
  const served = prev.served + Math.max(drop, moved ? 1 : 0);

  const samples = windowed([...prev.samples, cur], atMs);
  const base = samples[0] ?? cur;
  const promptTps = shown(rate(base, cur, 'promptTokens', 'promptSeconds'), prev.lastPromptTps, busy);
  const genTps = shown(rate(base, cur, 'genTokens', 'genSeconds'), prev.lastGenTps, busy);
  const state: RateTrackerState = {
    samples,
    lastPromptTps: promptTps !== null && promptTps > 0 ? promptTps : prev.lastPromptTps,
    lastGenTps: genTps !== null && genTps > 0 ? genTps : prev.lastGenTps,
    served,
    inSystem,
  };
  return { state, promptTps, genTps, requestsServed: served };
};
