/**
 * llama-swap's peers through the installed wrapper, against two REAL llama-swap instances: alpha
 * (one local model) configured with bravo-box (a second llama-swap) as its peer. The menu lists
 * bravo-box's models under "via bravo-box" and never offers them to load; a Load clicked from an
 * old frame with a peer's id is refused without touching either llama-swap; the Load of alpha's
 * own model loads it on alpha and nothing on the peer. Every step waits for the frame that shows it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idFromArgs } from '../../src/components/menu-action.js';
import { itemsWithAction } from '../../src/components/story-helpers.js';
import type { ParsedFrame } from '../../src/reconciler/parse.js';
import { bodyTitles, childTitles, runningModel, statusColor, topRow } from './helpers/frame-queries.js';
import { actionArgv, installPlugin, startPluginProcess, type InstalledPlugin, type PluginProcess } from './helpers/plugin-process.js';
import { realLlamaSwapGate, runningIds, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const TIMEOUT = 120_000;
const WAIT = 30_000;
const LOCAL = { id: 'alpha-7b', name: 'Alpha 7B' };
const PEER = 'bravo-box';
const PEER_MODELS = ['qwen3', 'embed/nomic'];
const gate = realLlamaSwapGate();

/** The ids of every Load item in the frame. */
function loadIds(frame: ParsedFrame): (string | undefined)[] {
  return itemsWithAction(frame, 'do_load_model').map((i) => idFromArgs(actionArgv(i).slice(1)));
}


if (gate.failure !== null) {
  describe('peers (real llama-swap)', () => {
    it('has a binary to test (CI)', () => {
      throw new Error(gate.failure ?? '');
    });
  });
}

describe.skipIf(gate.bin === null)("a llama-swap's peers, through the installed wrapper (two real llama-swaps)", () => {
  let bravo: RealLlamaSwap | null = null;
  let alpha: RealLlamaSwap | null = null;
  let installed: InstalledPlugin | null = null;
  let plugin: PluginProcess | null = null;

  beforeAll(async () => {
    bravo = await startRealLlamaSwap({ models: { qwen3: { loadMs: 50 }, 'embed/nomic': { loadMs: 50 } } }, gate.bin);
    alpha = await startRealLlamaSwap({
      models: { [LOCAL.id]: { name: LOCAL.name, loadMs: 50 } },
      peers: { [PEER]: { proxy: bravo.url, models: PEER_MODELS } },
    }, gate.bin);
    installed = installPlugin({ apiUrl: alpha.url, timeoutSecs: 2 });
    plugin = startPluginProcess({ apiUrl: alpha.url, installed });
  }, TIMEOUT);

  afterAll(async () => {
    await plugin?.dispose();
    installed?.dispose();
    await alpha?.stop();
    await bravo?.stop();
  }, TIMEOUT);

  it('lists the peer models under their peer, offers only the local model to load, and refuses a peer id', async () => {
    const p = plugin as PluginProcess;
    const frame = await p.waitForFrame((f) => topRow(f, LOCAL.name) !== undefined && childTitles(topRow(f, `via ${PEER} — 2 models`)).length > 0, WAIT, 'the local model and the peer line');
    expect(childTitles(topRow(frame, `via ${PEER} — 2 models`)), bodyTitles(frame)).toEqual([`llama-swap forwards these to ${PEER}`, 'embed/nomic', 'qwen3']);
    expect(topRow(frame, 'Peer models — loaded by their peer on request')).toBeDefined();
    expect(loadIds(frame)).toEqual([LOCAL.id]);
    // Nothing clickable names a peer model (no Load, no Unload, no other action).
    const argvs = itemsWithAction(frame, 'do_unload_model').concat(itemsWithAction(frame, 'do_load_model')).map((i) => actionArgv(i).join(' '));
    expect(argvs.filter((a) => a.includes(PEER))).toEqual([]);

    // A Load of a peer id (an old frame, a hand-made click) is refused; neither llama-swap loads anything.
    const forged = await (installed as InstalledPlugin).run(['do_load_model', `${PEER}/qwen3`]);
    expect(forged.code, JSON.stringify(forged)).toBe(1);
    expect(forged.stdout + forged.stderr).toContain(`"${PEER}/qwen3" is a model of peer "${PEER}"`);
    const forgedUnload = await (installed as InstalledPlugin).run(['do_unload_model', `${PEER}/qwen3`]);
    expect(forgedUnload.code, JSON.stringify(forgedUnload)).toBe(1);
    expect(await runningIds(alpha as RealLlamaSwap)).toEqual([]);
    expect(await runningIds(bravo as RealLlamaSwap)).toEqual([]);
  }, TIMEOUT);

  it('a Load of the local model loads it on alpha and nothing on the peer; a request through the peer loads it there only', async () => {
    const p = plugin as PluginProcess;
    const a = alpha as RealLlamaSwap;
    const b = bravo as RealLlamaSwap;
    // A request for a peer model goes through alpha to bravo-box, which loads it.
    const chat = await fetch(`${a.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: `${PEER}/qwen3`, max_tokens: 3, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(200);
    await chat.text();
    expect(await runningIds(b)).toEqual(['qwen3']);

    const at = p.frames.length;
    const row = topRow(p.latest() as ParsedFrame, LOCAL.name);
    expect(row?.params.bash).toBeDefined();
    const run = await p.click(row as NonNullable<typeof row>);
    expect(run.code, JSON.stringify(run)).toBe(0);
    const ready = await p.waitForFrame((f) => statusColor(f) === 'green' && runningModel(f, LOCAL.name) !== undefined, WAIT, `${LOCAL.name} ready after Load`, at);
    expect(await runningIds(a)).toEqual([LOCAL.id]);
    expect(await runningIds(b)).toEqual(['qwen3']);
    // The peer's loaded model is still only under its peer: alpha runs no process for it.
    expect(runningModel(ready, 'qwen3')).toBeUndefined();
    expect(childTitles(topRow(ready, `via ${PEER} — 2 models`))).toContain('qwen3');
    expect(loadIds(ready)).toEqual([]);
    expect(p.malformed).toEqual([]);
  }, TIMEOUT);
});
