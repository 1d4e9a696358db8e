/**
 * Joins two histories of the same llama-swap sample by sample (by time; ours wins a tie), for
 * two plugins saving to one cache folder: each save merges the file's samples with its own, so
 * neither plugin's samples are lost to the other's write. The newest `capacity` are kept.
 */
import { History, snapshotSamples, type HistorySample, type HistorySnapshot } from './history.js';

export function mergeHistories(theirs: HistorySnapshot, ours: HistorySnapshot): HistorySnapshot {
  if (theirs.times.length === 0) return ours;
  const byTime = new Map<number, HistorySample>();
  for (const sample of snapshotSamples(theirs)) byTime.set(sample.at, sample);
  for (const sample of snapshotSamples(ours)) byTime.set(sample.at, sample);
  // The gaps are already samples of either side: adding more at each save would pile them up.
  const merged = new History({ capacity: ours.capacity, gapMs: Number.POSITIVE_INFINITY });
  for (const sample of [...byTime.values()].sort((a, b) => a.at - b.at)) merged.record(sample);
  return merged.snapshot();
}
