/**
 * The benchmark's report: its JSON shape, the targets of issue 6 as checks, and the table
 * printed to the terminal (with the previous run's value next to each figure when known).
 */
import type { ColdResult } from './cold.js';
import { round } from './proc.js';
import type { StreamResult } from './stream.js';

export type Check = { readonly name: string; readonly value: number; readonly target: string; readonly ok: boolean };

export type BenchReport = {
  readonly date: string;
  readonly machine: { readonly node: string; readonly platform: string; readonly cpus: number; readonly cpuModel: string; readonly loadavg: readonly number[] };
  readonly options: { readonly minutes: number; readonly runs: number };
  readonly once: ColdResult;
  readonly action: ColdResult;
  readonly streams: readonly StreamResult[];
  readonly checks: readonly Check[];
};

/** Targets on a 2-core machine (issue 6). */
export const TARGETS = {
  onceOverMs: 250,
  actionOverMs: 120,
  idleCpuSecPerMin: 0.3,
  busyCpuSecPerMin: 1.2,
  rssMb: 120,
  staticFramesPerMin: 0,
} as const;

const stream = (r: Pick<BenchReport, 'streams'>, label: string): StreamResult | undefined => r.streams.find((s) => s.label === label);

/** Every target as a pass/fail check. */
export function checks(r: BenchReport): Check[] {
  const out: Check[] = [
    { name: 'first frame (--once) over node', value: r.once.overMs, target: `≤ ${TARGETS.onceOverMs} ms`, ok: r.once.overMs <= TARGETS.onceOverMs && r.once.failures === 0 },
    { name: 'action (do_unload) over node', value: r.action.overMs, target: `≤ ${TARGETS.actionOverMs} ms`, ok: r.action.overMs <= TARGETS.actionOverMs && r.action.failures === 0 },
  ];
  const idle = stream(r, 'idle');
  const busy = stream(r, 'busy');
  const still = stream(r, 'static');
  if (idle) out.push({ name: 'idle CPU s/min', value: idle.cpuSecPerMin, target: `< ${TARGETS.idleCpuSecPerMin}`, ok: idle.cpuSecPerMin < TARGETS.idleCpuSecPerMin });
  if (busy) out.push({ name: 'busy CPU s/min', value: busy.cpuSecPerMin, target: `< ${TARGETS.busyCpuSecPerMin}`, ok: busy.cpuSecPerMin < TARGETS.busyCpuSecPerMin });
  for (const s of [idle, busy]) {
    if (s) out.push({ name: `${s.label} RSS MB at end`, value: s.rssMb, target: `< ${TARGETS.rssMb}`, ok: s.rssMb < TARGETS.rssMb });
  }
  if (still) out.push({ name: 'static: frames in last minute', value: still.framesLastMin, target: '= 0', ok: still.framesLastMin === TARGETS.staticFramesPerMin });
  return out;
}

type Row = readonly [string, string, string, string];

function fmt(n: number | undefined, digits = 1): string {
  return n === undefined || Number.isNaN(n) ? '—' : String(round(n, digits));
}

function rows(r: BenchReport, prev: BenchReport | null): Row[] {
  const out: Row[] = [
    ['cold start → first frame (--once), ms', fmt(r.once.medianMs), fmt(r.once.baselineMs), fmt(prev?.once.medianMs)],
    ['  over baseline, ms (target ≤ 250)', fmt(r.once.overMs), '', fmt(prev?.once.overMs)],
    ['  first stdout byte, ms', fmt(r.once.firstByteMs), '', fmt(prev?.once.firstByteMs)],
    ['cold start action (do_unload), ms', fmt(r.action.medianMs), fmt(r.action.baselineMs), fmt(prev?.action.medianMs)],
    ['  over baseline, ms (target ≤ 120)', fmt(r.action.overMs), '', fmt(prev?.action.overMs)],
  ];
  for (const s of r.streams) {
    const p = prev ? stream(prev, s.label) : undefined;
    const cache = s.stats?.sparkline;
    const ratio = cache && cache.hits + cache.misses > 0 ? cache.hits / (cache.hits + cache.misses) : Number.NaN;
    const pc = p?.stats?.sparkline;
    const pratio = pc && pc.hits + pc.misses > 0 ? pc.hits / (pc.hits + pc.misses) : undefined;
    out.push(
      [`${s.label}: CPU s/min after minute 1 (of it in ps)`, `${fmt(s.cpuSecPerMin, 3)} (${fmt(s.childCpuSecPerMin, 3)})`, '', fmt(p?.cpuSecPerMin, 3)],
      [`${s.label}: CPU s in minute 1 (start-up)`, fmt(s.cpuSecFirstMin, 2), '', fmt(p?.cpuSecFirstMin, 2)],
      [`${s.label}: RSS MB at end (peak)`, `${fmt(s.rssMb)} (${fmt(s.peakRssMb)})`, '', fmt(p?.rssMb)],
      [`${s.label}: frames/min`, fmt(s.framesPerMin, 2), '', fmt(p?.framesPerMin, 2)],
      [`${s.label}: frames in last minute`, String(s.framesLastMin), '', p ? String(p.framesLastMin) : '—'],
      [`${s.label}: bytes/frame (max)`, `${fmt(s.bytesPerFrame, 0)} (${s.maxFrameBytes})`, '', fmt(p?.bytesPerFrame, 0)],
      [`${s.label}: image bytes/frame (images)`, `${fmt(s.imageBytesPerFrame, 0)} (${fmt(s.imagesPerFrame)})`, '', fmt(p?.imageBytesPerFrame, 0)],
      [`${s.label}: sparkline cache hit ratio`, fmt(ratio, 3), '', fmt(pratio, 3)],
    );
  }
  return out;
}

/** Prints the figures, the checks and (for the static run) what changed in its last minute. */
export function printTable(r: BenchReport, prev: BenchReport | null): void {
  const head: Row = ['measure', 'value', 'baseline (node -e)', prev ? `previous (${prev.date.slice(0, 16)})` : 'previous'];
  const all = [head, ...rows(r, prev)];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  const line = (row: Row): string => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...all.slice(1).map(line)];
  out.push('', `machine: ${r.machine.cpus}× ${r.machine.cpuModel}, ${r.machine.platform}, node ${r.machine.node}, load ${r.machine.loadavg.join(' ')}`);
  out.push(`runs: ${r.options.runs} cold starts each; ${r.options.minutes} min streaming per scenario`, '');
  for (const c of r.checks) out.push(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${fmt(c.value, 3)} (target ${c.target})`);
  for (const s of r.streams) {
    if (s.lastMinChanges.length > 0) out.push('', `${s.label}: lines that changed in the last minute:`, ...s.lastMinChanges.map((l) => `  ${l}`));
    if (s.exitCode !== 0) out.push(`${s.label}: plugin exit code ${String(s.exitCode)} ${s.stderrTail}`);
  }
  if (r.once.failures > 0) out.push(`--once failed ${r.once.failures}×: ${r.once.sampleOutput.slice(0, 300)}`);
  if (r.action.failures > 0) out.push(`do_unload failed ${r.action.failures}×: ${r.action.sampleOutput.slice(0, 300)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
