/**
 * `npm run bench`: the plugin's start-up and running costs, each next to a baseline measured in
 * the same run, checked against the targets of issue 6. Builds dist/ first, starts llama-swap
 * simulators in this process, and measures the bundled plugin as child processes:
 * - cold start to the first frame (`--once`) and of one action (`do_unload`), medians of
 *   `--runs` starts, each interleaved with `node -e` printing one line;
 * - `--minutes` of streaming against the idle, busy and static scenarios (run side by side):
 *   CPU seconds per minute and RSS from /proc, frames per minute, bytes per frame, frames in
 *   the last minute of the static run (must be 0), sparkline cache hit ratio.
 * Prints a table (with the previous run's figures when there is one) and writes the JSON to
 * bench-results/<timestamp>.json.
 *
 *   npx tsx scripts/bench.ts [--minutes 10] [--runs 15] [--out bench-results] [--no-build] [--no-stream]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLlamaSwapSimulator, type LlamaSwapSimulator, type ScenarioName } from '../src/system/simulator/index.js';
import { NODE_FLAGS } from '../src/system/swiftbar/swiftbar-wrapper.js';
import { buildBundle } from './build.js';
import { coldStarts, type ColdResult, type Command } from './bench/cold.js';
import { round } from './bench/proc.js';
import { streamRun, type StreamResult } from './bench/stream.js';
import { checks, printTable, type BenchReport } from './bench/report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const n = Number(at >= 0 ? process.argv[at + 1] : undefined);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function stringFlag(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return (at >= 0 ? process.argv[at + 1] : undefined) ?? fallback;
}

const minutes = flag('--minutes', 10);
const runs = Math.round(flag('--runs', 15));
const outDir = path.resolve(root, stringFlag('--out', 'bench-results'));
const entry = path.join(root, 'dist', 'main.js');
/** The plugin runs as the SwiftBar wrapper starts it: node with the wrapper's V8 flags. */
const plugin = (...args: string[]): string[] => [...NODE_FLAGS, entry, ...args];

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
function pluginEnv(home: string, sim: LlamaSwapSimulator): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    LLAMA_SWAP_API_BASE_URL: sim.url,
  };
}

async function simulator(scenario: ScenarioName): Promise<LlamaSwapSimulator> {
  // Models load in 300 ms here so the first frames are not spent waiting on a load.
  return createLlamaSwapSimulator({ host: '127.0.0.1', port: 0, scenario, loadMs: 300 });
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) await buildBundle({ quiet: true });
  const home = mkdtempSync(path.join(os.tmpdir(), 'llama-swap-bench-'));
  const sims: LlamaSwapSimulator[] = [];
  const sim = async (scenario: ScenarioName): Promise<LlamaSwapSimulator> => {
    const s = await simulator(scenario);
    sims.push(s);
    return s;
  };
  try {
    const baseline: Command = { args: ['-e', 'console.log("ok")'], env: { PATH: process.env['PATH'] ?? '' } };
    const onceSim = await sim('static');
    const actionSim = await sim('idle');
    await new Promise((r) => setTimeout(r, 1000)); // let the scenario load its model
    process.stderr.write(`cold starts: ${runs} runs each…\n`);
    const once: ColdResult = await coldStarts({ args: plugin('--once'), env: pluginEnv(path.join(home, 'once'), onceSim) }, baseline, runs, (r) => r.code === 0 && r.stdout.includes('\n---\n'));
    const action: ColdResult = await coldStarts({ args: plugin('do_unload'), env: pluginEnv(path.join(home, 'action'), actionSim) }, baseline, runs, (r) => r.code === 0);

    let streams: StreamResult[] = [];
    if (!process.argv.includes('--no-stream')) {
      process.stderr.write(`streaming: idle, busy and static side by side for ${minutes} min…\n`);
      const scenarios: ScenarioName[] = ['idle', 'busy', 'static'];
      streams = await Promise.all(
        scenarios.map(async (scenario) => {
          const s = await sim(scenario);
          const dir = path.join(home, scenario);
          mkdirSync(dir, { recursive: true });
          // Static: a 10-sample history fills its charts in 30 s; until a chart's window is full,
          // each sample re-spaces its line (a visible change), so only then is nothing changing.
          const env = { ...pluginEnv(dir, s), ...(scenario === 'static' ? { LLAMA_SWAP_HISTORY_SIZE: '10' } : {}) };
          return streamRun({ label: scenario, args: plugin('--stream'), env, minutes, statsFile: path.join(dir, 'stats.json') });
        }),
      );
    }

    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', loadavg: os.loadavg().map((n) => round(n, 2)) },
      options: { minutes, runs },
      once,
      action,
      streams,
      checks: [],
    };
    const full: BenchReport = { ...report, checks: checks(report) };
    printTable(full, previousReport());
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${full.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
    process.stdout.write(`\nwritten ${path.relative(root, file)}\n`);
    process.exitCode = full.checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await Promise.all(sims.map((s) => s.close()));
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
