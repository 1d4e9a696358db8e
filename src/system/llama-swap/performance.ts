/**
 * Converts llama-swap's `/api/performance` answer into HostStats: the newest sys_stats sample
 * (CPU = mean of cpu_util_per_core, MB → bytes) and the newest gpu_stats sample per GPU.
 */
import type { z } from 'zod';
import type { GpuStatJson, PerformanceSchema, SysStatJson } from './schemas.js';
import type { GpuSample, HostStats } from '../types.js';

type Performance = z.infer<typeof PerformanceSchema>;

const MB = 1024 * 1024;

function time(ts: string | undefined): number {
  const t = ts === undefined ? Number.NaN : Date.parse(ts);
  return Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY;
}

/** The sample with the latest timestamp (the last one on ties or without timestamps). */
function newest<T extends { readonly timestamp?: string | undefined }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const it of items) if (best === undefined || time(it.timestamp) >= time(best.timestamp)) best = it;
  return best;
}

const bytes = (mb: number | null | undefined): number | null => (typeof mb === 'number' && Number.isFinite(mb) ? Math.round(mb * MB) : null);
const finite = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);

function gpuKey(g: GpuStatJson): string {
  return g.uuid !== undefined && g.uuid !== '' ? g.uuid : `${String(g.id ?? '')}|${g.name ?? ''}`;
}

function gpus(list: readonly GpuStatJson[]): GpuSample[] {
  const byGpu = new Map<string, GpuStatJson[]>();
  for (const g of list) byGpu.set(gpuKey(g), [...(byGpu.get(gpuKey(g)) ?? []), g]);
  const out: GpuSample[] = [];
  for (const samples of byGpu.values()) {
    const g = newest(samples);
    if (g === undefined) continue;
    out.push({
      name: g.name ?? 'GPU',
      utilPercent: finite(g.gpu_util_pct),
      memUsedBytes: bytes(g.mem_used_mb),
      memTotalBytes: bytes(g.mem_total_mb),
      tempC: finite(g.temp_c),
      powerW: finite(g.power_draw_w),
    });
  }
  return out;
}

function cpu(s: SysStatJson): { percent: number; perCore: number[] } {
  const perCore = (s.cpu_util_per_core ?? []).filter((v) => Number.isFinite(v));
  const percent = perCore.length === 0 ? 0 : perCore.reduce((a, b) => a + b, 0) / perCore.length;
  return { percent, perCore };
}

/** HostStats from a validated answer; null when it holds no system sample yet. */
export function performanceToHostStats(p: Performance, now: number = Date.now()): HostStats | null {
  const s = newest(p.sys_stats ?? []);
  if (s === undefined) return null;
  const { percent, perCore } = cpu(s);
  const t = time(s.timestamp);
  return {
    source: 'llama-swap',
    timestamp: Number.isFinite(t) ? t : now,
    cpuPercent: percent,
    cpuPerCore: perCore,
    memUsedBytes: Math.round(s.mem_used_mb * MB),
    memTotalBytes: Math.round(s.mem_total_mb * MB),
    swapUsedBytes: bytes(s.swap_used_mb),
    swapTotalBytes: bytes(s.swap_total_mb),
    loadAvg1: finite(s.load_avg_1),
    gpus: gpus(p.gpu_stats ?? []),
  };
}
