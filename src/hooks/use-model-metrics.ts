/**
 * Polls `/upstream/<id>/metrics` of ready models only. The key lists the ready ids of the latest
 * /running answer, and the fetcher checks each id again right before its request, because a
 * request under /upstream/ loads a model that is not running.
 * llama-swap counts every proxied request (these scrapes too) as use of the model, so idle models
 * are left alone: which ones are scraped is decided in polling/metrics-source.ts.
 */
import { useMemo } from 'react';
import useSWR from 'swr';
import type { Result, RunningModel } from '../system/types.js';
import { readyIds } from './model/menu-model.js';
import type { ModelMetricsEntry } from './model/menu-input.js';
import type { PollSources, Stamped } from './polling/poll-sources.js';
import { KEY_ROOT } from './use-llama-swap.js';

export { readyIds };

const NONE: Readonly<Record<string, ModelMetricsEntry>> = {};

/** Latest metrics entry per ready model (rates computed from consecutive scrapes). */
export function useModelMetrics(
  sources: PollSources,
  running: Stamped<Result<readonly RunningModel[]>> | undefined,
): Readonly<Record<string, ModelMetricsEntry>> {
  const ids = readyIds(running?.value);
  const { data } = useSWR(ids.length > 0 ? [KEY_ROOT, 'metrics', ...ids] : null, () => sources.metrics(ids), {
    refreshInterval: sources.fastDelay,
    // While the ready set changes, keep showing the previous figures instead of blanks.
    keepPreviousData: true,
  });
  const idsKey = ids.join('\n');
  // The same object while the scrape answers and the ready set stay the same (no model rebuild).
  return useMemo(() => {
    if (idsKey === '' || !data) return NONE;
    const out: Record<string, ModelMetricsEntry> = {};
    for (const id of idsKey.split('\n')) {
      const entry = data.value[id];
      if (entry) out[id] = entry;
    }
    return out;
  }, [data, idsKey]);
}
