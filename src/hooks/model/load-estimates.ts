/**
 * Past load durations per model (kept in the cache folder as `load-times.json`) and the estimate
 * they give: the median of the last few loads. Bounded: LOADS_KEPT per model, MODELS_KEPT models
 * (the least recently loaded go first).
 */

/** Durations in milliseconds, oldest first, by model id; insertion order is recency. */
export type LoadTimes = ReadonlyMap<string, readonly number[]>;

export const LOADS_KEPT = 5;
export const MODELS_KEPT = 100;

export function recordLoad(times: LoadTimes, id: string, ms: number): LoadTimes {
  if (!Number.isFinite(ms) || ms < 0) return times;
  const next = new Map(times);
  const past = next.get(id) ?? [];
  next.delete(id);
  next.set(id, [...past, Math.round(ms)].slice(-LOADS_KEPT));
  while (next.size > MODELS_KEPT) {
    const oldest = next.keys().next().value;
    if (oldest === undefined) break;
    next.delete(oldest);
  }
  return next;
}

/** The median of the model's recorded loads, null when none. */
export function estimateLoadMs(times: LoadTimes, id: string): number | null {
  const past = times.get(id);
  if (past === undefined || past.length === 0) return null;
  const sorted = [...past].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The file's content: `{ "version": 1, "models": { id: [ms…] } }`. */
export function serializeLoadTimes(times: LoadTimes): string {
  return `${JSON.stringify({ version: 1, models: Object.fromEntries(times) })}\n`;
}

/** Reads the file's content; anything malformed gives what could be kept (never throws). */
export function parseLoadTimes(text: string): LoadTimes {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return new Map();
  }
  const models = (data as { models?: unknown } | null)?.models;
  if (typeof models !== 'object' || models === null || (data as { version?: unknown }).version !== 1) return new Map();
  let out: LoadTimes = new Map();
  for (const [id, list] of Object.entries(models as Record<string, unknown>).slice(-MODELS_KEPT)) {
    if (!Array.isArray(list)) continue;
    for (const ms of list.slice(-LOADS_KEPT)) if (typeof ms === 'number') out = recordLoad(out, id, ms);
  }
  return out;
}
