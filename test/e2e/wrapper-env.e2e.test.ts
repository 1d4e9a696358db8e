/**
 * The installed wrapper on the real llama-swap (with apiKeys and a profile named "none"), started
 * WITHOUT SwiftBar's SWIFTBAR_PLUGIN_PATH:
 * - the plugin's child processes (the chart drawer first) carry neither the API key nor our settings
 *   (read from /proc/<pid>/environ, so Linux only);
 * - every menu item still runs the wrapper (so the same settings and port), and a click on the
 *   profile "none" selects it while "No profile" clears it, as llama-swap itself reports.
 * Every step waits for an event (a process appearing, a frame), never for time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allItems, type ParsedFrame, type ParsedItem } from '../../src/reconciler/parse.js';
import { installPlugin, startPluginProcess, type InstalledPlugin, type PluginProcess } from './helpers/plugin-process.js';
import { realLlamaSwapGate, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const TIMEOUT = 90_000;
const KEY = 'sk-wrapper-env-0123456789abcdef';
const gate = realLlamaSwapGate();
const bin = gate.bin;
const onLinux = process.platform === 'linux';

if (gate.failure !== null) {
  describe('wrapper environment on the real llama-swap', () => {
    it('has a binary to test (CI)', () => {
      throw new Error(gate.failure ?? '');
    });
  });
}

/** The children of `pid` now, each with its command line and environment (processes gone meanwhile are skipped). */
function childrenOf(pid: number): { readonly pid: number; readonly cmdline: string; readonly environ: string }[] {
  const found: { pid: number; cmdline: string; environ: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state, then the parent's pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      found.push({
        pid: Number(name),
        cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' '),
        environ: readFileSync(`/proc/${name}/environ`, 'utf8'),
      });
    } catch {
      // The process ended between readdir and read.
    }
  }
  return found;
}

/** Resolves with the first child of `pid` matching `predicate`, every child seen on the way in `seen`. */
function waitForChild(pid: number, predicate: (cmdline: string) => boolean, seen: Map<number, string>, timeoutMs: number): Promise<{ pid: number; environ: string }> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const look = (): void => {
      for (const c of childrenOf(pid)) {
        seen.set(c.pid, c.environ);
        if (predicate(c.cmdline)) return resolve(c);
      }
      if (Date.now() > deadline) return reject(new Error(`no matching child of ${pid} within ${timeoutMs} ms`));
      setTimeout(look, 20);
    };
    look();
  });
}

const titled = (frame: ParsedFrame, title: string): ParsedItem | undefined => allItems(frame).find((i) => i.title === title);

async function activeProfile(url: string): Promise<string | null> {
  const res = await fetch(`${url}/api/profiles`, { headers: { authorization: `Bearer ${KEY}` } });
  return ((await res.json()) as { active: string | null }).active;
}

describe.skipIf(bin === null)('the installed wrapper without SWIFTBAR_PLUGIN_PATH, on the real llama-swap with a key', () => {
  let sw: RealLlamaSwap;
  let installed: InstalledPlugin;
  let plugin: PluginProcess;

  beforeAll(async () => {
    sw = await startRealLlamaSwap({
      models: { llama: { loadMs: 100 } },
      apiKeys: [KEY],
      profiles: { none: { pins: { beta: 'llama' } }, work: { pins: { gamma: 'llama' } } },
    }, bin);
    installed = installPlugin({ apiUrl: sw.url, timeoutSecs: 2, env: { LLAMA_SWAP_API_KEY: KEY } });
    const env: Record<string, string> = { ...installed.env };
    delete env.SWIFTBAR_PLUGIN_PATH;
    installed = { ...installed, env };
    plugin = startPluginProcess({ apiUrl: sw.url, installed });
  }, TIMEOUT);

  afterAll(async () => {
    await plugin?.dispose();
    installed?.dispose();
    await sw?.stop();
  }, TIMEOUT);

  it.skipIf(!onLinux)('the chart child (and any other child) has neither the key nor our settings in its environment', async () => {
    const seen = new Map<number, string>();
    // The streaming plugin forks the chart drawer at start (prewarm), before its first frame.
    const chart = await waitForChild(plugin.pid, (cmd) => cmd.includes('draw-child'), seen, 30_000);
    expect(chart.environ).not.toContain(KEY);
    const names = chart.environ.split('\0').filter(Boolean).map((e) => e.slice(0, e.indexOf('=')));
    expect(names.filter((n) => n.startsWith('LLAMA_SWAP_') || n.startsWith('SWIFTBAR'))).toEqual([]);
    for (const [pid, environ] of seen) expect(environ, `child ${pid}`).not.toContain(KEY);
    // The key still works where it belongs: the plugin is answered (a 401 would show the key problem).
    const frame = await plugin.waitForFrame((f) => titled(f, 'No profile active') !== undefined, 30_000, 'the profile submenu');
    expect(allItems(frame).some((i) => /API key/.test(i.title))).toBe(false);
  }, TIMEOUT);

  it('every item runs the installed wrapper, and the profile "none" is selected while "No profile" clears', async () => {
    const first = await plugin.waitForFrame((f) => titled(f, 'No profile active') !== undefined, 30_000, 'the profile submenu');
    const commands = allItems(first).filter((i) => i.params.bash !== undefined);
    expect(commands.length).toBeGreaterThan(3);
    for (const item of commands) expect(item.params.bash, item.title).toBe(installed.wrapper);

    const none = titled(first, 'none');
    expect(none?.params.param1).toBe('set_profile');
    const chosen = await plugin.click(none as ParsedItem);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).toContain('profile "none" active');
    expect(await activeProfile(sw.url)).toBe('none');
    const selected = await plugin.waitForFrame((f) => titled(f, 'Profile: none') !== undefined, 30_000, 'Profile: none');
    expect(titled(selected, 'none')?.params.checked).toBe('true');
    expect(titled(selected, 'No profile')?.params.checked).toBeUndefined();
    expect(titled(selected, 'beta → llama')).toBeDefined();

    const clear = titled(selected, 'No profile');
    const cleared = await plugin.click(clear as ParsedItem);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain('profile cleared');
    expect(await activeProfile(sw.url)).toBeNull();
    const after = await plugin.waitForFrame((f) => titled(f, 'No profile active') !== undefined, 30_000, 'No profile active', plugin.frameCount() - 1);
    expect(titled(after, 'No profile')?.params.checked).toBe('true');
    expect(plugin.malformed).toEqual([]);
  }, TIMEOUT);
});
