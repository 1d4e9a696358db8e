/**
 * Cold starts: spawns a command many times, interleaved with its baseline so both see the same
 * machine load, and returns the medians of wall time from spawn to exit (all output read).
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { median } from './proc.js';

export type Command = { readonly args: readonly string[]; readonly env: NodeJS.ProcessEnv };

export type RunResult = { readonly ms: number; readonly firstByteMs: number; readonly code: number | null; readonly stdout: string; readonly stderr: string };

export type ColdResult = {
  readonly medianMs: number;
  readonly baselineMs: number;
  /** Median of the per-pair differences (plugin run minus the baseline run next to it). */
  readonly overMs: number;
  readonly firstByteMs: number;
  readonly runs: number;
  readonly failures: number;
  readonly sampleOutput: string;
};

/** Runs one command to completion, timing spawn → close. */
export function timeRun(cmd: Command): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByte = Number.NaN;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const child = spawn(process.execPath, cmd.args, { env: cmd.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (b: Buffer) => {
      if (Number.isNaN(firstByte)) firstByte = performance.now() - started;
      out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        ms: performance.now() - started,
        firstByteMs: firstByte,
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/**
 * `runs` pairs of (baseline, command), after `warmUps` unmeasured runs of each (disk cache; a warm
 * plugin cache). `cmd` may be a function giving a fresh command per run (e.g. an empty cache).
 */
export async function coldStarts(cmdOf: Command | (() => Command), baseline: Command, runs: number, ok: (r: RunResult) => boolean, warmUps = 1): Promise<ColdResult> {
  const next = (): Command => (typeof cmdOf === 'function' ? cmdOf() : cmdOf);
  await timeRun(baseline);
  let warm = await timeRun(next());
  for (let i = 1; i < warmUps; i++) warm = await timeRun(next());
  const times: number[] = [];
  const bases: number[] = [];
  const diffs: number[] = [];
  const firstBytes: number[] = [];
  let failures = ok(warm) ? 0 : 1;
  let sampleOutput = warm.stdout || warm.stderr;
  for (let i = 0; i < runs; i++) {
    const cmd = next();
    const b = await timeRun(baseline);
    const r = await timeRun(cmd);
    if (!ok(r)) {
      failures++;
      sampleOutput = r.stdout || r.stderr;
    }
    times.push(r.ms);
    bases.push(b.ms);
    diffs.push(r.ms - b.ms);
    firstBytes.push(r.firstByteMs);
  }
  return { medianMs: median(times), baselineMs: median(bases), overMs: median(diffs), firstByteMs: median(firstBytes), runs, failures, sampleOutput };
}
