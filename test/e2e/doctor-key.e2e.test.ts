/**
 * `doctor` run from a terminal after `install-plugin` stored an API key: it must use the key the
 * wrapper uses (the 0600 key file), with LLAMA_SWAP_API_KEY in the environment still winning.
 * Before, it said "✗ API key: llama-swap needs an API key" and advised reinstalling, while the
 * same doctor through the wrapper said "✓ accepted".
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlamaSwapSimulator, type LlamaSwapSimulator } from '../../src/system/simulator/index.js';
import { installPlugin, runBin, type InstalledPlugin } from './helpers/plugin-process.js';

const KEY = 'sk-doctor-key-0451';
const MODEL = { id: 'alpha', name: 'Alpha', description: 'test model', slots: 1, tps: 200, metrics: true } as const;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ sim: LlamaSwapSimulator; plugin: InstalledPlugin; settings: Record<string, string> }> {
  const sim = await createLlamaSwapSimulator({ passive: true, loadMs: 50, performanceIntervalMs: null, models: [MODEL], profiles: [], apiKey: KEY });
  cleanups.push(() => sim.close());
  const plugin = installPlugin({ apiUrl: sim.url, timeoutSecs: 2, env: { LLAMA_SWAP_API_KEY: KEY } });
  cleanups.push(() => plugin.dispose());
  // The settings the user has in their shell, without the key (install-plugin stored it).
  return { sim, plugin, settings: { LLAMA_SWAP_API_BASE_URL: sim.url, LLAMA_SWAP_API_TIMEOUT_SECS: '2' } };
}

describe('doctor from a terminal and the stored API key', { timeout: 60_000 }, () => {
  it('uses the key install-plugin stored, as the wrapper does', async () => {
    const { plugin, settings } = await setup();
    const viaWrapper = await plugin.run(['doctor']);
    expect(viaWrapper.stdout).toMatch(/✓ API key: accepted/);
    const fromTerminal = await runBin(plugin.home, ['doctor', '--dir', join(plugin.home, 'SwiftBar')], settings);
    expect(fromTerminal.stdout).toMatch(/✓ API key: accepted \(1 models? configured\)/);
    expect(fromTerminal.stdout).not.toContain('install-plugin (it writes');
    expect(fromTerminal.stdout).not.toContain(KEY);
  });

  it('LLAMA_SWAP_API_KEY in the environment still wins over the stored key', async () => {
    const { plugin, settings } = await setup();
    const wrong = await runBin(plugin.home, ['doctor', '--dir', join(plugin.home, 'SwiftBar')], { ...settings, LLAMA_SWAP_API_KEY: 'sk-not-this-one' });
    expect(wrong.stdout).toMatch(/✗ API key: API key rejected by llama-swap/);
    expect(wrong.stdout).not.toContain('sk-not-this-one');
  });
});
