/**
 * Whether two history snapshots draw the same charts, judged without the drawing code: every
 * series is flat at the same value in both (a sliding window of a flat series is the same line,
 * whatever its length, except that a single sample is drawn as a dash). Anything else counts as
 * a change, so this errs towards redrawing. Pure.
 */
import { MODEL_SERIES, SYSTEM_SERIES, type HistorySample, type HistorySnapshot } from './history.js';

function sameFlat(a: readonly number[], b: readonly number[]): boolean {
  if (a.length === 0 || b.length === 0) return a.length === b.length;
  if ((a.length === 1) !== (b.length === 1)) return false;
  const v = a[0];
  for (const x of a) if (!Object.is(x, v)) return false;
  for (const x of b) if (!Object.is(x, v)) return false;
  return true;
}

/** True when every chart of `next` would look exactly like the same chart of `prev`. */
export function samePicture(prev: HistorySnapshot, next: HistorySnapshot): boolean {
  if (prev.capacity !== next.capacity) return false;
  const ids = Object.keys(next.models);
  if (ids.length !== Object.keys(prev.models).length) return false;
  for (const name of SYSTEM_SERIES) if (!sameFlat(prev.system[name], next.system[name])) return false;
  for (const id of ids) {
    const a = prev.models[id];
    const b = next.models[id];
    if (a === undefined || b === undefined) return false;
    for (const name of MODEL_SERIES) if (!sameFlat(a[name], b[name])) return false;
  }
  return true;
}

const value = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);

/** True when the system figures of `sample` are exactly those of the newest sample in `snapshot`. */
export function sameSystemAsLast(snapshot: HistorySnapshot, sample: HistorySample): boolean {
  const last = snapshot.times.length - 1;
  if (last < 0) return false;
  for (const name of SYSTEM_SERIES) if (!Object.is(snapshot.system[name][last], value(sample.system?.[name]))) return false;
  return true;
}

/** True when the model figures of `sample` are exactly those of the newest sample in `snapshot` (same models too). */
export function sameModelsAsLast(snapshot: HistorySnapshot, sample: HistorySample): boolean {
  const last = snapshot.times.length - 1;
  if (last < 0) return false;
  for (const id of Object.keys(sample.models)) if (!(id in snapshot.models)) return false;
  for (const [id, series] of Object.entries(snapshot.models)) {
    const m = sample.models[id];
    for (const name of MODEL_SERIES) if (!Object.is(series[name][last], value(m?.[name]))) return false;
  }
  return true;
}
