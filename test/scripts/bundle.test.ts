import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../scripts/build.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator } from '../../src/system/simulator/index.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Packages an action command must never load (React and the drawing stack, SWR, host sampling). */
const MENU_ONLY = ['react', 'react-reconciler', 'scheduler', 'satori', '@resvg/resvg-js', 'swr', 'use-sync-external-store', 'systeminformation'];

type Output = Metafile['outputs'][string];

let outdir: string;
let meta: Metafile;
let sim: LlamaSwapSimulator;
let home: string;

function outputFor(entryPoint: string): [string, Output] {
  const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === entryPoint);
  if (!found) throw new Error(`no output for ${entryPoint}`);
  return found;
}

/** Output files and external packages reachable from `start` through the given import kinds. */
function reachable(start: string, follow: (kind: string) => boolean): { files: Set<string>; externals: Set<string> } {
  const files = new Set<string>();
  const externals = new Set<string>();
  const todo = [start];
  while (todo.length > 0) {
    const file = todo.pop() ?? '';
    if (files.has(file)) continue;
    files.add(file);
    for (const imp of meta.outputs[file]?.imports ?? []) {
      if (!follow(imp.kind)) continue;
      if (imp.external === true) externals.add(imp.path);
      else todo.push(imp.path);
    }
  }
  return { files, externals };
}

function packagesIn(files: Iterable<string>): Set<string> {
  const pkgs = new Set<string>();
  for (const file of files) {
    for (const input of Object.keys(meta.outputs[file]?.inputs ?? {})) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m?.[1]) pkgs.add(m[1]);
    }
  }
  return pkgs;
}

const isStatic = (kind: string): boolean => kind === 'import-statement' || kind === 'require-call';

beforeAll(async () => {
  // Inside the project, so the external packages resolve from node_modules when the bundle runs.
  mkdirSync(path.join(root, '.cache'), { recursive: true });
  outdir = mkdtempSync(path.join(root, '.cache', 'bundle-test-'));
  meta = await buildBundle({ quiet: true, outdir });
  sim = await createLlamaSwapSimulator({ host: '127.0.0.1', port: 0, scenario: 'static', loadMs: 50 });
  home = mkdtempSync(path.join(os.tmpdir(), 'bundle-home-'));
}, 30_000);

afterAll(async () => {
  await sim.close();
  rmSync(outdir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('bundle', () => {
  it('main.js loads nothing statically but itself: every part comes by dynamic import', () => {
    const [main, out] = outputFor('src/main.tsx');
    expect(reachable(main, isStatic).files).toEqual(new Set([main]));
    expect(out.imports.filter((i) => !isStatic(i.kind)).length).toBeGreaterThan(0);
  });

  it('the action path (cli-process and everything it may import) holds no menu-only package', () => {
    const [main] = outputFor('src/main.tsx');
    const [cli] = outputFor('src/system/cli/cli-process.ts');
    expect(meta.outputs[main]?.imports.some((i) => i.path === cli && i.kind === 'dynamic-import')).toBe(true);
    // Static and dynamic imports from cli-process: an action may take any of them.
    const { files, externals } = reachable(cli, () => true);
    const pkgs = packagesIn(files);
    for (const name of MENU_ONLY) {
      expect(pkgs.has(name), `${name} bundled into the action path`).toBe(false);
      expect(externals.has(name), `${name} imported on the action path`).toBe(false);
    }
  });

  it('the menu path does carry React (so the check above is not vacuous)', () => {
    const [main] = outputFor('src/main.tsx');
    const pkgs = packagesIn(reachable(main, () => true).files);
    expect(pkgs.has('react')).toBe(true);
    expect(pkgs.has('react-reconciler')).toBe(true);
  });

  it('runs: an action command and a one-shot menu frame against the simulator', async () => {
    const env = { PATH: process.env['PATH'] ?? '', HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), LLAMA_SWAP_API_BASE_URL: sim.url };
    const entry = path.join(outdir, 'main.js');
    const help = await run(process.execPath, [entry, 'help'], { env });
    expect(help.stdout).toContain('install-plugin');
    const once = await run(process.execPath, [entry, '--once'], { env, timeout: 20_000 });
    const lines = once.stdout.split('\n');
    expect(lines[0]).not.toBe('');
    expect(lines).toContain('---');
    expect(once.stdout).not.toContain('~~~');
  }, 30_000);

  it('a one-shot draws only charts no earlier run drew (the rest come from the cache file)', async () => {
    const onceHome = mkdtempSync(path.join(os.tmpdir(), 'bundle-once-'));
    const stats = path.join(onceHome, 'stats.json');
    const env = { PATH: process.env['PATH'] ?? '', HOME: onceHome, XDG_CACHE_HOME: path.join(onceHome, '.cache'), LLAMA_SWAP_API_BASE_URL: sim.url, LLAMA_SWAP_BENCH_STATS: stats };
    const entry = path.join(outdir, 'main.js');
    // A run draws at most the charts the run before did not print (an older run may have drawn
    // some); every other chart comes from the cache file. Other figures, such as the simulator's
    // own CPU, may move between runs, so no run is required to repeat the one before.
    let previous = new Set<string>();
    let reused = 0;
    for (let i = 0; i < 4; i++) {
      const once = await run(process.execPath, [entry, '--once'], { env, timeout: 20_000 });
      const misses = (JSON.parse(readFileSync(stats, 'utf8')) as { sparkline: { misses: number } }).sparkline.misses;
      const charts = new Set(once.stdout.match(/ image=[A-Za-z0-9+/=]+/g) ?? []);
      expect(charts.size).toBeGreaterThan(0);
      const fresh = [...charts].filter((c) => !previous.has(c)).length;
      if (i === 0) expect(misses).toBe(charts.size);
      else expect(misses).toBeLessThanOrEqual(fresh);
      reused += charts.size - fresh;
      previous = charts;
    }
    rmSync(onceHome, { recursive: true, force: true });
    expect(reused).toBeGreaterThan(0);
  }, 60_000);
});
