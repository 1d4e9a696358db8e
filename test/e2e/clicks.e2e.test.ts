/**
 * Clicks through the installed wrapper against the REAL llama-swap. Under SwiftBar 2.1's
 * environment items carry `stdin=<token>` and the test writes the token plus a newline to the
 * plugin's stdin exactly as SwiftBar does: llama-swap loads, unloads and cancels, and the frame
 * shows the progress word before llama-swap has answered. Under SwiftBar 2.0.1's environment
 * the same items keep `bash=` commands that work. Hostile stdin runs nothing and stops nothing.
 * Every step waits for the frame (or the file, or llama-swap's answer) that shows it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allItems, findItem, type ParsedFrame, type ParsedItem } from '../../src/reconciler/parse.js';
import { modelItem } from './helpers/frame-queries.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';
import { findFakeModelBinary, realLlamaSwapGate, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const TIMEOUT = 120_000;
const WAIT = 40_000;
const gate = realLlamaSwapGate();
const bin = gate.bin;
const fakeModel = bin === null ? null : findFakeModelBinary(bin);

type RunningEntry = { readonly model: string; readonly state: string };

async function runningList(sw: RealLlamaSwap): Promise<RunningEntry[]> {
  return ((await (await fetch(`${sw.url}/running`)).json()) as { running: RunningEntry[] }).running;
}

function slowChat(url: string, model: string): { done: Promise<boolean>; abort(): void } {
  let req: ReturnType<typeof request> | null = null;
  const done = new Promise<boolean>((resolve) => {
    req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('close', () => resolve(res.complete && res.statusCode === 200 && text.includes('[DONE]')));
    });
    req.on('error', () => resolve(false));
    req.end(JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }));
  });
  return { done, abort: () => req?.destroy() };
}

/** The idle model's Load item (title = the model's name). */
const loadItem = (f: ParsedFrame, name: string): ParsedItem | undefined =>
  allItems(f).find((i) => i.title === name && i.params.tooltip === 'Load this model now');

const child = (item: ParsedItem | undefined, title: string | RegExp): ParsedItem | undefined =>
  item === undefined ? undefined : allItems({ header: [], body: item.children }).find((i) => (typeof title === 'string' ? i.title === title : title.test(i.title)));

const hasLine = (text: string) => (f: ParsedFrame): boolean => findItem(f, (i) => i.title === text) !== undefined;

/**
 * The click's own note ("Loading "slow"…") or the action's first record, which starts with the
 * same words and says what it waits for; both may fall into one frame.
 */
const progress = (words: string) => (f: ParsedFrame): boolean => findItem(f, (i) => i.title === words || i.title.startsWith(`${words} (waiting`)) !== undefined;

if (gate.failure !== null) {
  describe('clicks on the real llama-swap', () => {
    it('has a binary to test (CI)', () => {
      throw new Error(gate.failure ?? '');
    });
  });
}

describe.skipIf(bin === null || fakeModel === null)('clicks through the installed wrapper, real llama-swap', () => {
  let sw: RealLlamaSwap;
  const plugins: PluginProcess[] = [];

  beforeAll(async () => {
    sw = await startRealLlamaSwap({
      models: {
        // Healthy only after 4 s: the progress word must be on screen before llama-swap answers.
        slow: { loadMs: 4000 },
        quick: { loadMs: 50 },
        stream: { kind: 'fake-model', tokens: 5000, tps: 20 },
      },
    }, bin);
  }, TIMEOUT);

  afterEach(async () => {
    for (const p of plugins.splice(0)) await p.dispose();
    await fetch(`${sw.url}/api/models/unload`, { method: 'POST' }).catch(() => undefined);
    // A load sent while llama-swap still stops a model fails ("group: model unloaded"): wait until none is listed.
    while ((await runningList(sw)).some((m) => m.state !== 'stopped')) await new Promise((resolve) => setTimeout(resolve, 50));
  }, TIMEOUT);

  afterAll(async () => {
    await sw?.stop();
  }, TIMEOUT);

  function start(swiftbar: '2.0.1' | '2.1.0'): PluginProcess {
    const p = startPluginProcess({ apiUrl: sw.url, timeoutSecs: 2, swiftbar });
    plugins.push(p);
    return p;
  }

  it('SwiftBar 2.1: load, unload and cancel through stdin; the progress word shows before llama-swap answers', async () => {
    const plugin = start('2.1.0');
    const first = await plugin.waitForFrame((f) => loadItem(f, 'slow') !== undefined, WAIT, 'slow listed with Load');
    // No line carries both (SwiftBar would run both), and every action line is a stdin click.
    expect(allItems(first).filter((i) => i.params.stdin !== undefined && i.params.bash !== undefined)).toEqual([]);
    const load = loadItem(first, 'slow') as ParsedItem;
    expect(load.params.stdin).toMatch(/^c[0-9a-f]{20}$/);
    expect(load.params).not.toHaveProperty('bash');
    expect(allItems(first).filter((i) => i.params.bash !== undefined).map((i) => i.title)).toEqual(['Troubleshoot…']);

    let from = plugin.frameCount();
    plugin.clickStdin(load);
    await plugin.waitForFrame(progress('Loading "slow"…'), WAIT, 'Loading "slow"…', from);
    // llama-swap has not answered the load yet: the model is not ready.
    expect((await runningList(sw)).find((m) => m.model === 'slow')?.state).not.toBe('ready');
    const loaded = await plugin.waitForFrame((f) => hasLine('loaded model "slow"')(f) && modelItem(f, 'slow')?.title === 'slow — ready', WAIT, 'slow loaded', from);
    expect((await runningList(sw)).find((m) => m.model === 'slow')?.state).toBe('ready');

    const unload = child(modelItem(loaded, 'slow'), 'Unload this model') as ParsedItem;
    expect(unload.params.stdin).toMatch(/^c[0-9a-f]{20}$/);
    from = plugin.frameCount();
    plugin.clickStdin(unload);
    // An idle stand-in stops at once: llama-swap may answer within the frame's coalescing window,
    // and then the first frame already shows the outcome.
    const shown = await plugin.waitForFrame((f) => progress('Unloading "slow"…')(f) || hasLine('unloaded model "slow"')(f), WAIT, 'Unloading "slow"… or its outcome', from);
    if (!hasLine('unloaded model "slow"')(shown)) await plugin.waitForFrame((f) => hasLine('unloaded model "slow"')(f), WAIT, 'slow unloaded', from);
    await plugin.waitForFrame((f) => loadItem(f, 'slow') !== undefined, WAIT, 'slow listed with Load again', from);
    expect((await runningList(sw)).some((m) => m.model === 'slow' && m.state !== 'stopped')).toBe(false);

    const chat = slowChat(sw.url, 'stream');
    try {
      const busy = await plugin.waitForFrame((f) => child(modelItem(f, 'stream'), 'Cancel') !== undefined, WAIT, 'stream in flight with Cancel');
      const cancel = child(modelItem(busy, 'stream'), 'Cancel') as ParsedItem;
      from = plugin.frameCount();
      plugin.clickStdin(cancel);
      // A cancel llama-swap answers within the frame's coalescing window may show its outcome at once.
      await plugin.waitForFrame((f) => findItem(f, /^(Cancelling request \d+…|cancelled request \d+ \("stream"\))$/) !== undefined, WAIT, 'Cancelling request…', from);
      await plugin.waitForFrame((f) => findItem(f, /^cancelled request \d+ \("stream"\)$/) !== undefined, WAIT, 'cancelled', from);
      expect(await chat.done).toBe(false);
    } finally {
      chat.abort();
    }
    expect(plugin.malformed).toEqual([]);
  }, TIMEOUT);

  it('SwiftBar 2.1: a plugin stopped (SIGTERM) while a click waits on llama-swap leaves no stale "Loading…"', async () => {
    const plugin = start('2.1.0');
    const first = await plugin.waitForFrame((f) => loadItem(f, 'slow') !== undefined, WAIT, 'slow listed with Load');
    const from = plugin.frameCount();
    plugin.clickStdin(loadItem(first, 'slow') as ParsedItem);
    await plugin.waitForFrame((f) => findItem(f, /^Loading "slow"… \(waiting/) !== undefined, WAIT, 'waiting for llama-swap', from);
    const status = await plugin.stop();
    expect(status.code).toBe(0);
    const rec = JSON.parse(readFileSync(join(plugin.cacheDir, 'last-action.json'), 'utf8')) as { ok: boolean; message: string; pendingUntil?: number };
    expect(rec).toMatchObject({ ok: true, message: 'Loading "slow": the menu restarted before llama-swap answered' });
    expect(rec.pendingUntil).toBeUndefined();
    expect(existsSync(join(plugin.cacheDir, 'action-pending'))).toBe(false);
  }, TIMEOUT);

  it('SwiftBar 2.0.1: the same items keep bash= commands, which work', async () => {
    const plugin = start('2.0.1');
    const first = await plugin.waitForFrame((f) => loadItem(f, 'quick') !== undefined, WAIT, 'quick listed with Load');
    expect(allItems(first).filter((i) => i.params.stdin !== undefined)).toEqual([]);
    const load = loadItem(first, 'quick') as ParsedItem;
    expect(load.params).toMatchObject({ bash: plugin.wrapper, param1: 'do_load_model', param2: 'quick', terminal: 'false' });
    const from = plugin.frameCount();
    const run = await plugin.click(load);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('loaded model "quick"');
    await plugin.waitForFrame((f) => modelItem(f, 'quick')?.title === 'quick — ready', WAIT, 'quick ready', from);
  }, TIMEOUT);

  it('hostile stdin: unknown tokens, partial and 1 MB lines, a closed stdin run nothing and stop nothing', async () => {
    const plugin = start('2.1.0');
    const first = await plugin.waitForFrame((f) => loadItem(f, 'quick') !== undefined, WAIT, 'quick listed with Load');
    const token = loadItem(first, 'quick')?.params.stdin ?? '';
    expect(token).not.toBe('');
    await plugin.writeStdin(`c${'0'.repeat(20)}\nnot a token\nbash=/bin/sh param1=-c param2=touch\n${token.toUpperCase()}\n`);
    await plugin.writeStdin(`${'x'.repeat(1_048_576)}\n`);
    await plugin.writeStdin(`${token}${'y'.repeat(1_048_576)}\n`);
    // A valid token without its newline, then stdin closes: an unfinished line is never a click.
    await plugin.writeStdin(token);
    plugin.child.stdin?.end();
    // Still running and drawing: llama-swap loads a model from elsewhere and the menu shows it.
    const from = plugin.frameCount();
    expect((await fetch(`${sw.url}/upstream/quick/health`)).status).toBe(200);
    await plugin.waitForFrame((f) => modelItem(f, 'quick')?.title === 'quick — ready', WAIT, 'quick ready (loaded from outside)', from);
    // Nothing ran: no action recorded anything, and only the model loaded from outside is listed.
    expect(existsSync(join(plugin.cacheDir, 'last-action.json'))).toBe(false);
    expect((await runningList(sw)).map((m) => m.model)).toEqual(['quick']);
    expect(plugin.malformed).toEqual([]);
  }, TIMEOUT);
});
