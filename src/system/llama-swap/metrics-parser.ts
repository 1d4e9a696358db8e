/**
 * A small strict parser of llama-server's Prometheus text (`/metrics`). Bad lines are skipped,
 * never thrown; labels are tolerated (the first sample of a name wins); every series is optional.
 */
import type { LlamaMetrics } from '../types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type ParsedMetrics = {
  readonly metrics: LlamaMetrics;
  /** Every `llamacpp:` sample seen, by name without the prefix (first sample per name). */
  readonly samples: ReadonlyMap<string, number>;
  /** Valid sample lines of any name. */
  readonly valid: number;
  /** Lines that were neither comments, blank, nor valid samples. */
  readonly skipped: number;
};

/** llama-server series name (without `llamacpp:`) → LlamaMetrics field. */
const FIELDS: Readonly<Record<string, keyof LlamaMetrics>> = {
  prompt_tokens_total: 'promptTokensTotal',
  prompt_seconds_total: 'promptSecondsTotal',
  tokens_predicted_total: 'tokensPredictedTotal',
  tokens_predicted_seconds_total: 'tokensPredictedSecondsTotal',
  n_decode_total: 'nDecodeTotal',
  prompt_tokens_seconds: 'promptTokensPerSecond',
  predicted_tokens_seconds: 'predictedTokensPerSecond',
  requests_processing: 'requestsProcessing',
  requests_deferred: 'requestsDeferred',
  kv_cache_usage_ratio: 'kvCacheUsageRatio',
  n_busy_slots_per_decode: 'busySlotsPerDecode',
};

const PREFIX = 'llamacpp:';
// name, optional {labels}, value, optional timestamp
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^}"\\]|"(?:[^"\\]|\\.)*")*\})?[ \t]+(\S+)(?:[ \t]+-?\d+)?[ \t]*$/;

/** A Prometheus sample value: a float, NaN, +Inf or -Inf; null when it is not one. */
export function parseValue(text: string): number | null {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    default:
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
      return Number(text);
  }
}

/** Parses the whole text; never throws. */
export function parseMetricsText(text: string): ParsedMetrics {
  const samples = new Map<string, number>();
  const out: Mutable<LlamaMetrics> = {};
  let skipped = 0;
  let valid = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    const value = m ? parseValue(m[3] ?? '') : null;
    if (!m || value === null) {
      skipped += 1;
      continue;
    }
    valid += 1;
    const name = m[1] ?? '';
    if (!name.startsWith(PREFIX)) continue;
    const short = name.slice(PREFIX.length);
    if (samples.has(short)) continue;
    samples.set(short, value);
    const field = FIELDS[short];
    // NaN and ±Inf say "unknown" for these figures: leave the series out.
    if (field !== undefined && Number.isFinite(value)) out[field] = value;
  }
  return { metrics: out, samples, valid, skipped };
}

/** The typed view only. */
export function parseMetrics(text: string): LlamaMetrics {
  return parseMetricsText(text).metrics;
}

/** Whether a body looks like Prometheus text at all (some sample or a HELP/TYPE line). */
export function looksLikePrometheus(text: string): boolean {
  const parsed = parseMetricsText(text);
  if (parsed.valid > 0) return true;
  return /^#\s*(HELP|TYPE)\s+\S+/m.test(text) && parsed.skipped === 0;
}
