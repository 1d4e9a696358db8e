/**
 * What the plugin writes to disk, through what users run: the built bundle started by the
 * wrapper that install-plugin wrote, with SwiftBar's environment only. Each of these failed on
 * the bundle before its fix (no file was ever written: `__filename is not defined`; doctor's
 * YAML check always failed: `n is not a function`; a failed write was silent; a symlink at
 * history.json was written through; a mode-000 file stayed mode 000).
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { allItems, parseFrame, type ParsedFrame } from '../../src/reconciler/parse.js';
import { createLlamaSwapSimulator, type LlamaSwapSimulator } from '../../src/system/simulator/index.js';
import { statusColor } from './helpers/frame-queries.js';
import { installPlugin, startPluginProcess, type InstalledPlugin, type PluginProcess } from './helpers/plugin-process.js';

const WAIT = 25_000;
const MODEL = { id: 'alpha', name: 'Alpha', description: 'test model', slots: 1, tps: 200, metrics: true } as const;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simulator(options: { apiKey?: string } = {}): Promise<LlamaSwapSimulator> {
  const sim = await createLlamaSwapSimulator({ passive: true, loadMs: 50, performanceIntervalMs: null, models: [MODEL], profiles: [], apiKey: options.apiKey ?? null });
  cleanups.push(() => sim.close());
  return sim;
}

function install(sim: LlamaSwapSimulator, env: Record<string, string | undefined> = {}, cacheDir?: string): InstalledPlugin {
  const installed = installPlugin({ apiUrl: sim.url, timeoutSecs: 2, env, ...(cacheDir ? { cacheDir } : {}) });
  cleanups.push(() => installed.dispose());
  return installed;
}

function start(installed: InstalledPlugin, sim: LlamaSwapSimulator): PluginProcess {
  const plugin = startPluginProcess({ apiUrl: sim.url, installed });
  cleanups.push(() => plugin.dispose());
  return plugin;
}

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

const answered = (f: ParsedFrame): boolean => statusColor(f) !== 'connecting' && statusColor(f) !== null;
const mode = (file: string): number => statSync(file).mode & 0o777;
const historyFile = (p: { cacheDir: string }): string => join(p.cacheDir, 'history.json');
const savedAt = (file: string): number => (JSON.parse(readFileSync(file, 'utf8')) as { savedAt: number }).savedAt;
/** Every item's text on one line (long messages are wrapped over several items). */
const menuText = (f: ParsedFrame): string => allItems(f).map((i) => i.title).join(' ');

async function loadModel(sim: LlamaSwapSimulator): Promise<void> {
  await (await fetch(`${sim.url}/upstream/${MODEL.id}/health`)).text();
}

async function complete(sim: LlamaSwapSimulator): Promise<void> {
  const res = await fetch(`${sim.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: MODEL.id, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(res.status).toBe(200);
  await res.text();
}

describe('files written by the installed bundle', { timeout: 60_000 }, () => {
  it('streaming: history.json is saved while running (0600) and again on SIGTERM, and a restart keeps it', async () => {
    const sim = await simulator();
    const installed = install(sim);
    const plugin = start(installed, sim);
    await plugin.waitForFrame(answered, WAIT, 'a frame after the first answer');
    const file = historyFile(plugin);
    // The throttled saver writes the first sample at once, then at most every 20 s.
    await until('history.json from the throttled save', () => existsSync(file));
    expect(mode(file)).toBe(0o600);
    const first = savedAt(file);
    expect((await plugin.stop()).code).toBe(0);
    expect(savedAt(file)).toBeGreaterThanOrEqual(first);
    const savedTimes = (JSON.parse(readFileSync(file, 'utf8')) as { times: number[] }).times;
    expect(savedTimes.length).toBeGreaterThan(0);

    const before = savedAt(file);
    const again = start(installed, sim);
    await again.waitForFrame(answered, WAIT, 'a frame after the restart');
    // The restarted plugin saves once it has merged the file with its new samples.
    await until('a save by the restarted plugin', () => savedAt(file) > before);
    expect((await again.stop()).code).toBe(0);
    // The first run's samples are all still there (an idle, unchanged menu may add none of its own).
    const after = (JSON.parse(readFileSync(file, 'utf8')) as { times: number[] }).times;
    expect(after).toEqual(expect.arrayContaining(savedTimes));
  });

  it('one-shot: history.json and rates.json are saved, so the second run shows a rate', async () => {
    const sim = await simulator();
    const installed = install(sim, { LLAMA_SWAP_STREAMING_MODE: 'false' });
    await loadModel(sim);
    const first = await installed.run([]);
    expect(first.code, first.stderr).toBe(0);
    expect(mode(join(installed.cacheDir, 'rates.json'))).toBe(0o600);
    expect(mode(join(installed.cacheDir, 'history.json'))).toBe(0o600);
    await complete(sim);
    const second = await installed.run([]);
    expect(second.code, second.stderr).toBe(0);
    const rates = [...second.stdout.matchAll(/([\d.]+) t\/s/g)].map((m) => Number(m[1]));
    expect(Math.max(0, ...rates), second.stdout.replace(/image=\S+/g, '')).toBeGreaterThan(0);
  });

  it('every action records its result in last-action.json (success and failure), and the menu shows it', async () => {
    const sim = await simulator();
    await loadModel(sim);
    const installed = install(sim);
    const plugin = start(installed, sim);
    const ready = await plugin.waitForFrame((f) => allItems(f).some((i) => Object.values(i.params).includes('do_unload_model')), WAIT, 'an Unload item');
    const unload = allItems(ready).find((i) => Object.values(i.params).includes('do_unload_model'));
    if (!unload) throw new Error('no Unload item');
    const ok = await plugin.click(unload);
    expect(ok.code, ok.stderr).toBe(0);
    const record = join(installed.cacheDir, 'last-action.json');
    const success = JSON.parse(readFileSync(record, 'utf8')) as { action: string; ok: boolean; message: string };
    expect(success).toMatchObject({ action: 'do_unload_model', ok: true });
    expect(mode(record)).toBe(0o600);
    await plugin.waitForFrame((f) => menuText(f).includes(success.message), WAIT, 'the action result in the menu');

    const bad = await installed.run(['do_load_model', 'no-such-model']);
    expect(bad.code).toBe(1);
    const failure = JSON.parse(readFileSync(record, 'utf8')) as { action: string; ok: boolean; message: string };
    expect(failure).toMatchObject({ action: 'do_load_model', ok: false });
    expect(failure.message).toMatch(/no-such-model/);
  });

  it('install-plugin with an API key: a 0600 key file the wrapper reads, never the key in the wrapper', async () => {
    const key = 'sk-test-persistence-1234';
    const sim = await simulator({ apiKey: key });
    const installed = install(sim, { LLAMA_SWAP_API_KEY: key });
    const wrapperText = readFileSync(installed.wrapper, 'utf8');
    expect(wrapperText).not.toContain(key);
    expect(mode(installed.wrapper)).toBe(0o755);
    const keyFile = /^LLAMA_SWAP_KEY_FILE='([^']+)'$/m.exec(wrapperText)?.[1];
    if (!keyFile) throw new Error(`wrapper names no key file:\n${wrapperText}`);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    expect(mode(keyFile)).toBe(0o600);
    const plugin = start(installed, sim);
    const frame = await plugin.waitForFrame(answered, WAIT, 'an answered frame');
    expect(statusColor(frame)).not.toBe('red');
    expect(plugin.stderr()).not.toContain(key);
  });

  it('doctor passes a valid llama-swap config and fails a broken one with the YAML parser\'s message', async () => {
    const sim = await simulator();
    const dir = join(install(sim).home, 'cfg');
    mkdirSync(dir, { recursive: true });
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'models:\n  alpha:\n    cmd: llama-server --port ${PORT}\n');
    const broken = join(dir, 'broken.yaml');
    const brokenText = 'models:\n  alpha:\n    cmd: [unclosed\n  beta: : :\n';
    writeFileSync(broken, brokenText);
    let parserMessage = '';
    try {
      parseYaml(brokenText);
    } catch (error) {
      parserMessage = (error as Error).message.split('\n')[0] ?? '';
    }
    expect(parserMessage).not.toBe('');

    const ok = await install(sim, { LLAMA_SWAP_CONFIG_FILE_PATH: good }).run(['doctor']);
    expect(ok.stdout).toMatch(/✓ llama-swap config: .*good\.yaml \(1 models?\)/);
    const bad = await install(sim, { LLAMA_SWAP_CONFIG_FILE_PATH: broken }).run(['doctor']);
    expect(bad.stdout).toContain(`✗ llama-swap config: ${broken}: ${parserMessage}`);
  });
});

describe('writes that fail or meet a hostile file system', { timeout: 60_000 }, () => {
  it('a cache folder that cannot be created: the menu names the file and the reason, and the plugin keeps running', async () => {
    const sim = await simulator();
    const installed = install(sim);
    const blocker = join(installed.home, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const plugin = startPluginProcess({ apiUrl: sim.url, cacheDir: join(blocker, 'cache'), env: {} });
    cleanups.push(() => plugin.dispose());
    const frame = await plugin.waitForFrame((f) => /History not saved: .*history\.json: ENOTDIR/.test(menuText(f)), WAIT, 'the failed save in the menu');
    expect(answered(frame)).toBe(true);
    // One line for the failure, not one per frame or per retry.
    expect(menuText(frame).match(/History not saved/g)).toHaveLength(1);
  });

  it('one-shot: a failed save is in the printed menu', async () => {
    const sim = await simulator();
    const home = install(sim).home;
    const blocker = join(home, 'blocker');
    writeFileSync(blocker, 'x');
    const once = installPlugin({ apiUrl: sim.url, cacheDir: join(blocker, 'cache'), env: { LLAMA_SWAP_STREAMING_MODE: 'false' } });
    cleanups.push(() => once.dispose());
    const run = await once.run([]);
    expect(run.code).toBe(0);
    const text = menuText(parseFrame(run.stdout));
    expect(text).toMatch(/History not saved: .*ENOTDIR/);
    expect(text).toMatch(/Rates not saved: .*rates\.json: ENOTDIR/);
  });

  it('a symlink planted at history.json is set aside and replaced by our file, never written through', async () => {
    const sim = await simulator();
    const installed = install(sim);
    mkdirSync(installed.cacheDir, { recursive: true });
    const victim = join(installed.home, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, historyFile(installed));
    const plugin = start(installed, sim);
    await plugin.waitForFrame(answered, WAIT, 'an answered frame');
    // The link is renamed aside (never read through), then our file is saved in its place.
    await until('history.json replaced by a regular file', () => lstatSync(historyFile(installed), { throwIfNoEntry: false })?.isFile());
    expect((await plugin.stop()).code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    const asideLinks = readdirSync(installed.cacheDir).filter((n) => n.startsWith('history.json.set-aside-'));
    expect(asideLinks).toHaveLength(1);
    expect(lstatSync(join(installed.cacheDir, asideLinks[0] ?? '')).isSymbolicLink()).toBe(true);
    expect(lstatSync(historyFile(installed)).isFile()).toBe(true);
    expect(mode(historyFile(installed))).toBe(0o600);
  });

  it('a mode-000 history.json is replaced by a 0600 one', async () => {
    const sim = await simulator();
    const installed = install(sim);
    mkdirSync(installed.cacheDir, { recursive: true });
    writeFileSync(historyFile(installed), '{}');
    chmodSync(historyFile(installed), 0o000);
    const plugin = start(installed, sim);
    await plugin.waitForFrame(answered, WAIT, 'an answered frame');
    await until('history.json rewritten', () => mode(historyFile(installed)) !== 0);
    expect(mode(historyFile(installed))).toBe(0o600);
  });
});
