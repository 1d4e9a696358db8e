/**
 * Time you can read, through the installed wrapper against the REAL llama-swap: a loading model's
 * label counts its seconds (and, on its next load, shows the estimate from the first one), and a
 * `ttl` model's submenu counts down to its unload. Every step waits for the frame that shows it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedFrame } from '../../src/reconciler/parse.js';
import { childRow, modelItem, runningModel, topRow } from './helpers/frame-queries.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';
import { realLlamaSwapGate, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const TIMEOUT = 180_000;
const WAIT = 60_000;
const gate = realLlamaSwapGate();
const bin = gate.bin;

/** The seconds of a "loading… N s" label, null for any other label. */
function loadingSeconds(frame: ParsedFrame, name: string): number | null {
  const m = /— loading… (\d+) s/.exec(modelItem(frame, name)?.title ?? '');
  return m ? Number(m[1]) : null;
}

/** Seconds left of an "unloads in m:ss" countdown in the model's submenu, null when none is shown. */
function countdownSeconds(frame: ParsedFrame, name: string): number | null {
  const row = runningModel(frame, name)?.children.find((c) => c.type === 'item' && /unloads in \d+:\d\d$/i.test(c.title));
  const m = row?.type === 'item' ? /(\d+):(\d\d)$/.exec(row.title) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

if (gate.failure !== null) {
  describe('time labels against the real llama-swap', () => {
    it('has a binary to test (CI)', () => {
      throw new Error(gate.failure ?? '');
    });
  });
}

describe.skipIf(bin === null)('time labels against the real llama-swap', () => {
  let sw: RealLlamaSwap;
  let plugin: PluginProcess;

  beforeAll(async () => {
    sw = await startRealLlamaSwap({ models: { slow: { loadMs: 3_500 }, brief: { ttl: 40, loadMs: 100 } } }, bin);
    plugin = startPluginProcess({ apiUrl: sw.url, timeoutSecs: 2 });
    await plugin.waitForFrame((f) => topRow(f, 'slow')?.params.bash !== undefined, 30_000, 'slow listed with Load');
  }, TIMEOUT);

  afterAll(async () => {
    await plugin?.dispose();
    await sw?.stop();
  }, TIMEOUT);

  it('a loading model counts its seconds; its next load shows the estimate from the first', async () => {
    const load = (): Promise<unknown> => {
      const row = topRow(plugin.latest() as ParsedFrame, 'slow');
      expect(row?.params.bash).toBeDefined();
      return plugin.click(row!);
    };
    let from = plugin.frameCount();
    const first = load();
    // The label moves on its own while llama-swap says nothing new: 0 s, then 1 s or more.
    await plugin.waitForFrame((f) => loadingSeconds(f, 'slow') !== null, WAIT, 'slow loading', from);
    await plugin.waitForFrame((f) => (loadingSeconds(f, 'slow') ?? 0) >= 2, WAIT, 'slow loading for 2 s', from);
    expect(modelItem(plugin.latest() as ParsedFrame, 'slow')?.title).not.toContain('~');
    expect(await first).toMatchObject({ code: 0 });
    const ready = await plugin.waitForFrame((f) => modelItem(f, 'slow')?.title === 'slow — ready', WAIT, 'slow ready', from);
    // Seen from its start to its end: the plugin counts its uptime itself.
    expect(childRow(runningModel(ready, 'slow'), 'Ready for')?.title).toBe('Ready for < 1 min');

    const unload = childRow(runningModel(ready, 'slow'), 'Unload this model');
    from = plugin.frameCount();
    expect(await plugin.click(unload!)).toMatchObject({ code: 0 });
    await plugin.waitForFrame((f) => modelItem(f, 'slow') === undefined && topRow(f, 'slow')?.params.bash !== undefined, WAIT, 'slow unloaded', from);
    from = plugin.frameCount();
    const second = load();
    const estimated = await plugin.waitForFrame((f) => /^slow — loading… \d+ s of ~\d+ s$/.test(modelItem(f, 'slow')?.title ?? ''), WAIT, 'slow loading with an estimate', from);
    // The first load took at least the stand-in's 3.5 s of 503s.
    expect(Number(/~(\d+) s$/.exec(modelItem(estimated, 'slow')?.title ?? '')?.[1])).toBeGreaterThanOrEqual(3);
    expect(await second).toMatchObject({ code: 0 });
  }, TIMEOUT);

  it('a ttl model counts down to its unload, in steps, with no other change', async () => {
    const from = plugin.frameCount();
    const row = topRow(plugin.latest() as ParsedFrame, 'brief');
    expect(await plugin.click(row!)).toMatchObject({ code: 0 });
    const shown = await plugin.waitForFrame((f) => countdownSeconds(f, 'brief') !== null, WAIT, 'brief counting down', from);
    const left = countdownSeconds(shown, 'brief') ?? 0;
    expect(left).toBeLessThanOrEqual(40);
    expect(left % 10).toBe(0);
    // The next step arrives by the plugin's own timer (nothing else happens to the model).
    const next = await plugin.waitForFrame((f) => (countdownSeconds(f, 'brief') ?? 99) < left, WAIT, 'countdown moved on', plugin.frameCount());
    expect(countdownSeconds(next, 'brief')).toBe(left - 10);
    // llama-swap unloads it at the end of the count, not before it is due.
    const counted = plugin.frameCount();
    await plugin.waitForFrame((f) => modelItem(f, 'brief') === undefined && topRow(f, 'brief') !== undefined, WAIT, 'brief unloaded by its ttl', counted);
    const before = plugin.frames.slice(counted).map((raw) => /unloads in (\d+):(\d\d)/i.exec(raw)).filter((m) => m !== null);
    expect(before.length).toBeGreaterThan(0);
    // Its last countdown before the unload was at most one step away from the end.
    const last = before.at(-1);
    expect(Number(last?.[1]) * 60 + Number(last?.[2])).toBeLessThanOrEqual(10);
  }, TIMEOUT);
});
