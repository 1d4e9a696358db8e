/**
 * Figures of this machine (CPU, memory, swap, GPUs) through systeminformation (injectable, so
 * tests never depend on the host). The cheap and the expensive call are separate functions; the
 * intended intervals are in LOCAL_STATS_INTERVALS. Process figures: known-processes.ts.
 */
import os from 'node:os';
import type { GpuSample, HostStats } from '../types.js';

/** The parts of systeminformation used here (structural, so tests pass plain objects). */
export type SysInfoLike = {
  mem(): Promise<{ readonly total: number; readonly active: number; readonly swaptotal: number; readonly swapused: number }>;
  graphics(): Promise<{
    readonly controllers: readonly {
      readonly model: string;
      readonly name?: string;
      readonly vram: number | null;
      readonly memoryUsed?: number;
      readonly memoryTotal?: number;
      readonly utilizationGpu?: number;
      readonly temperatureGpu?: number;
      readonly powerDraw?: number;
    }[];
  }>;
};

export type LocalStatsDeps = {
  /** Loaded lazily from `systeminformation` when omitted. */
  readonly si?: SysInfoLike;
  readonly cpus?: () => readonly os.CpuInfo[];
  readonly loadavg?: () => readonly number[];
  readonly now?: () => number;
};

export type LocalStats = {
  /** Cheap (os.cpus() deltas + si.mem(): under 1 ms measured, first call ~2 ms): CPU since the previous call, memory, swap, last GPU list. */
  hostStats(): Promise<HostStats | null>;
  /** Expensive (si.graphics(): ~10 ms on Linux, runs system_profiler on macOS, up to seconds): refreshes the GPU list hostStats reports. */
  refreshGpus(): Promise<readonly GpuSample[]>;
};

/** Intended polling intervals (ms) for the two calls. */
export const LOCAL_STATS_INTERVALS = { hostStats: 3000, refreshGpus: 60_000 } as const;

type CpuTimes = { readonly busy: number; readonly total: number };

function times(cpus: readonly os.CpuInfo[]): CpuTimes[] {
  return cpus.map((c) => {
    const t = c.times;
    const total = t.user + t.nice + t.sys + t.idle + t.irq;
    return { busy: total - t.idle, total };
  });
}

/** Per-core busy percent between two snapshots (since boot when there is no previous one). */
export function cpuPercents(prev: readonly CpuTimes[] | null, cur: readonly CpuTimes[]): number[] {
  return cur.map((c, i) => {
    const p = prev !== null && prev.length === cur.length ? prev[i] : undefined;
    const dTotal = c.total - (p?.total ?? 0);
    const dBusy = c.busy - (p?.busy ?? 0);
    if (!(dTotal > 0)) return 0;
    return Math.min(100, Math.max(0, (dBusy / dTotal) * 100));
  });
}

const finite = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);
const mbToBytes = (n: number | null | undefined): number | null => {
  const v = finite(n);
  return v === null ? null : Math.round(v * 1024 * 1024);
};

export { modelPort } from './model-port.js';

/** Creates the local figure sources; keeps only the previous CPU snapshot and GPU list as state. */
export function createLocalStats(deps: LocalStatsDeps = {}): LocalStats {
  const cpus = deps.cpus ?? os.cpus;
  const loadavg = deps.loadavg ?? os.loadavg;
  const now = deps.now ?? Date.now;
  let si: Promise<SysInfoLike> | null = deps.si === undefined ? null : Promise.resolve(deps.si);
  const getSi = (): Promise<SysInfoLike> => (si ??= import('systeminformation').then((m) => m.default as SysInfoLike));
  let prevCpu: CpuTimes[] | null = null;
  let gpus: readonly GpuSample[] = [];

  return {
    async hostStats() {
      try {
        const cur = times(cpus());
        const perCore = cpuPercents(prevCpu, cur);
        prevCpu = cur;
        const mem = await (await getSi()).mem();
        const load = loadavg()[0];
        return {
          source: 'local',
          timestamp: now(),
          cpuPercent: perCore.length === 0 ? 0 : perCore.reduce((a, b) => a + b, 0) / perCore.length,
          cpuPerCore: perCore,
          memUsedBytes: mem.active,
          memTotalBytes: mem.total,
          swapUsedBytes: finite(mem.swapused),
          swapTotalBytes: finite(mem.swaptotal),
          loadAvg1: finite(load),
          gpus,
        };
      } catch {
        return null;
      }
    },

    async refreshGpus() {
      try {
        const g = await (await getSi()).graphics();
        gpus = g.controllers.map((c) => ({
          name: c.name ?? c.model,
          utilPercent: finite(c.utilizationGpu),
          memUsedBytes: mbToBytes(c.memoryUsed),
          memTotalBytes: mbToBytes(c.memoryTotal ?? c.vram),
          tempC: finite(c.temperatureGpu),
          powerW: finite(c.powerDraw),
        }));
      } catch {
        // keep the last list
      }
      return gpus;
    },

  };
}
