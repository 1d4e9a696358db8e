/**
 * Measures, against the REAL llama-swap (LLAMA_SWAP_BIN or the one scripts/install-llama-swap.sh
 * built), how long after llama-swap reports a model state the plugin's frame shows it:
 *   - "events": the plugin as it is (listening to /api/events);
 *   - "polling": the same plugin behind a proxy that refuses /api/events (older llama-swap).
 * The moment of llama-swap's report is taken from our own /api/events subscription; the frame's
 * from the plugin's stdout. Then the cost of `logData` with a chatty upstream log: the plugin's
 * CPU time over a window with a quiet and a chatty upstream, and the parser's cost per MB.
 *
 *   npx tsx scripts/live-latency.ts [--rounds 7] [--chatty-seconds 20]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLlamaSwapClient } from '../src/system/llama-swap/llama-swap-client.js';
import { decodeLiveEvent, subscribeLiveEvents, type LiveEventStats } from '../src/system/llama-swap/live-events.js';
import { createParser } from 'eventsource-parser';
import { findFakeModelBinary, findLlamaSwapBinary, startRealLlamaSwap } from '../test/e2e/helpers/real-llama-swap.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const ROUNDS = flag('--rounds', 7);
const CHATTY_SECONDS = flag('--chatty-seconds', 20);
const ROOT = new URL('../', import.meta.url).pathname;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** The plugin in streaming mode, its frames timestamped as they arrive. */
function startPlugin(apiUrl: string): { child: ChildProcess; waitFrame(pred: (f: string) => boolean, timeoutMs: number): Promise<number>; stop(): Promise<void> } {
  const dist = join(ROOT, 'dist', 'main.js');
  const argv = existsSync(dist) ? [dist] : ['--import', 'tsx', join(ROOT, 'src', 'main.tsx')];
  const cache = mkdtempSync(join(tmpdir(), 'live-latency-'));
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: cache, LLAMA_SWAP_API_BASE_URL: apiUrl, LLAMA_SWAP_API_TIMEOUT_SECS: '2', SWIFTBAR_PLUGIN_CACHE_PATH: cache },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let pending = '';
  const frames: { at: number; text: string; seq: number }[] = [];
  let seq = 0;
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    let i;
    while ((i = pending.indexOf('~~~\n')) >= 0) {
      frames.push({ at: performance.now(), text: pending.slice(0, i), seq: ++seq });
      pending = pending.slice(i + 4);
      if (frames.length > 50) frames.shift();
      for (const w of [...waiters]) w();
    }
  });
  return {
    child,
    waitFrame: (pred, timeoutMs) =>
      new Promise((resolve, reject) => {
        const from = seq;
        const check = (): void => {
          const hit = frames.find((f) => f.seq > from && pred(f.text));
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit.at);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('no matching frame in time'));
        }, timeoutMs);
        waiters.add(check);
      }),
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(cache, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** A pass-through proxy that answers /api/events with 404, like a llama-swap without it. */
async function refusingProxy(target: string): Promise<{ url: string; server: Server }> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/api/events')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const up = request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** CPU seconds (user + system) of a process so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function measureLatency(label: string, swUrl: string, pluginUrl: string, model: string): Promise<number[]> {
  const client = createLlamaSwapClient({ apiUrl: swUrl, apiPort: 0, apiTimeoutMs: 5000, apiKey: null });
  const seen: { at: number; state: string }[] = [];
  const listener = subscribeLiveEvents({ origin: swUrl, apiKey: null, connectTimeoutMs: 5000 }, {
    onOpen: () => undefined,
    onEvent: (e) => {
      if (e.type === 'modelStatus') seen.push({ at: performance.now(), state: e.models.find((m) => m.id === model)?.state ?? '?' });
    },
    onEnd: () => undefined,
  });
  const plugin = startPlugin(pluginUrl);
  const out: number[] = [];
  try {
    await plugin.waitFrame((f) => f.includes(model), 30_000);
    for (let round = 0; round < ROUNDS; round++) {
      await client.unloadAll();
      await plugin.waitFrame((f) => !f.includes(`${model} — `), 30_000);
      seen.length = 0;
      const framed = plugin.waitFrame((f) => f.includes(`${model} — ready |`), 30_000);
      void fetch(`${swUrl}/upstream/${model}/health`);
      const frameAt = await framed;
      const eventAt = seen.find((s) => s.state === 'ready')?.at;
      if (eventAt === undefined) throw new Error('llama-swap reported no ready state');
      out.push(frameAt - eventAt);
    }
  } finally {
    await plugin.stop();
    listener.close();
  }
  console.log(`${label} (${model}): llama-swap "ready" → plugin frame, ms: ${out.map((x) => x.toFixed(0)).join(', ')}; median ${median(out).toFixed(0)} ms`);
  return out;
}

/** The parser's cost per MB of logData (decode + skip), in-process. */
function parserCostPerMb(): number {
  const line = `[INFO] <chatty> ${'x'.repeat(180)}\n`;
  const data = JSON.stringify({ type: 'logData', data: JSON.stringify({ source: 'upstream', data: line.repeat(20) }) });
  const chunk = `event:message\ndata:${data}\n\n`;
  const stats: LiveEventStats = { logDataSkipped: 0, logDataBytes: 0, events: 0, unreadable: 0 };
  const parser = createParser({ onEvent: (m) => decodeLiveEvent(m.data, 0, stats) });
  const mb = 64;
  const n = Math.ceil((mb * 1024 * 1024) / chunk.length);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) parser.feed(chunk);
  const ms = performance.now() - t0;
  if (stats.logDataSkipped !== n) throw new Error('not every logData event was skipped');
  return ms / ((n * chunk.length) / (1024 * 1024));
}

async function measureChatty(fake: string, bin: string): Promise<void> {
  const rows: string[] = [];
  for (const chatty of [false, true]) {
    // A chatty upstream: ~200 lines of 200 bytes per second on stdout (llama-swap forwards them as logData).
    const loop = `while :; do i=0; while [ $i -lt 20 ]; do echo "[INFO] chatty upstream line $i ${'y'.repeat(160)}"; i=$((i+1)); done; sleep 0.1; done`;
    const cmd = chatty ? `sh -c '(${loop}) & exec ${fake} --listen 127.0.0.1:\${PORT} --tokens 20'` : `${fake} --listen 127.0.0.1:\${PORT} --tokens 20`;
    const sw = await startRealLlamaSwap({ models: {}, extraConfig: { startPort: 19500 + (chatty ? 1 : 0) * 20, models: { fake: { cmd, proxy: 'http://127.0.0.1:${PORT}' } } } }, bin);
    const plugin = startPlugin(sw.url);
    try {
      await fetch(`${sw.url}/upstream/fake/health`);
      await plugin.waitFrame((f) => f.includes('fake — ready |'), 30_000);
      const pid = plugin.child.pid ?? 0;
      const stats: LiveEventStats = { logDataSkipped: 0, logDataBytes: 0, events: 0, unreadable: 0 };
      const counter = subscribeLiveEvents({ origin: sw.url, apiKey: null, connectTimeoutMs: 5000 }, { onOpen: () => undefined, onEvent: () => undefined, onEnd: () => undefined }, stats);
      const cpu0 = cpuSeconds(pid);
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, CHATTY_SECONDS * 1000));
      const cpu = cpuSeconds(pid) - cpu0;
      const secs = (performance.now() - t0) / 1000;
      counter.close();
      rows.push(`${chatty ? 'chatty' : 'quiet '} upstream: ${(stats.logDataBytes / 1024 / secs).toFixed(1)} KB/s of logData (${(stats.logDataSkipped / secs).toFixed(1)} events/s); plugin CPU ${(cpu / secs * 60).toFixed(2)} s per minute`);
    } finally {
      await plugin.stop();
      await sw.stop();
    }
  }
  for (const r of rows) console.log(r);
}

async function main(): Promise<void> {
  const bin = findLlamaSwapBinary();
  const fake = findFakeModelBinary(bin);
  if (bin === null || fake === null) {
    console.log('no llama-swap/fake-model binary: set LLAMA_SWAP_BIN or run `bash scripts/install-llama-swap.sh`');
    return;
  }
  console.log(`llama-swap ${bin}; plugin from ${existsSync(join(ROOT, 'dist', 'main.js')) ? 'dist/' : 'src/ (tsx)'}; ${ROUNDS} rounds`);
  const sw = await startRealLlamaSwap({ models: { fake: { kind: 'fake-model', tokens: 20, loadMs: 100 }, llama: { loadMs: 100 } } }, bin);
  const proxy = await refusingProxy(sw.url);
  try {
    await measureLatency('events ', sw.url, sw.url, 'fake');
    await measureLatency('events ', sw.url, sw.url, 'llama');
    await measureLatency('polling', sw.url, proxy.url, 'fake');
  } finally {
    proxy.server.close();
    await sw.stop();
  }
  console.log(`parser: ${parserCostPerMb().toFixed(2)} ms per MB of logData skipped (eventsource-parser + prefix check, no JSON.parse)`);
  await measureChatty(fake, bin);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
