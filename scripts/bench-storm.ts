/**
 * The event-storm figures on their own (`npm run bench` runs the same after its other figures):
 * the bundled plugin against a stand-in streaming 1,000 events a second, per scenario
 * (`inflight`: new request ids only; `mixed`: in-flight upserts, modelStatus flapping, logData
 * and activity in turn), beside a baseline bundle when `--compare <dir>` gives one.
 *
 *   npx tsx scripts/bench-storm.ts [--seconds 30] [--compare .cache/dist-base] [--no-build]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../src/system/swiftbar/swiftbar-wrapper.js';
import { buildBundle } from './build.js';
import { STORM_BUDGET, STORM_SCENARIOS, stormRun, type StormResult } from './bench/storm.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs every scenario for every bundle, one at a time (they compete for the same cores otherwise). */
export async function stormFigures(bundles: ReadonlyArray<{ readonly label: string; readonly entry: string }>, seconds: number): Promise<StormResult[]> {
  const results: StormResult[] = [];
  for (const scenario of Object.keys(STORM_SCENARIOS)) {
    for (const b of bundles) {
      process.stderr.write(`storm ${scenario}: ${b.label} for ${seconds} s…\n`);
      results.push(await stormRun(b.label, [...NODE_FLAGS, b.entry], scenario, seconds));
    }
  }
  return results;
}

export function printStormTable(results: readonly StormResult[]): void {
  const cols = ['scenario', 'bundle', 'events/s', 'CPU share', 'frames/min', 'longest gap s', 'events behind', '/logs/min', '/running/min', 'max fds', 'peak RSS MB'];
  const rows = results.map((r) => [
    r.scenario, r.label, r.eventsPerSec.toFixed(0), r.cpuShare.toFixed(2), r.framesPerMin.toFixed(0), (r.longestGapMs / 1000).toFixed(1),
    String(r.eventsBehind), r.logsPerMin.toFixed(0), r.runningPerMin.toFixed(0), String(r.maxOpenFds), r.peakRssMb.toFixed(0),
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  process.stdout.write(`\nEvent storm at 1,000 events/s (budget: CPU share ≤ ${STORM_BUDGET.cpuShare}, longest gap ≤ ${STORM_BUDGET.longestGapMs / 1000} s)\n`);
  process.stdout.write(`${line(cols)}\n${rows.map(line).join('\n')}\n`);
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--seconds');
  const seconds = at >= 0 ? Number(process.argv[at + 1]) || 30 : 30;
  const compare = process.argv.indexOf('--compare');
  if (!process.argv.includes('--no-build')) await buildBundle({ quiet: true });
  const bundles = [{ label: 'this', entry: path.join(root, 'dist', 'main.js') }];
  const base = compare >= 0 ? process.argv[compare + 1] : undefined;
  if (base !== undefined) bundles.push({ label: 'compare', entry: path.resolve(root, base, 'main.js') });
  printStormTable(await stormFigures(bundles, seconds));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
