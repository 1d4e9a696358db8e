import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKnownProcesses, executableOf, procTable, psTable } from '../../../src/system/host/known-processes.js';
import type { RunningModel } from '../../../src/system/types.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';

const model = (id: string, port: number): RunningModel => ({ id, state: 'ready', cmd: '', proxy: `http://127.0.0.1:${port}`, ttl: 0, name: '', description: '' });

/** One /proc/<pid> entry: argv, utime/stime ticks, rss pages, start time ticks. */
async function proc(root: string, pid: number, argv: string[], ticks: number, rssPages: number): Promise<void> {
  await mkdir(path.join(root, String(pid)), { recursive: true });
  await writeFile(path.join(root, String(pid), 'cmdline'), `${argv.join('\0')}\0`);
  const fields = ['S', '1', '1', '1', '0', '-1', '0', '0', '0', '0', '0', String(ticks), '0', '0', '0', '20', '0', '1', '0', '0', '0', String(rssPages)];
  await writeFile(path.join(root, String(pid), 'stat'), `${pid} (name with ) paren) ${fields.join(' ')}\n`);
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'proc-'));
  await writeFile(path.join(root, 'uptime'), '100.00 50.00\n');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('known processes (Linux /proc)', () => {
  it('finds the pids once, then reads only them; finds a restarted model again', async () => {
    await proc(root, 10, ['/usr/local/bin/llama-swap', '--config', 'c.yaml'], 500, 100);
    await proc(root, 20, ['llama-server', '--port', '5800', '-m', 'a.gguf'], 1000, 2560);
    await proc(root, 30, ['llama-server', '--port=5801'], 0, 10);
    await proc(root, 40, ['vim', 'notes --port 5800x'], 0, 10);
    let t = 1_000_000;
    const table = procTable(root, 100, 4096, () => t);
    let lists = 0;
    const counted = { list: () => (lists++, table.list()), read: table.read };
    // llama-swap is whoever listens on the API port (lsof / /proc/net/tcp in real use).
    const listener = (port: number): Promise<number | null> => Promise.resolve(port === 45786 ? 10 : null);
    const figures = createKnownProcesses(counted, listener, () => t);
    const running = [model('a', 5800), model('b', 5801)];

    const first = await figures({ running, llamaSwapPid: null, llamaSwapPort: 45786 });
    expect(first.llamaSwap).toMatchObject({ pid: 10, rssBytes: 100 * 4096 });
    expect(first.models['a']).toEqual({ pid: 20, rssBytes: 2560 * 4096, cpuPercent: 10 }); // 10 s over 100 s
    expect(first.models['b']?.pid).toBe(30);
    // One second later, 0.5 s more CPU: 50 %. No second listing.
    t += 1000;
    await proc(root, 20, ['llama-server', '--port', '5800', '-m', 'a.gguf'], 1050, 2560);
    const second = await figures({ running, llamaSwapPid: null, llamaSwapPort: 45786 });
    expect(second.models['a']?.cpuPercent).toBeCloseTo(50);
    expect(lists).toBe(1);

    // The model restarts under a new pid: the old pid is gone, it is listed again (once).
    await rm(path.join(root, '20'), { recursive: true });
    await proc(root, 21, ['llama-server', '--port', '5800'], 0, 5);
    t += 1000;
    expect((await figures({ running, llamaSwapPid: null })).models['a']).toBeUndefined();
    t += 1000;
    expect((await figures({ running, llamaSwapPid: null })).models['a']?.pid).toBe(21);
    expect(lists).toBe(2);
  });
});

describe('llama-swap\'s own process', () => {
  it('is never a llama-swap found by name: another one, on another port, is not ours', async () => {
    await proc(root, 10, ['/usr/local/bin/llama-swap', '--listen', ':9999'], 500, 100);
    const figures = createKnownProcesses(procTable(root), () => Promise.resolve(null));
    expect((await figures({ running: [], llamaSwapPid: null, llamaSwapPort: 45786 })).llamaSwap).toBeNull();
    // The launchd job's pid is taken as it is.
    expect((await figures({ running: [], llamaSwapPid: 10, llamaSwapPort: 45786 })).llamaSwap?.pid).toBe(10);
  });

  it('remembers the API port\'s listener for a minute (lsof is a process spawn), then asks again; one that exited is looked up at once', async () => {
    await proc(root, 30, ['/opt/homebrew/bin/llama-swap', '--listen', ':45786'], 1, 10);
    let t = 0;
    const calls: number[] = [];
    const listener = (port: number): Promise<number | null> => {
      calls.push(port);
      return Promise.resolve(port === 45786 ? 30 : null);
    };
    const figures = createKnownProcesses(procTable(root, 100, 4096, () => t), listener, () => t);
    const ask = () => figures({ running: [], llamaSwapPid: null, llamaSwapPort: 45786 });
    expect((await ask()).llamaSwap?.pid).toBe(30);
    await ask();
    expect(calls).toEqual([45786]);
    t += 60_000;
    await ask();
    expect(calls).toEqual([45786, 45786]);
    // The listener exits: no figures now, and the port is asked about again on the next call.
    await rm(path.join(root, '30'), { recursive: true });
    expect((await ask()).llamaSwap).toBeNull();
    await ask();
    expect(calls).toEqual([45786, 45786, 45786]);
  });
});

describe('known processes (ps)', () => {
  it('lists with ps -A once and then reads the known pids with ps -p, argv only', async () => {
    const runner = createRecordingRunner()
      .on('ps', ['-A', '-o', 'pid=,command='], { stdout: '  1 /sbin/launchd\n 77 /opt/homebrew/bin/llama-swap --config x\n 88 /opt/llama-server --port 5800 -m "a|b.gguf"\n' })
      .on('ps', (args) => args[0] === '-p', { stdout: ' 77  20480  1.5 /opt/homebrew/bin/llama-swap --config x\n 88 409600 97,3 /opt/llama-server --port 5800 -m "a|b.gguf"\n' });
    const figures = createKnownProcesses(psTable(runner));
    const out = await figures({ running: [model('a', 5800)], llamaSwapPid: 77 });
    expect(out).toEqual({ llamaSwap: { pid: 77, rssBytes: 20480 * 1024, cpuPercent: 1.5, executable: '/opt/homebrew/bin/llama-swap' }, models: { a: { pid: 88, rssBytes: 409600 * 1024, cpuPercent: 97.3 } } });
    await figures({ running: [model('a', 5800)], llamaSwapPid: 77 });
    expect(runner.lines()).toEqual([
      'ps -A -o pid=,command=',
      'ps -p 77,88 -o pid=,rss=,%cpu=,command=',
      'ps -p 77,88 -o pid=,rss=,%cpu=,command=',
    ]);
  });
});

describe("llama-swap's executable, from its command line", () => {
  it('is the program before the first option, spaces in its folder kept; null when not an absolute path', () => {
    expect(executableOf('/Users/me/My Tools/llama-swap --config /c.yaml --listen :8080')).toBe('/Users/me/My Tools/llama-swap');
    expect(executableOf('/opt/llama-swap')).toBe('/opt/llama-swap');
    expect(executableOf('./llama-swap --config c.yaml')).toBeNull();
    expect(executableOf('llama-swap')).toBeNull();
  });
});
