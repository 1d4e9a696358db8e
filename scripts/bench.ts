/**
 * `npm run bench`: the plugin's start-up and running costs against a fixed, deterministic
 * llama-swap (three loaded models; in `busy` one processing; GPU and system figures from
 * /api/performance; scripts/bench/fixed-llama-swap.ts), each figure next to a baseline measured
 * in the same run, checked against the targets of issue 13. Builds dist/ first and runs the
 * bundle as the SwiftBar wrapper does (`node --max-semi-space-size=1 dist/main.js`):
 * - one-shot (`--once`) with an empty cache (a fresh HOME per run) and with a warm one, and one
 *   action (`do_unload`): medians of `--runs` starts, each paired with `node -e 1`;
 * - `--minutes` of streaming, idle and busy side by side with a baseline node process that only
 *   keeps a 3 s timer: CPU seconds per minute (process and children, /proc) after minute one,
 *   RSS at the end, frames; then a heap snapshot of the idle plugin (summed by kind and name);
 * - click → frame against the real llama-swap (scripts/bench/clicks.ts; skipped without its
 *   binary or with `--no-clicks`): `--clicks` rounds of load + unload, a SwiftBar 2.1 `stdin=`
 *   click beside a `bash=` click (node started per click) as the baseline;
 * - with `--compare <dir>` (a bundle of an earlier commit, e.g. built with
 *   `git stash; npx tsx scripts/build.ts --outdir .cache/dist-base`), the same for that bundle.
 * - an event storm (scripts/bench/storm.ts): 1,000 events a second for `--storm-seconds` per
 *   scenario and bundle, one run at a time: CPU share, frames a minute, the longest gap between
 *   frames, events behind, `/logs` and `/running` requests a minute, open files.
 * Prints a table with the previous run's figures beside and writes bench-results/<time>.json.
 *
 * With `--hosts N` it runs only the several-hosts scenario instead (scripts/bench/hosts.ts): N
 * simulated llama-swaps of 50 models against one, streaming side by side, as ratios.
 *
 *   npx tsx scripts/bench.ts [--minutes 3] [--runs 9] [--storm-seconds 60] [--clicks 10] [--compare .cache/dist-base] [--no-build] [--no-stream] [--no-heap] [--no-storm] [--no-clicks]
 *   npx tsx scripts/bench.ts --hosts 10 [--minutes 3]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../src/system/swiftbar/swiftbar-wrapper.js';
import { buildBundle } from './build.js';
import { clickFigures, type ClickResult } from './bench/clicks.js';
import { coldStarts, type ColdResult, type Command } from './bench/cold.js';
import { startFixedLlamaSwap, type FixedLlamaSwap } from './bench/fixed-llama-swap.js';
import { hostsFigures, hostsTable } from './bench/hosts.js';
import { round } from './bench/proc.js';
import { streamRun, type StreamResult } from './bench/stream.js';
import { checks, printTable, type BenchReport, type BundleFigures } from './bench/report.js';
import type { StormResult } from './bench/storm.js';
import { printStormTable, stormFigures } from './bench-storm.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const n = Number(at >= 0 ? process.argv[at + 1] : undefined);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function stringFlag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const minutes = flag('--minutes', 3);
const runs = Math.round(flag('--runs', 9));
const stormSeconds = flag('--storm-seconds', 60);
const clickRounds = Math.round(flag('--clicks', 10));
const outDir = path.resolve(root, stringFlag('--out') ?? 'bench-results');
const compareDir = stringFlag('--compare');

function previousReport(): BenchReport | null {
  try {
    const files = readdirSync(outDir).filter((f) => f.endsWith('.json')).sort();
    const last = files.at(-1);
    return last ? (JSON.parse(readFileSync(path.join(outDir, last), 'utf8')) as BenchReport) : null;
  } catch {
    return null;
  }
}

/** A clean environment: no LLAMA_SWAP_* of the user's, a throw-away HOME and cache. */
function pluginEnv(home: string, server: FixedLlamaSwap): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), LLAMA_SWAP_API_BASE_URL: server.url };
}

const hasFrame = (r: { code: number | null; stdout: string }): boolean => r.code === 0 && r.stdout.includes('\n---\n');

async function coldFigures(label: string, entry: string, home: string, idle: FixedLlamaSwap): Promise<Pick<BundleFigures, 'onceEmpty' | 'onceWarm' | 'action'>> {
  const plugin = (...args: string[]): string[] => [...NODE_FLAGS, entry, ...args];
  const baseline: Command = { args: ['-e', '1'], env: { PATH: process.env['PATH'] ?? '' } };
  let n = 0;
  process.stderr.write(`${label}: one-shot, empty cache (${runs} runs)…\n`);
  const onceEmpty: ColdResult = await coldStarts(() => ({ args: plugin('--once'), env: pluginEnv(path.join(home, `empty-${n++}`), idle) }), baseline, runs, hasFrame);
  process.stderr.write(`${label}: one-shot, warm cache…\n`);
  // Run 1 draws dashes (one sample), run 2 lines; from run 3 on every chart is in the cache.
  const onceWarm: ColdResult = await coldStarts({ args: plugin('--once'), env: pluginEnv(path.join(home, 'warm'), idle) }, baseline, runs, hasFrame, 3);
  process.stderr.write(`${label}: action do_unload…\n`);
  const action: ColdResult = await coldStarts({ args: plugin('do_unload'), env: pluginEnv(path.join(home, 'action'), idle) }, baseline, runs, (r) => r.code === 0);
  return { onceEmpty, onceWarm, action };
}

async function mainHosts(hosts: number): Promise<void> {
  if (!process.argv.includes('--no-build')) await buildBundle({ quiet: true });
  const home = mkdtempSync(path.join(os.tmpdir(), 'llama-swap-bench-hosts-'));
  try {
    const figures = await hostsFigures({ hosts, minutes, entry: path.join(root, 'dist', 'main.js'), home });
    process.stdout.write(hostsTable(figures));
    // Its own folder: the main report's "previous run" is the newest file of outDir.
    mkdirSync(path.join(outDir, 'hosts'), { recursive: true });
    const file = path.join(outDir, 'hosts', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine: { node: process.version, cpus: os.cpus().length, loadavg: os.loadavg() }, minutes, ...figures }, null, 2)}\n`);
    process.stdout.write(`written ${path.relative(root, file)}\n`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const hosts = Math.round(flag('--hosts', 0));
  if (hosts > 0) return mainHosts(hosts);
  if (!process.argv.includes('--no-build')) await buildBundle({ quiet: true });
  const home = mkdtempSync(path.join(os.tmpdir(), 'llama-swap-bench-'));
  const idle = await startFixedLlamaSwap('idle');
  const busy = await startFixedLlamaSwap('busy');
  const bundles: Array<{ readonly label: string; readonly entry: string }> = [{ label: 'this', entry: path.join(root, 'dist', 'main.js') }];
  if (compareDir !== undefined) bundles.push({ label: 'compare', entry: path.resolve(root, compareDir, 'main.js') });
  try {
    const cold: Array<Pick<BundleFigures, 'onceEmpty' | 'onceWarm' | 'action'>> = [];
    for (const b of bundles) cold.push(await coldFigures(b.label, b.entry, path.join(home, b.label), idle));

    let streams: StreamResult[] = [];
    let baselineStream: StreamResult | null = null;
    if (!process.argv.includes('--no-stream')) {
      process.stderr.write(`streaming: idle and busy${compareDir === undefined ? '' : ' (both bundles)'} and a baseline node side by side for ${minutes} min…\n`);
      const jobs = bundles.flatMap((b) =>
        (['idle', 'busy'] as const).map(async (scenario) => {
          const dir = path.join(home, b.label, `stream-${scenario}`);
          mkdirSync(dir, { recursive: true });
          const heap = b.label === 'this' && scenario === 'idle' && !process.argv.includes('--no-heap');
          const args = [...NODE_FLAGS, ...(heap ? ['--heapsnapshot-signal=SIGUSR2'] : []), b.entry, '--stream'];
          return streamRun({ label: `${b.label}:${scenario}`, args, env: pluginEnv(dir, scenario === 'idle' ? idle : busy), minutes, statsFile: path.join(dir, 'stats.json'), cwd: dir, heapSnapshot: heap });
        }),
      );
      const base = streamRun({ label: 'baseline', args: ['-e', 'setInterval(() => {}, 3000)'], env: { PATH: process.env['PATH'] ?? '' }, minutes, statsFile: path.join(home, 'none.json') });
      [streams, baselineStream] = await Promise.all([Promise.all(jobs), base]);
    }

    // After the streaming runs, alone: a storm takes a core's worth of the stand-in and the plugin.
    const storms: StormResult[] = process.argv.includes('--no-storm') ? [] : await stormFigures(bundles, stormSeconds);
    let clicks: ClickResult | null = null;
    if (!process.argv.includes('--no-clicks')) {
      process.stderr.write(`clicks: ${clickRounds} rounds of load + unload on the real llama-swap, stdin= and bash=…\n`);
      clicks = await clickFigures(clickRounds);
    }

    const figures: BundleFigures[] = bundles.map((b, i) => ({
      label: b.label,
      ...(cold[i] as Pick<BundleFigures, 'onceEmpty' | 'onceWarm' | 'action'>),
      idle: streams.find((s) => s.label === `${b.label}:idle`) ?? null,
      busy: streams.find((s) => s.label === `${b.label}:busy`) ?? null,
    }));
    const report: BenchReport = {
      schema: 2,
      date: new Date().toISOString(),
      machine: { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', loadavg: os.loadavg().map((n) => round(n, 2)) },
      options: { minutes, runs, compare: compareDir ?? null },
      bundles: figures,
      baselineStream,
      storms,
      clicks,
      checks: [],
    };
    const full: BenchReport = { ...report, checks: checks(report) };
    printTable(full, previousReport());
    if (storms.length > 0) printStormTable(storms);
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${full.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
    process.stdout.write(`\nwritten ${path.relative(root, file)}\n`);
    process.exitCode = full.checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await Promise.all([idle.close(), busy.close()]);
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
