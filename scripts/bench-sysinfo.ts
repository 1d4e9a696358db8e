/**
 * Prints the median cost of each systeminformation call the plugin could use, to decide which
 * belong on the one-second path. Run: npx tsx scripts/bench-sysinfo.ts [rounds]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import si from 'systeminformation';

const rounds = Math.max(3, Number(process.argv[2] ?? 7) || 7);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** gapMs: systeminformation serves repeated processes()/currentLoad() calls within ~0.5 s from a cache. */
async function time(label: string, fn: () => unknown, gapMs = 0): Promise<void> {
  const first = performance.now();
  await fn();
  const firstMs = performance.now() - first;
  const samples: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    if (gapMs > 0) await sleep(gapMs);
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? Number.NaN;
  console.log(`${label.padEnd(28)} first ${firstMs.toFixed(1).padStart(8)} ms   median ${median.toFixed(2).padStart(8)} ms`);
}

console.log(`${os.platform()} ${os.arch()}, ${os.cpus().length} cores, node ${process.version}, ${rounds} rounds`);
await time('os.cpus()', () => os.cpus());
await time('os.loadavg()', () => os.loadavg());
await time('si.mem()', () => si.mem());
await time('si.currentLoad() (cached)', () => si.currentLoad());
await time('si.currentLoad() 1 s apart', () => si.currentLoad(), 1000);
await time('si.processes() (cached)', () => si.processes());
await time('si.processes() 1 s apart', () => si.processes(), 1000);
await time('si.processLoad("llama-swap")', () => si.processLoad('llama-swap'));
await time('si.graphics()', () => si.graphics());
