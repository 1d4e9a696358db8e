/**
 * Soak benchmark: streams the real plugin process against the llama-swap simulator cycling
 * through its scenarios, checks every frame's structure, and reports frames emitted, malformed
 * frames (must be 0), the plugin's RSS at start (after a warm-up) and end (medians over a window,
 * as RSS swings with the GC cycle), and CPU seconds.
 *
 *   npx tsx scripts/soak.ts [--minutes 30] [--cycle 20] [--warmup-minutes 2] [--out .cache/soak/result.json]
 *
 * Exit status 1 when a frame was malformed, the plugin died, or RSS grew more than 10%.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createLlamaSwapSimulator } from '../src/system/simulator/index.js';
import { startPluginProcess } from '../test/e2e/helpers/plugin-process.js';

type Sample = { readonly atSec: number; readonly rssKb: number; readonly cpuSec: number; readonly frames: number };

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const raw = at >= 0 ? process.argv[at + 1] : undefined;
  const n = Number(raw);
  return raw !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
}

function stringFlag(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return (at >= 0 ? process.argv[at + 1] : undefined) ?? fallback;
}

const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Resident set size in KiB: /proc on Linux, `ps` elsewhere. */
function rssKb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m?.[1]) return Number(m[1]);
  } catch {
    // not Linux: fall through to ps
  }
  try {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || 0;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds: /proc/<pid>/stat on Linux, `ps -o time=` elsewhere. */
function cpuSec(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    // not Linux
  }
  try {
    const t = execFileSync('ps', ['-o', 'time=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  } catch {
    return 0;
  }
}

const minutes = flag('--minutes', 30);
const cycleSec = flag('--cycle', 20);
const warmupMin = flag('--warmup-minutes', Math.min(2, minutes / 10));
const out = resolve(stringFlag('--out', '.cache/soak/result.json'));
const sampleEveryMs = 10_000;

const sim = await createLlamaSwapSimulator({ port: 0, cycle: cycleSec, scenario: 'idle' });
const plugin = startPluginProcess({ apiUrl: sim.url, timeoutSecs: 1, retainFrames: false });
const started = Date.now();
const samples: Sample[] = [];
const sample = (): Sample => {
  const s = { atSec: Math.round((Date.now() - started) / 1000), rssKb: rssKb(plugin.pid), cpuSec: cpuSec(plugin.pid), frames: plugin.frameCount() };
  samples.push(s);
  return s;
};
const scenarios = new Map<string, number>();
const scenarioTimer = setInterval(() => scenarios.set(sim.scenario(), (scenarios.get(sim.scenario()) ?? 0) + 1), 1000);
console.log(`soak: ${minutes} min, simulator ${sim.url} cycling every ${cycleSec} s, plugin pid ${plugin.pid}, warm-up ${warmupMin} min`);

const first = sample();
let warm: Sample | null = null;
let died = false;
void plugin.exited.then(() => {
  died = true;
});
await new Promise<void>((done) => {
  const timer = setInterval(() => {
    if (died) {
      clearInterval(timer);
      done();
      return;
    }
    const s = sample();
    if (!warm && s.atSec >= warmupMin * 60) warm = s;
    if (s.atSec % 60 < sampleEveryMs / 1000) {
      console.log(`  ${(s.atSec / 60).toFixed(0).padStart(3)} min  frames ${s.frames}  malformed ${plugin.malformed.length}  rss ${(s.rssKb / 1024).toFixed(1)} MiB  cpu ${s.cpuSec.toFixed(1)} s`);
    }
    if (s.atSec >= minutes * 60) {
      clearInterval(timer);
      done();
    }
  }, sampleEveryMs);
});
const end = samples[samples.length - 1] ?? first;
const start: Sample = warm ?? first;
clearInterval(scenarioTimer);
const status = await plugin.stop();
await sim.close();
await plugin.dispose();

// RSS swings ±15% with V8's GC cycle, so start and end are medians over a window of samples.
const windowSec = Math.max(sampleEveryMs / 1000, Math.min(300, (end.atSec - start.atSec) / 5));
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const rssStartMedian = median(samples.filter((s) => s.atSec >= start.atSec && s.atSec <= start.atSec + windowSec).map((s) => s.rssKb));
const rssEndMedian = median(samples.filter((s) => s.atSec >= end.atSec - windowSec).map((s) => s.rssKb));
const growth = rssStartMedian > 0 ? (rssEndMedian - rssStartMedian) / rssStartMedian : 0;
const result = {
  minutes, cycleSec, warmupMinutes: warmupMin,
  framesEmitted: plugin.frameCount(),
  malformedFrames: plugin.malformed.length,
  malformedExamples: plugin.malformed.slice(0, 3),
  rssStartKb: rssStartMedian, rssEndKb: rssEndMedian, rssWindowSec: windowSec,
  rssStartSampleKb: start.rssKb, rssStartAtSec: start.atSec, rssFirstKb: first.rssKb, rssEndSampleKb: end.rssKb,
  rssGrowthPercent: Math.round(growth * 1000) / 10,
  rssMaxKb: Math.max(...samples.map((s) => s.rssKb)),
  cpuSeconds: Math.round(end.cpuSec * 100) / 100,
  cpuPercentOfOneCore: Math.round((end.cpuSec / Math.max(1, end.atSec)) * 1000) / 10,
  secondsPerScenario: Object.fromEntries(scenarios),
  pluginDiedEarly: died && end.atSec < minutes * 60,
  exit: status,
  stderrTail: plugin.stderr().slice(-2000),
  samples,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`frames ${result.framesEmitted}, malformed ${result.malformedFrames}, RSS (medians) ${(rssStartMedian / 1024).toFixed(1)} → ${(rssEndMedian / 1024).toFixed(1)} MiB (${result.rssGrowthPercent}%), CPU ${result.cpuSeconds} s (${result.cpuPercentOfOneCore}% of a core); ${out}`);
process.exitCode = result.malformedFrames > 0 || result.pluginDiedEarly || growth > 0.1 ? 1 : 0;
