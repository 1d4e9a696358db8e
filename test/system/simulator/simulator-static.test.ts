import { describe, expect, it } from 'vitest';
import { PerformanceMonitor, type HostLoad } from '../../../src/system/simulator/performance.js';
import { createLlamaSwapSimulator } from '../../../src/system/simulator/index.js';

const withoutTimes = (sample: unknown): string => JSON.stringify(sample, (k, v: unknown) => (k === 'timestamp' ? undefined : v));

describe('simulator static scenario', () => {
  it('a steady monitor repeats the same figures; a normal one moves them', () => {
    let now = 1_000_000;
    const load = (): HostLoad => ({ activeRequests: 0, modelMemMb: 4000, loading: false });
    let steady = true;
    const perf = new PerformanceMonitor({ intervalMs: 1000, clock: () => now, load, steady: () => steady });
    for (let i = 0; i < 4; i++) {
      perf.sample();
      now += 1000;
    }
    const { sys_stats, gpu_stats } = perf.current();
    expect(new Set(sys_stats.map(withoutTimes)).size).toBe(1);
    expect(new Set(gpu_stats.map(withoutTimes)).size).toBe(1);
    expect(new Set(sys_stats.map((s) => s.timestamp)).size).toBe(4);
    steady = false;
    perf.sample();
    perf.sample();
    const moved = perf.current().sys_stats.slice(-2).map(withoutTimes);
    expect(moved[0]).not.toBe(moved[1]);
  });

  it('is a scenario like idle: the first model is loaded, and /api/performance stays put', async () => {
    const sim = await createLlamaSwapSimulator({ host: '127.0.0.1', port: 0, scenario: 'static', loadMs: 20, performanceIntervalMs: 30 });
    try {
      // Wait for the events (the model ready, two samples taken), not for a fixed time.
      const get = async <T>(path: string): Promise<T> => (await (await fetch(`${sim.url}${path}`)).json()) as T;
      let running = await get<{ running: { state: string }[] }>('/running');
      let perf = await get<{ sys_stats: unknown[] }>('/api/performance');
      for (const deadline = Date.now() + 10_000; Date.now() < deadline && running.running[0]?.state !== 'ready';) {
        await new Promise((r) => setTimeout(r, 20));
        running = await get('/running');
      }
      expect(running.running.map((m) => m.state)).toEqual(['ready']);
      // Two samples taken after the model became ready.
      const seen = (await get<{ sys_stats: unknown[] }>('/api/performance')).sys_stats.length;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline && perf.sys_stats.length < seen + 2;) {
        await new Promise((r) => setTimeout(r, 20));
        perf = await get('/api/performance');
      }
      const recent = perf.sys_stats.slice(-2).map(withoutTimes);
      expect(recent).toHaveLength(2);
      expect(recent[0]).toBe(recent[1]);
    } finally {
      await sim.close();
    }
  });
});
