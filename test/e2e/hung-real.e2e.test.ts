/**
 * A hung llama-swap (SIGSTOP on the REAL binary): its event stream falls silent without closing
 * and every request waits. The installed plugin must say "not answering" (never "stopped": its
 * process is still there) and show it recovered after SIGCONT. Every step waits for the frame
 * that shows it; the times are printed for the record, not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedFrame } from '../../src/reconciler/parse.js';
import { titleTooltip } from './helpers/frame-queries.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';
import { realLlamaSwapGate, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const TIMEOUT = 120_000;
/** Generous bounds for a shared, slow machine; the plugin's own target is 5 s each. */
const WAIT_MS = 30_000;
const gate = realLlamaSwapGate();
const bin = gate.bin;

/** Resolves once `condition` holds, looking again whenever the plugin printed something. */
async function until(plugin: PluginProcess, condition: () => boolean, timeoutMs: number, label: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => {
      plugin.child.stderr?.once('data', resolve);
      plugin.child.stdout?.once('data', resolve);
      setTimeout(resolve, 200).unref();
    });
  }
}

const tooltip = (f: ParsedFrame): string => titleTooltip(f);

describe.skipIf(bin === null)('a hung real llama-swap (SIGSTOP / SIGCONT)', () => {
  let sw: RealLlamaSwap;
  let plugin: PluginProcess;
  let stopped = false;

  beforeAll(async () => {
    sw = await startRealLlamaSwap({ models: { fake: { kind: 'fake-model', tokens: 40, tps: 400 } } }, bin);
    plugin = startPluginProcess({ apiUrl: sw.url, timeoutSecs: 1, env: { LLAMA_SWAP_DEBUG: 'true' } });
    await plugin.waitForFrame((f) => /^llama-swap: /.test(tooltip(f)) && !tooltip(f).includes('connecting'), WAIT_MS, 'first answer');
    // The event stream is open (the debug log says so): from here on /running is only a safety net.
    await until(plugin, () => / events open=true/.test(plugin.stderr()), WAIT_MS, 'event stream open');
  }, TIMEOUT);

  afterAll(async () => {
    if (stopped) process.kill(sw.pid, 'SIGCONT');
    await plugin?.dispose();
    await sw?.stop();
  }, TIMEOUT);

  it('says "not answering" while stopped and shows it recovered after SIGCONT, never "stopped"', async () => {
    const before = tooltip(plugin.latest() as ParsedFrame);
    expect(before).not.toMatch(/not answering|stopped/);
    const from = plugin.frameCount();

    process.kill(sw.pid, 'SIGSTOP');
    stopped = true;
    const stoppedAt = performance.now();
    const hung = await plugin.waitForFrame((f) => tooltip(f).includes('not answering'), WAIT_MS, 'hung shown', from);
    const shownAfterMs = performance.now() - stoppedAt;
    expect(tooltip(hung)).toBe('llama-swap: not answering');
    const hungIndex = plugin.frameCount();

    process.kill(sw.pid, 'SIGCONT');
    stopped = false;
    const resumedAt = performance.now();
    const back = await plugin.waitForFrame((f) => !/not answering|stopped/.test(tooltip(f)), WAIT_MS, 'recovery shown', hungIndex);
    const recoveredAfterMs = performance.now() - resumedAt;
    expect(tooltip(back)).toBe(before);

    // Never "stopped" while the process was only paused.
    const episode = plugin.frames.slice(from);
    expect(episode.filter((raw) => /llama-swap: stopped/.test(raw))).toEqual([]);
    console.info(`hung real llama-swap: "not answering" after ${Math.round(shownAfterMs)} ms, recovery after ${Math.round(recoveredAfterMs)} ms`);
  }, TIMEOUT);
});
