/**
 * This computer's own figures for the menu of several hosts, read once for all of them (each
 * host's section shows its llama-swap's /api/performance instead). Render under MenuDataProvider.
 */
import { useMemo } from 'react';
import useSWR from 'swr';
import type { SystemView } from '../components/model.js';
import type { HostStats } from '../system/types.js';

const NO_HISTORY: SystemView['history'] = { cpuPercent: [], memUsedBytes: [], gpuUtilPercent: [], gpuMemUsedBytes: [] };

/** The figures as the System section shows them (no charts: the hosts' sections carry those). */
export function thisComputerView(stats: HostStats | null): SystemView | null {
  if (stats === null) return null;
  const gpu = stats.gpus[0];
  return {
    source: 'local',
    cpuPercent: stats.cpuPercent,
    cpuPerCore: stats.cpuPerCore,
    memUsedBytes: stats.memUsedBytes,
    memTotalBytes: stats.memTotalBytes,
    swapUsedBytes: stats.swapUsedBytes,
    swapTotalBytes: stats.swapTotalBytes,
    gpu: gpu ? { name: gpu.name.slice(0, 80), utilPercent: gpu.utilPercent, memUsedBytes: gpu.memUsedBytes, memTotalBytes: gpu.memTotalBytes } : null,
    llamaSwapProcess: null,
    history: NO_HISTORY,
  };
}

/** Polls `read` every `refreshMs`; null until the first answer or when unavailable. */
export function useThisComputer(read: () => Promise<HostStats | null>, refreshMs: number): SystemView | null {
  const { data } = useSWR(['this-computer'], () => read().catch(() => null), { refreshInterval: refreshMs });
  // One view object per answer: the menu redraws when the figures change, not on every render.
  return useMemo(() => thisComputerView(data ?? null), [data]);
}
