/**
 * Whatever stands in the cache folder, through what users run (the installed wrapper, SwiftBar's
 * environment, the real llama-swap): a FIFO, a folder or a 60 MB file where our files should be
 * is set aside with one menu line and the plugin goes on and saves afresh; temporary files a
 * killed run left are removed at start; two plugins sharing the folder keep each other's samples.
 * Before these fixes a FIFO sparklines.json gave no frame and a one-shot that never ended, and
 * each save replaced the other plugin's history.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allItems, parseFrame, type ParsedFrame } from '../../src/reconciler/parse.js';
import { statusColor } from './helpers/frame-queries.js';
import { installPlugin, startPluginProcess, type InstalledPlugin, type PluginProcess } from './helpers/plugin-process.js';
import { realLlamaSwapGate, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const TIMEOUT = 120_000;
/** Failure bound of one wait (a pass never waits this long). */
const WAIT = 45_000;
const gate = realLlamaSwapGate();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const menuText = (f: ParsedFrame): string => allItems(f).map((i) => i.title).join(' ');
const answered = (f: ParsedFrame): boolean => statusColor(f) !== 'connecting' && statusColor(f) !== null;
/** Names in the cache folder set aside from `name`. */
const setAside = (dir: string, name: string): string[] => readdirSync(dir).filter((n) => n.startsWith(`${name}.set-aside-`));
const historyTimes = (dir: string): number[] => (JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as { times: number[] }).times;

/** Polls the file system until `check` holds (an event on disk, not a fixed wait). */
async function until<T>(what: string, check: () => T | null | undefined | false, timeoutMs = WAIT): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(gate.bin === null && gate.failure === null)('special and stale files in the cache folder', { timeout: TIMEOUT }, () => {
  let sw: RealLlamaSwap;

  beforeAll(async () => {
    if (gate.failure) throw new Error(gate.failure);
    sw = await startRealLlamaSwap({ models: { 'model-a': { loadMs: 50 } } }, gate.bin);
  }, TIMEOUT);
  afterAll(async () => {
    await sw?.stop();
  }, TIMEOUT);

  function install(env: Record<string, string> = {}): InstalledPlugin {
    const installed = installPlugin({ apiUrl: sw.url, timeoutSecs: 5, env });
    cleanups.push(() => installed.dispose());
    mkdirSync(installed.cacheDir, { recursive: true });
    return installed;
  }

  function start(installed: InstalledPlugin): PluginProcess {
    const plugin = startPluginProcess({ apiUrl: sw.url, installed });
    cleanups.push(() => plugin.dispose());
    return plugin;
  }

  const mkfifo = (file: string): void => {
    execFileSync('mkfifo', [file]);
  };

  it('streaming: a FIFO as sparklines.json and as history.json is set aside; frames come, one line each, and the history is saved', async () => {
    const installed = install();
    mkfifo(join(installed.cacheDir, 'sparklines.json'));
    mkfifo(join(installed.cacheDir, 'history.json'));
    const plugin = start(installed);
    const frame = await plugin.waitForFrame((f) => answered(f) && /History file was a named pipe/.test(menuText(f)) && /Chart cache was a named pipe/.test(menuText(f)), WAIT, 'an answered frame naming both files');
    const text = menuText(frame);
    expect(text).toMatch(/History file was a named pipe, not a file: set aside as history\.json\.set-aside-\S+/);
    expect(text.match(/History file was/g)).toHaveLength(1);
    expect(text.match(/Chart cache was/g)).toHaveLength(1);
    // Set aside, not deleted; the history is saved as a regular file in its place.
    for (const name of ['history.json', 'sparklines.json']) {
      const [moved] = setAside(installed.cacheDir, name);
      expect(moved, name).toBeDefined();
      expect(lstatSync(join(installed.cacheDir, moved ?? '')).isFIFO()).toBe(true);
    }
    await until('history.json saved as a regular file', () => existsSync(join(installed.cacheDir, 'history.json')) && lstatSync(join(installed.cacheDir, 'history.json')).isFile());
    // Frames keep coming after the start.
    const seen = plugin.frameCount();
    await plugin.waitForFrame(answered, WAIT, 'a later frame', seen);
    expect((await plugin.stop()).code).toBe(0);
    expect(historyTimes(installed.cacheDir).length).toBeGreaterThan(0);
  });

  it('one-shot: a FIFO as each of our files, then a folder: the run ends, prints each file once, and saves afresh', async () => {
    const installed = install({ LLAMA_SWAP_STREAMING_MODE: 'false' });
    for (const name of ['history.json', 'rates.json', 'sparklines.json', 'last-action.json']) mkfifo(join(installed.cacheDir, name));
    const run = await installed.run([]);
    // execFile's own timeout (60 s) would end a hung run with no exit code.
    expect(run.code, run.stderr).toBe(0);
    const text = menuText(parseFrame(run.stdout));
    for (const label of ['History file', 'Rates file', 'Chart cache', 'Last action file']) expect(text.match(new RegExp(`${label} was a named pipe, not a file: set aside as`, 'g')), label).toHaveLength(1);
    for (const name of ['history.json', 'rates.json', 'sparklines.json', 'last-action.json']) expect(setAside(installed.cacheDir, name), name).toHaveLength(1);
    for (const name of ['history.json', 'rates.json']) {
      expect(lstatSync(join(installed.cacheDir, name)).isFile(), name).toBe(true);
    }

    const folder = join(installed.cacheDir, 'history.json');
    const saved = readFileSync(folder, 'utf8');
    execFileSync('rm', [folder]);
    mkdirSync(folder);
    writeFileSync(join(folder, 'inside.txt'), 'kept');
    const again = await installed.run([]);
    expect(again.code, again.stderr).toBe(0);
    expect(menuText(parseFrame(again.stdout))).toMatch(/History file was a folder, not a file: set aside as history\.json\.set-aside-/);
    const moved = setAside(installed.cacheDir, 'history.json').map((n) => join(installed.cacheDir, n)).find((p) => lstatSync(p).isDirectory());
    expect(readFileSync(join(moved ?? '', 'inside.txt'), 'utf8')).toBe('kept');
    expect(lstatSync(folder).isFile()).toBe(true);
    expect(saved.length).toBeGreaterThan(0);
  });

  it('a 60 MB history.json is set aside without being read; the next run starts afresh and saves', async () => {
    const installed = install({ LLAMA_SWAP_STREAMING_MODE: 'false' });
    const file = join(installed.cacheDir, 'history.json');
    writeFileSync(file, '{"schema":"llama-swap-swiftbar/history","times":[');
    truncateSync(file, 60 * 1024 * 1024);
    const run = await installed.run([]);
    expect(run.code, run.stderr).toBe(0);
    expect(menuText(parseFrame(run.stdout))).toMatch(/History file was 60 MB, over its 40 MB limit: set aside as history\.json\.set-aside-/);
    const [moved] = setAside(installed.cacheDir, 'history.json');
    expect(lstatSync(join(installed.cacheDir, moved ?? '')).size).toBe(60 * 1024 * 1024);
    expect(historyTimes(installed.cacheDir)).toHaveLength(1);
    // The second run finds our own file: no warning.
    const second = await installed.run([]);
    expect(menuText(parseFrame(second.stdout))).not.toMatch(/set aside|History file/);
    expect(historyTimes(installed.cacheDir)).toHaveLength(2);
  });

  it('at start, temporary files of ours whose writer is gone are removed; a live writer\'s and anything not ours are kept', async () => {
    const installed = install({ LLAMA_SWAP_STREAMING_MODE: 'false' });
    // A pid that ran and is gone (as after kill -9 mid-save).
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    const ours = [`.history.json.${gone}.0a1b2c3d.tmp`, `.rates.json.${gone}.deadbeef.tmp`, `.sparklines.json.${gone}.00000000.tmp`];
    const live = `.history.json.${process.pid}.0a1b2c3d.tmp`;
    const foreign = ['.notes.txt.1.0a1b2c3d.tmp', `history.json.${gone}.0a1b2c3d.tmp`, 'notes.tmp'];
    for (const name of [...ours, live, ...foreign]) writeFileSync(join(installed.cacheDir, name), 'x');
    const run = await installed.run([]);
    expect(run.code, run.stderr).toBe(0);
    const left = readdirSync(installed.cacheDir);
    for (const name of ours) expect(left, name).not.toContain(name);
    for (const name of [live, ...foreign]) expect(left, name).toContain(name);
  });
});

describe.skipIf(gate.bin === null && gate.failure === null)('two plugins on one cache folder', { timeout: TIMEOUT }, () => {
  it('a streaming plugin\'s save keeps the samples a one-shot plugin saved meanwhile, and its own', async () => {
    if (gate.failure) throw new Error(gate.failure);
    const sw = await startRealLlamaSwap({ models: { 'model-a': { loadMs: 50 } } }, gate.bin);
    cleanups.push(() => sw.stop());
    const streaming = installPlugin({ apiUrl: sw.url, timeoutSecs: 5 });
    cleanups.push(() => streaming.dispose());
    const oneShot = installPlugin({ apiUrl: sw.url, timeoutSecs: 5, cacheDir: streaming.cacheDir, env: { LLAMA_SWAP_STREAMING_MODE: 'false' } });
    const plugin = startPluginProcess({ apiUrl: sw.url, installed: streaming });
    cleanups.push(() => plugin.dispose());
    await plugin.waitForFrame(answered, WAIT, 'an answered frame');
    // The streaming plugin's first save; its next waits for the throttle (or its exit).
    await until('history.json from the streaming plugin', () => existsSync(join(streaming.cacheDir, 'history.json')));
    for (let i = 0; i < 3; i += 1) {
      const run = await oneShot.run([]);
      expect(run.code, run.stderr).toBe(0);
    }
    const fromOneShots = historyTimes(streaming.cacheDir);
    expect(fromOneShots.length).toBeGreaterThanOrEqual(4);
    // A model loading is a change the streaming plugin records at once, then saves on exit.
    await (await fetch(`${sw.url}/upstream/model-a/health`)).text();
    await plugin.waitForFrame((f) => /model-a|Model A/.test(menuText(f)) && !/not loaded/i.test(menuText(f)) && allItems(f).some((i) => Object.values(i.params).includes('do_unload_model')), WAIT, 'model-a loaded');
    expect((await plugin.stop()).code).toBe(0);
    const final = historyTimes(streaming.cacheDir);
    expect(final).toEqual(expect.arrayContaining(fromOneShots));
    expect(final.length).toBeGreaterThan(fromOneShots.length);
    expect([...final].sort((a, b) => a - b)).toEqual(final);
  });
});
