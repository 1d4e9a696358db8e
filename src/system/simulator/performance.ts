import type { Clock } from '../types.js';

/** What the host is doing, read by the monitor on every sample. */
export type HostLoad = {
  /** Requests being generated right now, over all models. */
  readonly activeRequests: number;
  /** Memory of loaded models, MB. */
  readonly modelMemMb: number;
  /** True while some model is starting (disk and CPU busy loading weights). */
  readonly loading: boolean;
};

/** A `sys_stats` item of `/api/performance`. */
export type SysStat = {
  readonly timestamp: string;
  readonly cpu_util_per_core: number[];
  readonly mem_total_mb: number;
  readonly mem_used_mb: number;
  readonly mem_free_mb: number;
  readonly swap_total_mb: number;
  readonly swap_used_mb: number;
  readonly load_avg_1: number;
  readonly load_avg_5: number;
  readonly load_avg_15: number;
  readonly net_io: { name: string; bytes_recv: number; bytes_sent: number }[];
};

/** A `gpu_stats` item of `/api/performance`. */
export type GpuStat = {
  readonly timestamp: string;
  readonly id: number;
  readonly name: string;
  readonly uuid: string;
  readonly temp_c: number;
  readonly vram_temp_c: number;
  readonly gpu_util_pct: number;
  readonly mem_util_pct: number;
  readonly mem_used_mb: number;
  readonly mem_total_mb: number;
  readonly fan_speed_pct: number;
  readonly power_draw_w: number;
};

export type PerformanceOptions = {
  readonly intervalMs: number;
  readonly bufferSize?: number;
  readonly clock: Clock;
  readonly load: () => HostLoad;
  /** While true, samples carry no noise and no drift (only the timestamp moves). */
  readonly steady?: () => boolean;
};

const CORES = 10;
const PERFORMANCE_CORES = 6;
const MEM_TOTAL_MB = 32768;
const GPU_MEM_TOTAL_MB = 21845;
const GPU_NAME = 'Apple M2 Pro (19-core GPU)';

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function noise(spread: number): number {
  return (Math.random() - 0.5) * 2 * spread;
}

/** Samples plausible Apple-Silicon host figures that follow the simulated load, like llama-swap's perf monitor. */
export class PerformanceMonitor {
  private readonly sys: SysStat[] = [];
  private readonly gpu: GpuStat[] = [];
  private timer: NodeJS.Timeout | null = null;
  private load1 = 1.2;
  private load5 = 1.1;
  private load15 = 1.0;
  private recv = 48_000_000;
  private sent = 9_000_000;
  private temp = 41;

  constructor(private readonly options: PerformanceOptions) {}

  /** Takes a first sample now, then one every interval. */
  start(): void {
    if (this.timer) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.options.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Buffered samples, optionally only those strictly after `afterMs`. */
  current(afterMs?: number): { sys_stats: SysStat[]; gpu_stats: GpuStat[] } {
    const keep = (s: { timestamp: string }): boolean => afterMs === undefined || Date.parse(s.timestamp) > afterMs;
    return { sys_stats: this.sys.filter(keep), gpu_stats: this.gpu.filter(keep) };
  }

  /** Takes one sample (public so tests need not wait for the interval). */
  sample(): void {
    const { activeRequests, modelMemMb, loading } = this.options.load();
    const steady = this.options.steady?.() ?? false;
    const jitter = steady ? (): number => 0 : noise;
    const random = steady ? (): number => 0.5 : Math.random;
    const timestamp = new Date(this.options.clock()).toISOString();
    const busy = Math.min(1, activeRequests / 4);
    const cores = Array.from({ length: CORES }, (_, i) => {
      const base = i < PERFORMANCE_CORES ? 4 + busy * 55 + (loading ? 35 : 0) : 6 + busy * 20;
      return round(Math.max(0.5, Math.min(100, base + jitter(6))), 6);
    });
    const memUsed = Math.round(Math.min(MEM_TOTAL_MB - 400, 9400 + modelMemMb + activeRequests * 180 + jitter(120)));
    const swapUsed = Math.round(Math.max(0, memUsed - 26000) * 0.6 + 180);
    const runnable = activeRequests > 0 ? 2.5 + busy * 5 : loading ? 3 : 1.1;
    // Steady: averages settle at once and counters stop, so consecutive samples are equal.
    this.load1 += (runnable - this.load1) * (steady ? 1 : 0.35);
    this.load5 += (runnable - this.load5) * (steady ? 1 : 0.08);
    this.load15 += (runnable - this.load15) * (steady ? 1 : 0.03);
    if (!steady) {
      this.recv += Math.round(2000 + activeRequests * 9000 + random() * 3000);
      this.sent += Math.round(1500 + activeRequests * 14000 + random() * 2000);
    }
    this.push(this.sys, {
      timestamp, cpu_util_per_core: cores, mem_total_mb: MEM_TOTAL_MB, mem_used_mb: memUsed, mem_free_mb: MEM_TOTAL_MB - memUsed,
      swap_total_mb: 2048, swap_used_mb: swapUsed, load_avg_1: round(this.load1), load_avg_5: round(this.load5),
      load_avg_15: round(this.load15), net_io: [{ name: 'en0', bytes_recv: this.recv, bytes_sent: this.sent }, { name: 'lo0', bytes_recv: 1_200_000, bytes_sent: 1_200_000 }],
    });
    const gpuUtil = activeRequests > 0 ? 62 + busy * 34 + jitter(4) : loading ? 18 + jitter(5) : 2 + random() * 3;
    this.temp += ((activeRequests > 0 ? 68 : 42) - this.temp) * (steady ? 1 : 0.25);
    const gpuMem = Math.round(Math.min(GPU_MEM_TOTAL_MB, 420 + modelMemMb * 0.96 + activeRequests * 150));
    this.push(this.gpu, {
      timestamp, id: 0, name: GPU_NAME, uuid: '', temp_c: round(this.temp, 1), vram_temp_c: 0,
      gpu_util_pct: round(Math.max(0, Math.min(100, gpuUtil)), 1), mem_util_pct: round((gpuMem / GPU_MEM_TOTAL_MB) * 100, 1),
      mem_used_mb: gpuMem, mem_total_mb: GPU_MEM_TOTAL_MB, fan_speed_pct: 0,
      power_draw_w: round(activeRequests > 0 ? 14 + busy * 14 + jitter(1.5) : 2.5 + random(), 1),
    });
  }

  private push<T>(buffer: T[], item: T): void {
    buffer.push(item);
    const max = this.options.bufferSize ?? 120;
    while (buffer.length > max) buffer.shift();
  }
}
