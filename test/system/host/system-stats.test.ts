import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { cpuPercents, createLocalStats, modelPort } from '../../../src/system/host/system-stats.js';
import type { SysInfoLike } from '../../../src/system/host/system-stats.js';

const cpu = (user: number, idle: number): os.CpuInfo => ({ model: 'x', speed: 1, times: { user, nice: 0, sys: 0, idle, irq: 0 } });


function fakeSi(over: Partial<SysInfoLike> = {}): SysInfoLike {
  return {
    mem: () => Promise.resolve({ total: 16e9, active: 4e9, swaptotal: 2e9, swapused: 1e8 }),
    graphics: () => Promise.resolve({ controllers: [{ model: 'Apple M1 Pro', vram: 16384, utilizationGpu: 30, memoryUsed: 1024 }] }),
    ...over,
  };
}

describe('cpuPercents', () => {
  it('uses deltas between snapshots, per core, clamped', () => {
    const a = [{ busy: 100, total: 1000 }, { busy: 0, total: 1000 }];
    const b = [{ busy: 150, total: 1100 }, { busy: 100, total: 1100 }];
    expect(cpuPercents(a, b)).toEqual([50, 100]);
    expect(cpuPercents(null, a)).toEqual([10, 0]);
    expect(cpuPercents(b, b)).toEqual([0, 0]);
  });
});

describe('createLocalStats', () => {
  it('hostStats: CPU from os.cpus() deltas, memory from si.mem(), source local', async () => {
    const snaps = [[cpu(100, 900), cpu(0, 1000)], [cpu(200, 900), cpu(50, 1050)]];
    let i = 0;
    const local = createLocalStats({ si: fakeSi(), cpus: () => snaps[Math.min(i++, 1)] ?? [], loadavg: () => [1.5, 1, 1], now: () => 42 });
    await local.hostStats();
    const s = await local.hostStats();
    expect(s).toEqual({
      source: 'local',
      timestamp: 42,
      cpuPercent: 75,
      cpuPerCore: [100, 50],
      memUsedBytes: 4e9,
      memTotalBytes: 16e9,
      swapUsedBytes: 1e8,
      swapTotalBytes: 2e9,
      loadAvg1: 1.5,
      gpus: [],
    });
  });

  it('refreshGpus fills the GPU list hostStats reports; failures keep the last list', async () => {
    let fail = false;
    const si = fakeSi({
      graphics: () => (fail ? Promise.reject(new Error('no')) : Promise.resolve({ controllers: [{ model: 'Apple M1 Pro', vram: 16384, utilizationGpu: 30, memoryUsed: 1024 }] })),
    });
    const local = createLocalStats({ si, cpus: () => [cpu(1, 1)] });
    const gpus = await local.refreshGpus();
    expect(gpus).toEqual([{ name: 'Apple M1 Pro', utilPercent: 30, memUsedBytes: 1024 * 1024 * 1024, memTotalBytes: 16384 * 1024 * 1024, tempC: null, powerW: null }]);
    fail = true;
    expect(await local.refreshGpus()).toEqual(gpus);
    expect((await local.hostStats())?.gpus).toEqual(gpus);
  });

  it('returns null instead of throwing when systeminformation fails', async () => {
    const si = fakeSi({ mem: () => Promise.reject(new Error('x')), graphics: () => Promise.reject(new Error('y')) });
    const local = createLocalStats({ si, cpus: () => [] });
    expect(await local.hostStats()).toBeNull();
    expect(await local.refreshGpus()).toEqual([]);
  });
});

describe('modelPort', () => {
  it('prefers the proxy URL port, then --port in cmd', () => {
    expect(modelPort({ proxy: 'http://127.0.0.1:5800', cmd: '--port 1' })).toBe(5800);
    expect(modelPort({ proxy: 'http://127.0.0.1', cmd: 'llama-server --port 9001 -m x' })).toBe(9001);
    expect(modelPort({ proxy: '', cmd: 'llama-server --port=9002' })).toBe(9002);
    expect(modelPort({ proxy: '', cmd: 'llama-server --port ${PORT}' })).toBeNull();
    expect(modelPort({ proxy: '', cmd: 'llama-server --port 99999' })).toBeNull();
  });
});
