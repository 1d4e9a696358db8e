/**
 * The benchmark's report: its JSON shape, the targets of issue 13 as checks, and the table
 * printed to the terminal (with the previous run's value next to each figure when known).
 */
import type { ClickResult } from './clicks.js';
import type { ColdResult } from './cold.js';
import { round } from './proc.js';
import { STORM_BUDGET, type StormResult } from './storm.js';
import type { StreamResult } from './stream.js';

export type Check = { readonly name: string; readonly value: number; readonly target: string; readonly ok: boolean };

/** Every figure of one bundle (this build, or the one given with --compare). */
export type BundleFigures = {
  readonly label: string;
  readonly onceEmpty: ColdResult;
  readonly onceWarm: ColdResult;
  readonly action: ColdResult;
  readonly idle: StreamResult | null;
  readonly busy: StreamResult | null;
};

export type BenchReport = {
  readonly schema: 2;
  readonly date: string;
  readonly machine: { readonly node: string; readonly platform: string; readonly cpus: number; readonly cpuModel: string; readonly loadavg: readonly number[] };
  readonly options: { readonly minutes: number; readonly runs: number; readonly compare: string | null };
  readonly bundles: readonly BundleFigures[];
  /** `node -e 'setInterval(() => {}, 3000)'` streamed alongside: CPU and RSS of node doing nothing. */
  readonly baselineStream: StreamResult | null;
  /** The event-storm runs (scripts/bench/storm.ts), every scenario for every bundle; absent in older reports. */
  readonly storms?: readonly StormResult[];
  /** Click → frame against the real llama-swap (this build only); null when skipped. */
  readonly clicks?: ClickResult | null;
  readonly checks: readonly Check[];
};

/** Targets on a 2-core machine (issue 13). */
export const TARGETS = {
  onceEmptyOverMs: 300,
  actionOverMs: 100,
  idleCpuSecPerMin: 0.3,
  busyCpuSecPerMin: 1.0,
  rssMb: 80,
  idleFramesLastMin: 0,
  clickMedianMs: 50,
  clickWorstMs: 300,
} as const;

/** Every target as a pass/fail check, for this build. */
export function checks(r: BenchReport): Check[] {
  const b = r.bundles[0];
  if (!b) return [];
  const out: Check[] = [
    { name: 'one-shot, empty cache, over node', value: b.onceEmpty.overMs, target: `≤ +${TARGETS.onceEmptyOverMs} ms`, ok: b.onceEmpty.overMs <= TARGETS.onceEmptyOverMs && b.onceEmpty.failures === 0 },
    { name: 'action (do_unload) over node', value: b.action.overMs, target: `≤ +${TARGETS.actionOverMs} ms`, ok: b.action.overMs <= TARGETS.actionOverMs && b.action.failures === 0 },
  ];
  if (b.idle) {
    out.push({ name: 'idle CPU s/min', value: b.idle.cpuSecPerMin, target: `≤ ${TARGETS.idleCpuSecPerMin}`, ok: b.idle.cpuSecPerMin <= TARGETS.idleCpuSecPerMin });
    out.push({ name: 'idle: frames in the last minute', value: b.idle.framesLastMin, target: '= 0', ok: b.idle.framesLastMin === TARGETS.idleFramesLastMin });
  }
  if (b.busy) out.push({ name: 'busy CPU s/min', value: b.busy.cpuSecPerMin, target: `≤ ${TARGETS.busyCpuSecPerMin}`, ok: b.busy.cpuSecPerMin <= TARGETS.busyCpuSecPerMin });
  for (const s of [b.idle, b.busy]) if (s) out.push({ name: `${s.label} RSS MB at end`, value: s.rssMb, target: `≤ ${TARGETS.rssMb}`, ok: s.rssMb <= TARGETS.rssMb });
  for (const s of r.storms ?? []) {
    if (s.label !== b.label) continue;
    out.push({ name: `storm ${s.scenario}: CPU share`, value: s.cpuShare, target: `≤ ${STORM_BUDGET.cpuShare}`, ok: s.cpuShare <= STORM_BUDGET.cpuShare });
    out.push({ name: `storm ${s.scenario}: longest gap between frames (ms)`, value: s.longestGapMs, target: `≤ ${STORM_BUDGET.longestGapMs}`, ok: s.longestGapMs <= STORM_BUDGET.longestGapMs });
  }
  const c = r.clicks;
  if (c) {
    out.push({ name: 'click → frame (stdin), median ms', value: c.stdin.medianMs, target: `≤ ${TARGETS.clickMedianMs}`, ok: c.stdin.medianMs <= TARGETS.clickMedianMs });
    out.push({ name: 'click → frame (stdin), worst ms', value: c.stdin.worstMs, target: `≤ ${TARGETS.clickWorstMs}`, ok: c.stdin.worstMs <= TARGETS.clickWorstMs });
  }
  return out;
}

type Row = readonly [string, ...string[]];

function fmt(n: number | undefined | null, digits = 1): string {
  return n === undefined || n === null || Number.isNaN(n) ? '—' : String(round(n, digits));
}

const cold = (c: ColdResult | undefined): string => (c ? `${fmt(c.medianMs, 0)} (+${fmt(c.overMs, 0)})` : '—');
const mem = (s: StreamResult | null | undefined): string => {
  const m = s?.stats?.memory;
  return m ? `${fmt(m.heapUsed / 1048576)} / ${fmt(m.external / 1048576)} / ${fmt(m.arrayBuffers / 1048576)}` : '—';
};

function rows(r: BenchReport, prev: BenchReport | null): Row[] {
  const p = prev?.schema === 2 ? prev.bundles[0] : undefined;
  const cur = r.bundles;
  const base = r.bundles[0]?.onceEmpty.baselineMs;
  const line = (name: string, get: (b: BundleFigures) => string, prevValue: string, baseline = ''): Row => [name, ...cur.map(get), baseline, prevValue];
  const out: Row[] = [
    line('one-shot, empty cache, ms (over node)', (b) => cold(b.onceEmpty), cold(p?.onceEmpty), `node -e 1: ${fmt(base, 0)}`),
    line('one-shot, warm cache, ms (over node)', (b) => cold(b.onceWarm), cold(p?.onceWarm), `node -e 1: ${fmt(r.bundles[0]?.onceWarm.baselineMs, 0)}`),
    line('action do_unload, ms (over node)', (b) => cold(b.action), cold(p?.action), `node -e 1: ${fmt(r.bundles[0]?.action.baselineMs, 0)}`),
  ];
  const bs = r.baselineStream;
  for (const kind of ['idle', 'busy'] as const) {
    const ps = p?.[kind];
    out.push(
      line(`${kind}: CPU s/min after minute 1 (children)`, (b) => (b[kind] ? `${fmt(b[kind]?.cpuSecPerMin, 3)} (${fmt(b[kind]?.childCpuSecPerMin, 3)})` : '—'), fmt(ps?.cpuSecPerMin, 3), `node: ${fmt(bs?.cpuSecPerMin, 3)}`),
      line(`${kind}: RSS MB at end (peak)`, (b) => (b[kind] ? `${fmt(b[kind]?.rssMb)} (${fmt(b[kind]?.peakRssMb)})` : '—'), fmt(ps?.rssMb), `node: ${fmt(bs?.rssMb)}`),
      line(`${kind}: chart process RSS MB at end (most)`, (b) => (b[kind] ? `${fmt(b[kind]?.childRssMb)} (${fmt(b[kind]?.maxChildRssMb)})` : '—'), fmt(ps?.childRssMb)),
      line(`${kind}: heap used / external / array buffers MB`, (b) => mem(b[kind]), mem(ps)),
      line(`${kind}: frames/min (in the last minute)`, (b) => (b[kind] ? `${fmt(b[kind]?.framesPerMin, 2)} (${b[kind]?.framesLastMin ?? '—'})` : '—'), fmt(ps?.framesPerMin, 2)),
      line(`${kind}: React commits (sparkline draws)`, (b) => `${b[kind]?.stats?.commits ?? '—'} (${b[kind]?.stats?.sparkline?.misses ?? '—'})`, `${ps?.stats?.commits ?? '—'} (${ps?.stats?.sparkline?.misses ?? '—'})`),
    );
  }
  const c = r.clicks;
  const pc = prev?.clicks;
  if (c) {
    const path = (x: ClickResult['stdin'] | undefined): string => (x ? `${fmt(x.medianMs)} / ${fmt(x.worstMs)}` : '—');
    out.push(
      ['click → frame, stdin (SwiftBar 2.1), median / worst ms', path(c.stdin), ...cur.slice(1).map(() => '—'), `bash= click: ${path(c.bash)} (×${fmt(c.speedup)})`, path(pc?.stdin)],
      ['click → frame, first round (stdin; bash=) ms', `${c.firstRound.stdin.join(', ')}`, ...cur.slice(1).map(() => '—'), c.firstRound.bash.join(', '), pc ? pc.firstRound.stdin.join(', ') : '—'],
    );
  }
  return out;
}

/** Prints the figures, the checks, the heap breakdown and what changed in the last minute. */
export function printTable(r: BenchReport, prev: BenchReport | null): void {
  const head: Row = ['measure', ...r.bundles.map((b) => (b.label === 'this' ? 'this build' : `compare (${r.options.compare ?? ''})`)), 'baseline', prev ? `previous (${prev.date.slice(0, 16)})` : 'previous'];
  const all = [head, ...rows(r, prev)];
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  const fmtRow = (row: Row): string => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [fmtRow(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...all.slice(1).map(fmtRow)];
  out.push('', `machine: ${r.machine.cpus}× ${r.machine.cpuModel}, ${r.machine.platform}, node ${r.machine.node}, load ${r.machine.loadavg.join(' ')}`);
  out.push(`runs: ${r.options.runs} starts each (medians, each paired with node -e 1); ${r.options.minutes} min streaming per scenario`, '');
  for (const c of r.checks) out.push(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${fmt(c.value, 3)} (target ${c.target})`);
  const heap = r.bundles[0]?.idle?.heap;
  if (heap) {
    out.push('', `heap of the idle plugin at the end (${heap.totalMb} MB in V8's heap), by kind:`);
    out.push(...heap.byType.map((h) => `  ${String(h.mb).padStart(7)} MB  ${h.name} (${h.count})`));
    out.push('by constructor:', ...heap.byName.map((h) => `  ${String(h.mb).padStart(7)} MB  ${h.name} (${h.count})`));
  }
  for (const b of r.bundles) {
    for (const s of [b.idle, b.busy]) {
      if (!s) continue;
      if (s.lastMinChanges.length > 0) out.push('', `${s.label}: lines that changed in the last minute:`, ...s.lastMinChanges.map((l) => `  ${l}`));
      if (s.exitCode !== 0) out.push(`${s.label}: plugin exit code ${String(s.exitCode)} ${s.stderrTail}`);
    }
    for (const [name, c] of [['one-shot empty', b.onceEmpty], ['one-shot warm', b.onceWarm], ['do_unload', b.action]] as const) {
      if (c.failures > 0) out.push(`${b.label} ${name} failed ${c.failures}×: ${c.sampleOutput.slice(0, 300)}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
