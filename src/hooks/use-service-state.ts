/** Detects the service layers on a slow interval (and at once after a menu action). */
import useSWR from 'swr';
import type { ServiceView } from '../system/types.js';
import type { PollSources } from './polling/poll-sources.js';
import { KEY_ROOT } from './use-llama-swap.js';

/** The latest service view; null until the first detection finished. */
export function useServiceState(sources: PollSources): ServiceView | null {
  const { data } = useSWR([KEY_ROOT, 'service'], () => sources.service(), { refreshInterval: sources.timings.serviceMs });
  return data?.value ?? null;
}
