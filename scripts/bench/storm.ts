/**
 * One event-storm run: the bundled plugin (`--stream`) against the storm stand-in
 * (test/e2e/helpers/storm-server.ts) at 1,000 events a second for N seconds. Samples the plugin's
 * CPU time, open files and RSS through /proc every 250 ms and timestamps its frames, then reports
 * its CPU share, frames a minute, the longest gap between frames, how far its in-flight count
 * lags the stand-in's, and the `/logs` and `/running` requests it made a minute.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { inflightShown, startStormServer, type StormKind } from '../../test/e2e/helpers/storm-server.js';
import { cpuSeconds, sampleProcess } from './proc.js';

export type StormResult = {
  readonly label: string;
  readonly scenario: string;
  readonly seconds: number;
  readonly eventsPerSec: number;
  /** Plugin CPU seconds per wall second (1 = one whole core). */
  readonly cpuShare: number;
  readonly framesPerMin: number;
  readonly longestGapMs: number;
  /** In-flight upserts sent minus the count the newest frame showed. */
  readonly eventsBehind: number;
  readonly logsPerMin: number;
  readonly runningPerMin: number;
  readonly maxOpenFds: number;
  readonly peakRssMb: number;
};

/** Storm budgets: at most half a core, a frame at least every 2 s. */
export const STORM_BUDGET = { cpuShare: 0.5, longestGapMs: 2000 } as const;

export const STORM_SCENARIOS: Readonly<Record<string, readonly StormKind[]>> = {
  inflight: ['inflight'],
  mixed: ['inflight', 'modelStatus', 'logData', 'activity'],
};

function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return Number.NaN;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function stormRun(label: string, args: readonly string[], scenario: string, seconds: number): Promise<StormResult> {
  const kinds = STORM_SCENARIOS[scenario] ?? ['inflight'];
  const server = await startStormServer({ kinds });
  const home = mkdtempSync(path.join(os.tmpdir(), 'llama-swap-storm-'));
  const child = spawn(process.execPath, [...args, '--stream'], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), LLAMA_SWAP_API_BASE_URL: server.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid ?? -1;
  const frameTimes: number[] = [];
  let lastFrame = '';
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (let at = buffer.indexOf('~~~\n'); at >= 0; at = buffer.indexOf('~~~\n')) {
      lastFrame = buffer.slice(0, at);
      buffer = buffer.slice(at + 4);
      frameTimes.push(performance.now());
    }
  });
  child.stderr.resume();
  try {
    // Measured from the first event sent on.
    await server.waitFor(() => server.sent() > 0, 60_000, 'storm start');
    const t0 = performance.now();
    const [cpu0] = cpuSeconds(pid);
    const sent0 = server.sent();
    const logs0 = server.count('/logs');
    const running0 = server.count('/running');
    let maxOpenFds = 0;
    while (performance.now() - t0 < seconds * 1000 && child.exitCode === null) {
      await sleep(250);
      maxOpenFds = Math.max(maxOpenFds, openFds(pid) || 0);
    }
    const t1 = performance.now();
    const [cpu1] = cpuSeconds(pid);
    const minutes = (t1 - t0) / 60_000;
    const frames = frameTimes.filter((t) => t >= t0 && t <= t1);
    let longestGapMs = 0;
    let prev = t0;
    for (const t of [...frames, t1]) {
      longestGapMs = Math.max(longestGapMs, t - prev);
      prev = t;
    }
    return {
      label,
      scenario,
      seconds: (t1 - t0) / 1000,
      eventsPerSec: (server.sent() - sent0) / ((t1 - t0) / 1000),
      cpuShare: (cpu1 - cpu0) / ((t1 - t0) / 1000),
      framesPerMin: frames.length / minutes,
      longestGapMs,
      eventsBehind: server.upserts() - inflightShown(lastFrame),
      logsPerMin: (server.count('/logs') - logs0) / minutes,
      runningPerMin: (server.count('/running') - running0) / minutes,
      maxOpenFds,
      peakRssMb: sampleProcess(pid).peakRssMb,
    };
  } finally {
    child.kill('SIGKILL');
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}
