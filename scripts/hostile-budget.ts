/**
 * Issue 12 item 5 budgets against a hostile llama-swap: a 10 MB model description and 20,000
 * configured models. Measures one frame's size, peak RSS and a one-shot run's wall time of the
 * bundled plugin (a measurement, not a test: the tests assert the caps and bounds themselves).
 *
 *   npx tsx scripts/hostile-budget.ts [--seconds 20]
 *
 * Budgets: one frame ≤ 300 KB, peak RSS ≤ 250 MB (one-shot and streaming), one-shot ≤ 5 s.
 * Linux only for RSS (/usr/bin/time and /proc/<pid>/status VmHWM).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from './build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const secondsArg = process.argv.indexOf('--seconds');
const STREAM_SECONDS = secondsArg >= 0 ? Number(process.argv[secondsArg + 1]) : 20;

type Scenario = { readonly name: string; readonly configured: number; readonly ready: number; readonly descriptionBytes: number };

const SCENARIOS: readonly Scenario[] = [
  { name: '10 MB description (over the 4 MB list cap)', configured: 3, ready: 1, descriptionBytes: 10 * 1024 * 1024 },
  { name: '1.5 MB description (under the cap)', configured: 3, ready: 1, descriptionBytes: 1.5 * 1024 * 1024 },
  { name: '20,000 configured models, 60 loaded', configured: 20_000, ready: 60, descriptionBytes: 20 },
  { name: '20,000 models, 60 loaded, 10 MB description', configured: 20_000, ready: 60, descriptionBytes: 10 * 1024 * 1024 },
];

const METRICS = [
  '# HELP llamacpp:prompt_tokens_total Number of prompt tokens processed.',
  '# TYPE llamacpp:prompt_tokens_total counter',
  'llamacpp:prompt_tokens_total 10',
  '# TYPE llamacpp:tokens_predicted_total counter',
  'llamacpp:tokens_predicted_total 20',
  '# TYPE llamacpp:requests_processing gauge',
  'llamacpp:requests_processing 0',
  '',
].join('\n');

function hostileServer(s: Scenario): Promise<{ server: Server; url: string }> {
  const id = (i: number): string => `model-${String(i).padStart(5, '0')}`;
  const description = 'd'.repeat(s.descriptionBytes);
  const running = JSON.stringify({
    running: Array.from({ length: s.ready }, (_, i) => ({
      model: id(i),
      state: 'ready',
      cmd: 'llama-server --metrics',
      proxy: 'http://127.0.0.1:5800',
      ttl: 0,
      name: `Model ${i}`,
      description: i === 0 ? description : 'small',
    })),
  });
  const models = JSON.stringify({
    object: 'list',
    data: Array.from({ length: s.configured }, (_, i) => ({
      id: id(i),
      object: 'model',
      created: 1,
      owned_by: 'llama-swap',
      name: `Model ${i}`,
      description: i === 0 ? description : 'small',
    })),
  });
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const send = (status: number, body: string, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (url === '/health') return send(200, 'OK', 'text/plain');
    if (url === '/running') return send(200, running);
    if (url === '/v1/models') return send(200, models);
    if (/^\/upstream\/[^/]+\/metrics$/.test(url)) return send(200, METRICS, 'text/plain; version=0.0.4');
    return send(404, '404 page not found', 'text/plain');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

function env(url: string, home: string, streaming: boolean): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    LLAMA_SWAP_API_BASE_URL: url,
    LLAMA_SWAP_STREAMING_MODE: streaming ? 'true' : 'false',
    LLAMA_SWAP_API_TIMEOUT_SECS: '10',
  };
}

type OneShot = { readonly seconds: number; readonly maxRssMb: number; readonly frameBytes: number; readonly lines: number };

function oneShot(entry: string, url: string, home: string): Promise<OneShot> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '__TIME__ %e %M', process.execPath, entry], { env: env(url, home, false) });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const m = /__TIME__ ([\d.]+) (\d+)/.exec(err);
      if (!m) return reject(new Error(`no timing: ${err.slice(-500)}`));
      const frame = out.split(/^~~~$/m)[0] ?? out;
      resolve({ seconds: Number(m[1]), maxRssMb: Number(m[2]) / 1024, frameBytes: Buffer.byteLength(frame), lines: frame.split('\n').length });
    });
  });
}

type Streamed = { readonly frames: number; readonly maxFrameBytes: number; readonly peakRssMb: number };

function streamed(entry: string, url: string, home: string, seconds: number): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { env: env(url, home, true) });
    let buffer = '';
    let frames = 0;
    let maxFrameBytes = 0;
    let peakKb = 0;
    child.stdout.on('data', (c: Buffer) => {
      buffer += c.toString();
      let at: number;
      while ((at = buffer.indexOf('\n~~~\n')) >= 0) {
        frames += 1;
        maxFrameBytes = Math.max(maxFrameBytes, Buffer.byteLength(buffer.slice(0, at)));
        buffer = buffer.slice(at + 5);
      }
    });
    child.on('error', reject);
    const readPeak = (): void => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited
      }
    };
    const sampler = setInterval(readPeak, 500);
    setTimeout(() => {
      readPeak();
      clearInterval(sampler);
      child.kill('SIGTERM');
    }, seconds * 1000);
    child.on('close', () => resolve({ frames, maxFrameBytes, peakRssMb: peakKb / 1024 }));
  });
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');

async function main(): Promise<void> {
  const outdir = path.join(root, '.hostile-budget-dist');
  await buildBundle({ quiet: true, outdir });
  const entry = path.join(outdir, 'main.js');
  try {
    for (const s of SCENARIOS) {
      const { server, url } = await hostileServer(s);
      const home = mkdtempSync(path.join(os.tmpdir(), 'lss-budget-'));
      try {
        const one = await oneShot(entry, url, home);
        const live = await streamed(entry, url, home, STREAM_SECONDS);
        console.log(`\n${s.name}`);
        console.log(`  one-shot: ${one.seconds.toFixed(2)} s (≤ 5 s: ${mark(one.seconds <= 5)}), peak RSS ${one.maxRssMb.toFixed(0)} MB (≤ 250: ${mark(one.maxRssMb <= 250)}), frame ${kb(one.frameBytes)} in ${one.lines} lines (≤ 300 KB: ${mark(one.frameBytes <= 300 * 1024)})`);
        console.log(`  streaming ${STREAM_SECONDS} s: ${live.frames} frames, largest ${kb(live.maxFrameBytes)} (≤ 300 KB: ${mark(live.maxFrameBytes <= 300 * 1024)}), peak RSS ${live.peakRssMb.toFixed(0)} MB (≤ 250: ${mark(live.peakRssMb <= 250)})`);
      } finally {
        server.closeAllConnections();
        server.close();
        rmSync(home, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

await main();
