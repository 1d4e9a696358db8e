/**
 * Issue 19 items 1, 2 and 9 measured on a bundle (a measurement, not a test: the tests assert the
 * behaviour). For each probe: the one-shot's outcome and peak RSS with a 200 MB and a 500 MB
 * history.json, a FIFO as sparklines.json and as history.json (one-shot: did it end; streaming:
 * did a frame come), and the temporary files left after 20 kill -9 during saves.
 *
 *   npx tsx scripts/cache-file-budget.ts [--bundle dist/main.js] [--skip-big]
 *
 * Linux only for RSS (/usr/bin/time -v). The big files are written to a temporary folder and
 * removed afterwards. llama-swap is a closed port: the run measures the files, not the API.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { History } from '../src/hooks/history/history.js';
import { encodeHistory } from '../src/hooks/history/history-store.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const BUNDLE = path.resolve(arg('--bundle') ?? path.join(root, 'dist', 'main.js'));
const SKIP_BIG = process.argv.includes('--skip-big');
/** A run still going after this is reported as hung and killed. */
const HANG_MS = 30_000;

type Outcome = { readonly exit: string; readonly peakMb: number | null; readonly frames: number; readonly stderrTail: string };

async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Runs the bundle under /usr/bin/time -v with the cache folder given; kills it after HANG_MS (streaming: after the first frame). */
async function run(cacheDir: string, port: number, streaming: boolean): Promise<Outcome> {
  const env = {
    HOME: path.dirname(cacheDir),
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    SWIFTBAR_PLUGIN_CACHE_PATH: cacheDir,
    LLAMA_SWAP_API_PORT: String(port),
    LLAMA_SWAP_STREAMING_MODE: streaming ? 'true' : 'false',
  };
  const child = spawn('/usr/bin/time', ['-v', process.execPath, BUNDLE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let frames = 0;
  let done = false;
  let killed = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    frames = stdout.split('\n').filter((l) => l === '~~~').length;
    // Streaming: one frame is the answer to "does it print"; then end it.
    // (The plugin is /usr/bin/time's child: signalled by its parent's pid, ours.)
    if (streaming && frames >= 1 && !done) execFileSync('pkill', ['-TERM', '-P', String(child.pid)]);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => {
    if (done) return;
    killed = true;
    execFileSync('pkill', ['-KILL', '-P', String(child.pid)]);
  }, HANG_MS);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  done = true;
  clearTimeout(timer);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const status = /Command (?:terminated by signal|exited with non-zero status) (\d+)/.exec(stderr);
  const hung = killed && frames === 0;
  const exit = hung ? `hung (killed after ${HANG_MS / 1000} s)` : status ? `status/signal ${status[1]}` : code === 0 ? 'exit 0' : `code ${String(code)} ${String(signal)}`;
  const tail = stderr.split('\n').filter((l) => !/^\t|^Command being timed/.test(l) && l.trim() !== '').slice(-2).join(' | ');
  return { exit, peakMb: rss?.[1] ? Math.round(Number(rss[1]) / 1024) : null, frames: frames || (stdout.trim() !== '' ? 1 : 0), stderrTail: tail.slice(0, 160) };
}

/** A tagged history.json of `mb` megabytes: one long array of numbers (the worst case for JSON.parse). */
async function bigHistory(file: string, mb: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('{"schema":"llama-swap-swiftbar/history","version":1,"savedAt":0,"times":[');
  const chunk = `${Array.from({ length: 10_000 }, (_, i) => 1_700_000_000_000 + i).join(',')},`;
  let written = 0;
  while (written < mb * 1024 * 1024) {
    if (!out.write(chunk)) await once(out, 'drain');
    written += chunk.length;
  }
  out.end('0],"system":{},"models":{}}');
  await once(out, 'finish');
}

function fresh(base: string, name: string): string {
  const dir = path.join(base, name, 'cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A valid history of 10,000 recent samples of 32 models (~23 MB), so each save takes a while. */
function largeValidHistory(file: string): void {
  const capacity = 10_000;
  const history = new History({ capacity });
  const now = Date.now();
  const model = { genTps: 12.345678901234, promptTps: 345.67890123456, memoryBytes: 4_123_456_789, queue: 0 };
  const models = Object.fromEntries(Array.from({ length: 32 }, (_, m) => [`model-${m}`, model]));
  for (let i = 0; i < capacity; i += 1) {
    history.record({ at: now - (capacity - i) * 1000, system: { cpuPercent: 12.3456789, memUsedBytes: 8_123_456_789, gpuUtilPercent: null, gpuMemUsedBytes: null }, models });
  }
  writeFileSync(file, encodeHistory(history.snapshot(), now));
}

/** Starts one-shots with a large history and kills each (-9) the moment its temporary history file appears. */
async function killDuringSaves(base: string, port: number, times: number): Promise<{ left: number; afterCleanRun: number }> {
  const dir = fresh(base, 'kill9');
  largeValidHistory(path.join(dir, 'history.json'));
  for (let i = 0; i < times; i += 1) {
    const child = spawn(process.execPath, [BUNDLE], {
      env: { HOME: base, PATH: process.env['PATH'] ?? '', SWIFTBAR_PLUGIN_CACHE_PATH: dir, LLAMA_SWAP_API_PORT: String(port), LLAMA_SWAP_STREAMING_MODE: 'false', LLAMA_SWAP_HISTORY_SIZE: '10000' },
      stdio: 'ignore',
    });
    const watcher = watch(dir, (_event, name) => {
      // Its own temporary file (an event for an earlier run's being removed is not a save).
      if (name !== null && name.startsWith(`.history.json.${child.pid}.`) && name.endsWith('.tmp')) child.kill('SIGKILL');
    });
    await once(child, 'exit');
    watcher.close();
  }
  const count = (): number => readdirSync(dir).filter((n) => n.endsWith('.tmp')).length;
  const left = count();
  // One run that is not killed: does any start remove them?
  await run(dir, port, false);
  return { left, afterCleanRun: count() };
}

async function main(): Promise<void> {
  const base = mkdtempSync(path.join(os.tmpdir(), 'cache-file-budget-'));
  const port = await closedPort();
  console.log(`bundle: ${BUNDLE}`);
  try {
    const rows: string[] = [];
    const report = (probe: string, o: Outcome): void => {
      rows.push(`${probe.padEnd(38)} ${o.exit.padEnd(28)} peak ${String(o.peakMb ?? '?').padStart(5)} MB  frames ${o.frames}  ${o.stderrTail}`);
      console.log(rows.at(-1));
    };
    const baseline = fresh(base, 'baseline');
    report('one-shot, no files (baseline)', await run(baseline, port, false));
    if (!SKIP_BIG) {
      for (const mb of [200, 500]) {
        const dir = fresh(base, `big-${mb}`);
        await bigHistory(path.join(dir, 'history.json'), mb);
        report(`one-shot, ${mb} MB history.json`, await run(dir, port, false));
        rmSync(path.join(base, `big-${mb}`), { recursive: true, force: true });
      }
    }
    for (const name of ['sparklines.json', 'history.json']) {
      for (const streaming of [false, true]) {
        const dir = fresh(base, `fifo-${name}-${streaming}`);
        execFileSync('mkfifo', [path.join(dir, name)]);
        report(`${streaming ? 'streaming' : 'one-shot'}, FIFO ${name}`, await run(dir, port, streaming));
      }
    }
    const kills = await killDuringSaves(base, port, 20);
    console.log(`20 kill -9 during saves: ${kills.left} temporary files left; after one more (clean) start: ${kills.afterCleanRun}`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

await main();
