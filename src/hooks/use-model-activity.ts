/**
 * llama-swap's activity figures (served count, tokens, last request speed, p50/p95) of the models
 * that are loaded. Revalidated by the event stream's `activity` event, polled without it.
 */
import useSWR from 'swr';
import type { Result, RunningModel } from '../system/types.js';
import type { ModelActivityEntry } from './model/menu-input.js';
import { liveModels } from './model/menu-model.js';
import type { PollSources, Stamped } from './polling/poll-sources.js';
import { KEY_ROOT } from './use-llama-swap.js';

export function useModelActivity(
  sources: PollSources,
  running: Stamped<Result<readonly RunningModel[]>> | undefined,
): Readonly<Record<string, ModelActivityEntry>> | null {
  const ids = running?.value.ok ? liveModels(running.value.value).map((m) => m.id).sort() : [];
  const { data } = useSWR(ids.length > 0 ? [KEY_ROOT, 'activity', ...ids] : null, () => sources.activity(ids), {
    refreshInterval: sources.runningDelay,
    keepPreviousData: true,
  });
  return data?.value ?? null;
}
