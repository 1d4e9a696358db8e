/**
 * Process figures for the benchmark: CPU seconds (utime + stime) from /proc/<pid>/stat and
 * resident memory from /proc/<pid>/status (Linux), `ps` elsewhere; plus small statistics helpers.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export type ProcSample = {
  /** The process's own CPU seconds plus those of its children, finished (reaped) and running. */
  readonly cpuSec: number;
  readonly childCpuSec: number;
  readonly rssMb: number;
  readonly peakRssMb: number;
  /** RSS of its running children (the chart-drawing process), MB. */
  readonly childRssMb: number;
};

const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** [utime + stime, cutime + cstime] of a live process in seconds; NaN when it is gone. */
export function cpuSeconds(pid: number): readonly [own: number, children: number] {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [(Number(fields[11]) + Number(fields[12])) / CLK_TCK, (Number(fields[13]) + Number(fields[14])) / CLK_TCK];
  } catch {
    return [psCpuSeconds(pid), 0];
  }
}

function psCpuSeconds(pid: number): number {
  try {
    const out = execFileSync('ps', ['-o', 'time=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const parts = out.split(/[:-]/).map(Number);
    return parts.reduce((acc, n) => acc * 60 + n, 0);
  } catch {
    return Number.NaN;
  }
}

function statusKb(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : Number.NaN;
  } catch {
    if (field !== 'VmRSS') return Number.NaN;
    try {
      return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    } catch {
      return Number.NaN;
    }
  }
}

/** Pids of the running children of `pid` (Linux /proc; none elsewhere). */
export function childPids(pid: number): number[] {
  try {
    return readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .filter((n) => {
        try {
          const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU seconds, current and peak RSS in MB of a live process. CPU includes running children (not
 * yet in the parent's cutime); `childRssMb` is their RSS, reported beside the process's own.
 */
export function sampleProcess(pid: number): ProcSample {
  const [own, reaped] = cpuSeconds(pid);
  let live = 0;
  let childRssKb = 0;
  for (const child of childPids(pid)) {
    const [c, cc] = cpuSeconds(child);
    if (Number.isFinite(c)) live += c + cc;
    const rss = statusKb(child, 'VmRSS');
    if (Number.isFinite(rss)) childRssKb += rss;
  }
  const children = reaped + live;
  return { cpuSec: own + children, childCpuSec: children, rssMb: statusKb(pid, 'VmRSS') / 1024, peakRssMb: statusKb(pid, 'VmHWM') / 1024, childRssMb: childRssKb / 1024 };
}

/** Median of a non-empty list (NaN when empty). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Rounds for display and JSON. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
