/**
 * Host figures: llama-swap's /api/performance when it answers (it describes the machine that
 * runs the models), else this machine's; per-process figures on a slower interval.
 */
import useSWR from 'swr';
import type { HostStats } from '../system/types.js';
import type { ProcessView } from './model/menu-input.js';
import type { PollSources } from './polling/poll-sources.js';
import { KEY_ROOT } from './use-llama-swap.js';

export type HostData = {
  readonly host: HostStats | null;
  readonly processes: ProcessView | null;
};

/** Polls host figures every `hostMs` and process figures every `processMs`. */
export function useHostStats(sources: PollSources): HostData {
  const host = useSWR([KEY_ROOT, 'host'], () => sources.host(), { refreshInterval: sources.timings.hostMs });
  // Result unused: a refreshed GPU list shows up in the next host figures.
  useSWR([KEY_ROOT, 'gpus'], () => sources.gpus(), { refreshInterval: sources.timings.gpuMs });
  const processes = useSWR([KEY_ROOT, 'processes'], () => sources.processes(), { refreshInterval: sources.timings.processMs });
  return { host: host.data?.value ?? null, processes: processes.data?.value ?? null };
}
