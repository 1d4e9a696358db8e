/** Window statistics beside each chart (pure; components and hooks both use it). */
import type { Series, SeriesStats } from './model.js';

/** Latest / min / average / max of a series ignoring NaN gaps; null when it has no number. */
export function seriesStats(series: Series): SeriesStats {
  let latest = Number.NaN;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  for (const value of series) {
    if (!Number.isFinite(value)) continue;
    latest = value;
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
    count += 1;
  }
  if (count === 0) return null;
  return { latest, min, avg: sum / count, max };
}
