import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { cpuPercents, createLocalStats, LISTENER_TTL_MS, matchProcesses, modelPort } from '../../../src/system/host/system-stats.js';
import type { SysInfoLike } from '../../../src/system/host/system-stats.js';
import type { RunningModel } from '../../../src/system/types.js';

const cpu = (user: number, idle: number): os.CpuInfo => ({ model: 'x', speed: 1, times: { user, nice: 0, sys: 0, idle, irq: 0 } });

const proc = (pid: number, name: string, command: string, params: string, cpuPct = 1, memRssKb = 1024) => ({ pid, name, cpu: cpuPct, memRss: memRssKb, command, params });

const model = (id: string, proxy: string, cmd: string): RunningModel => ({ id, state: 'ready', cmd, proxy, ttl: 0, name: '', description: '' });

function fakeSi(over: Partial<SysInfoLike> = {}): SysInfoLike {
  return {
    mem: () => Promise.resolve({ total: 16e9, active: 4e9, swaptotal: 2e9, swapused: 1e8 }),
    graphics: () => Promise.resolve({ controllers: [{ model: 'Apple M1 Pro', vram: 16384, utilizationGpu: 30, memoryUsed: 1024 }] }),
    processes: () => Promise.resolve({ list: [] }),
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
    const si = fakeSi({ mem: () => Promise.reject(new Error('x')), processes: () => Promise.reject(new Error('y')) });
    const local = createLocalStats({ si, cpus: () => [] });
    expect(await local.hostStats()).toBeNull();
    expect(await local.processStats({ running: [], llamaSwapPid: null })).toBeNull();
  });

  it('processStats matches llama-swap and each model by port', async () => {
    const list = [
      proc(10, 'llama-swap', '/opt/homebrew/bin/llama-swap', '--config /x.yaml --listen :45786', 2, 50_000),
      proc(11, 'llama-server', '/usr/bin/llama-server', '--port 5800 -m /m/q.gguf --metrics', 180, 4_000_000),
      proc(12, 'llama-server', '/usr/bin/llama-server', '--port=5801 -m /m/l.gguf', 5, 1_000_000),
      proc(13, 'llama-server', '/usr/bin/llama-server', '--port 58000', 1, 1),
    ];
    const asked: number[] = [];
    const listener = (port: number): Promise<number | null> => {
      asked.push(port);
      return Promise.resolve(port === 45786 ? 10 : null);
    };
    const local = createLocalStats({ si: fakeSi({ processes: () => Promise.resolve({ list }) }), listener });
    const running = [
      model('qwen', 'http://127.0.0.1:5800', 'llama-server --port 5800 -m /m/q.gguf --metrics'),
      model('llama', 'not a url', 'llama-server --port=5801 -m /m/l.gguf'),
      model('gone', 'http://127.0.0.1:5999', 'llama-server --port 5999'),
    ];
    expect(await local.processStats({ running, llamaSwapPid: null, llamaSwapPort: 45786 })).toEqual({
      llamaSwap: { pid: 10, cpuPercent: 2, rssBytes: 50_000 * 1024 },
      models: {
        qwen: { pid: 11, cpuPercent: 180, rssBytes: 4_000_000 * 1024 },
        llama: { pid: 12, cpuPercent: 5, rssBytes: 1_000_000 * 1024 },
      },
    });
    expect(asked).toEqual([45786]);
    expect(matchProcesses(list, [], 12).llamaSwap?.pid).toBe(12);
    expect(matchProcesses(list, [], 99).llamaSwap).toBeNull();
  });

  it('never takes a process for llama-swap by its name: only the launchd pid or the API port listener', async () => {
    // Another llama-swap (pid 20, its own config and port) runs beside ours (pid 30, on 45786).
    const list = [
      proc(20, 'llama-swap', '/usr/local/bin/llama-swap', '--config /other.yaml --listen :9999', 50, 9_000),
      proc(30, 'llama-swap', '/opt/homebrew/bin/llama-swap', '--config /x.yaml --listen :45786', 1, 40_000),
    ];
    const si = fakeSi({ processes: () => Promise.resolve({ list }) });
    const calls: number[] = [];
    const listener = (port: number): Promise<number | null> => {
      calls.push(port);
      return Promise.resolve(port === 45786 ? 30 : null);
    };
    let clock = 0;
    const local = createLocalStats({ si, listener, now: () => clock });
    expect((await local.processStats({ running: [], llamaSwapPid: null, llamaSwapPort: 45786 }))?.llamaSwap?.pid).toBe(30);
    // The launchd job's pid wins and needs no lookup.
    expect((await local.processStats({ running: [], llamaSwapPid: 20 }))?.llamaSwap?.pid).toBe(20);
    // Nothing listening on the port, and no job: no llama-swap process, even with two by that name.
    expect((await local.processStats({ running: [], llamaSwapPid: null, llamaSwapPort: 5555 }))?.llamaSwap).toBeNull();
    expect((await createLocalStats({ si }).processStats({ running: [], llamaSwapPid: null, llamaSwapPort: 45786 }))?.llamaSwap).toBeNull();
    expect(calls).toEqual([45786, 5555]);
    // The listener is remembered for a while (lsof is a process spawn), then asked again.
    calls.length = 0;
    await local.processStats({ running: [], llamaSwapPid: null, llamaSwapPort: 45786 });
    await local.processStats({ running: [], llamaSwapPid: null, llamaSwapPort: 45786 });
    expect(calls).toEqual([45786]);
    clock += LISTENER_TTL_MS;
    await local.processStats({ running: [], llamaSwapPid: null, llamaSwapPort: 45786 });
    expect(calls).toEqual([45786, 45786]);
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
