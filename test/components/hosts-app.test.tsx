/**
 * The menu of several hosts composed at the top: each host has its own deps and hooks, so a host
 * whose llama-swap never answers holds back nothing of another's, and its answer, when it comes,
 * reaches the menu on its own. Waits on frames written, never on wall time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostsApp } from '../../src/components/App.js';
import type { HookTimings, MenuDeps } from '../../src/hooks/deps.js';
import { flushHistory } from '../../src/hooks/use-history.js';
import { createMenuRoot, type MenuRoot } from '../../src/reconciler/index.js';
import { parseFrame, type ParsedFrame, type ParsedItem } from '../../src/reconciler/parse.js';
import type { Result, RunningModel } from '../../src/system/types.js';
import { FakeApi, running } from '../hooks/helpers/fake-api.js';
import { testConfig, testDeps } from '../hooks/helpers/test-deps.js';
import { FakeStdout } from '../helpers/fake-stdout.js';

const FAST: Partial<HookTimings> = { busyMs: 20, idleMs: 20, slowMs: 40, hostMs: 20, processMs: 40, serviceMs: 40, actionPollMs: 20 };

let dir: string;
let root: MenuRoot | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hosts-app-'));
});
afterEach(async () => {
  root?.unmount();
  root = undefined;
  await flushHistory();
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
});

/** The first frame written that satisfies `ok`, looked for again after every turn of the event loop. */
async function frameWhere(stdout: FakeStdout, ok: (frame: ParsedFrame) => boolean): Promise<ParsedFrame> {
  for (;;) {
    const hit = stdout.frames.map(parseFrame).find(ok);
    if (hit !== undefined) return hit;
    await new Promise((r) => setImmediate(r));
  }
}

const hostLine = (frame: ParsedFrame, name: string): ParsedItem | undefined =>
  frame.body.find((n): n is ParsedItem => n.type === 'item' && n.title.startsWith(`${name} — `));

function hostDeps(name: string, api: FakeApi): MenuDeps {
  const cacheDir = path.join(dir, 'hosts', name);
  return testDeps(api, cacheDir, { config: testConfig(cacheDir, { apiUrl: `http://10.0.0.${name.length}:8080` }), timings: FAST, invoker: { executable: '/bin/true', leadingArgs: ['--host', name] } });
}

describe('HostsApp', () => {
  it("shows a host's models while another never answers, then the slow one on its own", async () => {
    const fast = new FakeApi();
    fast.runningResult = { ok: true, value: [running('qwen', 'ready')] };
    fast.modelsResult = { ok: true, value: [{ id: 'qwen', name: '', description: '', loaded: true }] };
    const slow = new FakeApi();
    slow.modelsResult = { ok: true, value: [{ id: 'llama', name: '', description: '', loaded: false }] };
    // The slow host's /running hangs until released.
    let release: (r: Result<readonly RunningModel[]>) => void = () => undefined;
    const hanging = new Promise<Result<readonly RunningModel[]>>((resolve) => {
      release = resolve;
    });
    slow.running = () => hanging;

    const stdout = new FakeStdout();
    root = createMenuRoot({ stdout, mode: 'stream', appearance: 'dark', onFatal: () => undefined });
    root.render(createElement(HostsApp, {
      hosts: [{ name: 'studio', deps: hostDeps('studio', fast) }, { name: 'mini', deps: hostDeps('mini', slow) }],
      thisComputer: () => Promise.resolve(null),
      platform: 'linux',
    }));

    const first = await frameWhere(stdout, (f) => hostLine(f, 'studio')?.title === 'studio — ready, 1 model loaded');
    expect(hostLine(first, 'mini')?.title).toBe('mini — connecting…');
    // studio's line keeps its own colour: the other host greys nothing.
    expect(hostLine(first, 'studio')?.params.sfcolor).toBe('#248a3d,#30d158');
    // Its actions name it; none names the other host.
    const argv = JSON.stringify(hostLine(first, 'studio'));
    expect(argv).toContain('"param2":"studio"');
    expect(argv).not.toContain('mini');

    release({ ok: true, value: [] });
    const later = await frameWhere(stdout, (f) => hostLine(f, 'mini')?.title === 'mini — running, no model loaded');
    expect(hostLine(later, 'studio')?.title).toBe('studio — ready, 1 model loaded');
  });

  it('with answers that never change, commits nothing and writes no frame, poll after poll', async () => {
    const apis = [new FakeApi(), new FakeApi()];
    for (const api of apis) {
      api.runningResult = { ok: true, value: [running('qwen', 'ready')] };
      api.modelsResult = { ok: true, value: [{ id: 'qwen', name: '', description: '', loaded: true }] };
    }
    // This computer's figures: equal answers, each a new object, as from the system.
    let reads = 0;
    const thisComputer = () => {
      reads += 1;
      return Promise.resolve({ source: 'local' as const, timestamp: 1, cpuPercent: 5, cpuPerCore: [5], memUsedBytes: 1e9, memTotalBytes: 8e9, swapUsedBytes: 0, swapTotalBytes: 0, loadAvg1: null, gpus: [] });
    };
    const still = (name: string, api: FakeApi): MenuDeps => {
      const deps = hostDeps(name, api);
      return { ...deps, config: { ...deps.config, historySize: 4 }, timings: { ...FAST, historyIdleSampleMs: 0, historySaveMs: 50 } };
    };
    const stdout = new FakeStdout();
    root = createMenuRoot({ stdout, mode: 'stream', appearance: 'dark', onFatal: () => undefined });
    root.render(createElement(HostsApp, { hosts: [{ name: 'studio', deps: still('studio', apis[0] as FakeApi) }, { name: 'mini', deps: still('mini', apis[1] as FakeApi) }], thisComputer, platform: 'linux' }));
    await frameWhere(stdout, (f) => f.body.some((n) => n.type === 'item' && n.title === 'This computer'));
    const polls = async (n: number): Promise<void> => {
      const target = (apis[0] as FakeApi).count('running') + n;
      while ((apis[0] as FakeApi).count('running') < target) await new Promise((r) => setImmediate(r));
    };
    // Until each host's window holds only equal samples its charts still move.
    await polls(10);
    const before = root.stats();
    const readsBefore = reads;
    await polls(20);
    const after = root.stats();
    expect(reads).toBeGreaterThan(readsBefore);
    expect(after.commits - before.commits).toBe(0);
    expect(after.framesWritten - before.framesWritten).toBe(0);
  });
});
