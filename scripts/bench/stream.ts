/**
 * One streaming run: the bundled plugin (`--stream`) against a simulator for N minutes. Reads
 * frames off its stdout (each ends with a `~~~` line), samples its CPU and RSS through /proc,
 * then stops it with SIGTERM and reads the counters it writes to LLAMA_SWAP_BENCH_STATS.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { awaitSnapshot, consumeSnapshot, type HeapBreakdown } from './heap.js';
import { sampleProcess, type ProcSample } from './proc.js';

export type StreamOptions = {
  readonly label: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly minutes: number;
  /** File the plugin writes its counters to on exit. */
  readonly statsFile: string;
  /** Folder of the process (where a heap snapshot lands). */
  readonly cwd?: string;
  /** After the figures are taken, before stopping: SIGUSR2 (the process runs with --heapsnapshot-signal=SIGUSR2) and summarise the heap. */
  readonly heapSnapshot?: boolean;
};

export type PluginStats = {
  readonly commits?: number;
  readonly framesWritten?: number;
  readonly framesSkipped?: number;
  readonly bytesWritten?: number;
  readonly sparkline?: { readonly hits: number; readonly misses: number; readonly size: number };
  /** process.memoryUsage() when the figures were written (on exit). */
  readonly memory?: { readonly rss: number; readonly heapTotal: number; readonly heapUsed: number; readonly external: number; readonly arrayBuffers: number };
};

export type StreamResult = {
  readonly label: string;
  readonly minutes: number;
  /** CPU seconds per minute after the first minute (start-up excluded); whole run when shorter. */
  readonly cpuSecPerMin: number;
  readonly cpuSecFirstMin: number;
  /** Part of cpuSecPerMin spent in child processes (`ps`). */
  readonly childCpuSecPerMin: number;
  readonly cpuSecTotal: number;
  readonly rssMb: number;
  readonly peakRssMb: number;
  /** RSS of its running children at the end, and the most seen in any 5 s sample. */
  readonly childRssMb: number;
  readonly maxChildRssMb: number;
  readonly frames: number;
  readonly framesPerMin: number;
  /** Frames in the last full minute of the run. */
  readonly framesLastMin: number;
  readonly bytesPerFrame: number;
  readonly maxFrameBytes: number;
  readonly imageBytesPerFrame: number;
  readonly imagesPerFrame: number;
  /** Up to 5 lines that differed between consecutive frames in the last minute (why frames were sent). */
  readonly lastMinChanges: readonly string[];
  readonly stats: PluginStats | null;
  readonly heap: HeapBreakdown | null;
  readonly exitCode: number | null;
  readonly stderrTail: string;
};

type Frame = { readonly atMs: number; readonly text: string; readonly bytes: number };

const SEPARATOR = '~~~\n';

function imageBytes(frame: string): { bytes: number; count: number } {
  let bytes = 0;
  let count = 0;
  for (const m of frame.matchAll(/\b(?:templateImage|image)=([A-Za-z0-9+/=]+)/g)) {
    bytes += m[1]?.length ?? 0;
    count++;
  }
  return { bytes, count };
}

function changedLines(prev: string, next: string): string[] {
  const before = new Set(prev.split('\n'));
  return next
    .split('\n')
    .filter((l) => !before.has(l))
    .map((l) => l.replace(/(image=[A-Za-z0-9+/]{12})[A-Za-z0-9+/=]+/g, '$1…').slice(0, 160));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Streams for `minutes`, then stops the plugin and summarises. */
export async function streamRun(options: StreamOptions): Promise<StreamResult> {
  const child = spawn(process.execPath, options.args, {
    env: { ...options.env, LLAMA_SWAP_BENCH_STATS: options.statsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const pid = child.pid ?? -1;
  const frames: Frame[] = [];
  let buffer = '';
  let stderr = '';
  const started = performance.now();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (let at = buffer.indexOf(SEPARATOR); at >= 0; at = buffer.indexOf(SEPARATOR)) {
      const text = buffer.slice(0, at);
      buffer = buffer.slice(at + SEPARATOR.length);
      frames.push({ atMs: performance.now() - started, text, bytes: Buffer.byteLength(text) + SEPARATOR.length });
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const runMs = options.minutes * 60_000;
  const start = sampleProcess(pid);
  let afterFirstMin: ProcSample | null = null;
  let last = start;
  let maxChildRssMb = 0;
  while (performance.now() - started < runMs && child.exitCode === null) {
    await sleep(Math.min(5000, runMs - (performance.now() - started)));
    const s = sampleProcess(pid);
    if (!Number.isNaN(s.cpuSec)) last = s;
    maxChildRssMb = Math.max(maxChildRssMb, s.childRssMb);
    if (afterFirstMin === null && performance.now() - started >= 60_000) afterFirstMin = last;
  }
  const endMs = performance.now() - started;
  let heap: HeapBreakdown | null = null;
  if (options.heapSnapshot && options.cwd !== undefined && child.exitCode === null) {
    const since = Date.now() - 1000;
    child.kill('SIGUSR2');
    const file = await awaitSnapshot(options.cwd, since);
    heap = file === null ? null : consumeSnapshot(file);
  }
  child.kill('SIGTERM');
  const exitCode = await Promise.race([exited, sleep(5000).then(() => (child.kill('SIGKILL'), null))]);

  const minutes = endMs / 60_000;
  const steadyFrom = afterFirstMin ?? start;
  const steadyMinutes = afterFirstMin === null ? minutes : minutes - 1;
  const lastMin = frames.filter((f) => f.atMs >= endMs - 60_000);
  const lastMinChanges: string[] = [];
  for (const f of lastMin) {
    const prev = frames[frames.indexOf(f) - 1];
    if (prev) lastMinChanges.push(...changedLines(prev.text, f.text));
  }
  const totalBytes = frames.reduce((n, f) => n + f.bytes, 0);
  const images = frames.map((f) => imageBytes(f.text));
  const stats = existsSync(options.statsFile) ? (JSON.parse(readFileSync(options.statsFile, 'utf8')) as PluginStats) : null;
  return {
    label: options.label,
    minutes,
    cpuSecPerMin: (last.cpuSec - steadyFrom.cpuSec) / Math.max(steadyMinutes, 1e-9),
    cpuSecFirstMin: (afterFirstMin ?? last).cpuSec,
    childCpuSecPerMin: (last.childCpuSec - steadyFrom.childCpuSec) / Math.max(steadyMinutes, 1e-9),
    cpuSecTotal: last.cpuSec,
    rssMb: last.rssMb,
    peakRssMb: last.peakRssMb,
    childRssMb: last.childRssMb,
    maxChildRssMb,
    frames: frames.length,
    framesPerMin: frames.length / minutes,
    framesLastMin: lastMin.length,
    bytesPerFrame: frames.length > 0 ? totalBytes / frames.length : 0,
    maxFrameBytes: frames.reduce((m, f) => Math.max(m, f.bytes), 0),
    imageBytesPerFrame: frames.length > 0 ? images.reduce((n, i) => n + i.bytes, 0) / frames.length : 0,
    imagesPerFrame: frames.length > 0 ? images.reduce((n, i) => n + i.count, 0) / frames.length : 0,
    lastMinChanges: [...new Set(lastMinChanges)].slice(0, 5),
    stats,
    heap,
    exitCode,
    stderrTail: stderr.trim().split('\n').slice(-3).join('\n'),
  };
}
