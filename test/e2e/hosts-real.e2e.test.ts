/**
 * Several hosts (LLAMA_SWAP_HOSTS) through the installed wrapper: two REAL llama-swaps (alpha, with
 * bravo-box as its peer; bravo-box asks for an API key), an address where nothing listens, and a
 * stand-in that records every request's Authorization header. Each host has its own line; the
 * dead one says so on its own line while the others list their models; a Load clicked in
 * bravo-box's section loads the model there and nothing on alpha; alpha's peer models are never
 * offered to load; keys never cross hosts. Every step waits for the frame that shows it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idFromArgs } from '../../src/components/menu-action.js';
import type { ParsedFrame, ParsedItem, ParsedNode } from '../../src/reconciler/parse.js';
import { childTitles, statusColor } from './helpers/frame-queries.js';
import { actionArgv, installPlugin, startPluginProcess, swiftBarEnv, type InstalledPlugin, type PluginProcess } from './helpers/plugin-process.js';
import { freePort, realLlamaSwapGate, runningIds, startRealLlamaSwap, type RealLlamaSwap } from './helpers/real-llama-swap.js';

const TIMEOUT = 180_000;
const WAIT = 60_000;
const BRAVO_KEY = 'bravo-secret-key';
const DEFAULT_KEY = 'default-secret-key';
const gate = realLlamaSwapGate();

/** The top-level line of a host ("alpha — …"). */
function hostRow(frame: ParsedFrame, name: string): ParsedItem | undefined {
  return frame.body.find((n): n is ParsedItem => n.type === 'item' && n.title.startsWith(`${name} — `));
}

/** Items with an action anywhere under `nodes`. */
function actionItems(nodes: readonly ParsedNode[]): ParsedItem[] {
  return nodes.flatMap((n) => (n.type === 'item' ? [...(n.params.bash === undefined ? [] : [n]), ...actionItems(n.children)] : []));
}

/** The model ids of the Load items inside a host's line, with the host each names. */
function loadsIn(row: ParsedItem | undefined): { host: string | undefined; id: string | undefined }[] {
  return actionItems(row?.children ?? [])
    .map((i) => actionArgv(i))
    .filter((argv) => argv[2] === 'do_load_model')
    .map((argv) => ({ host: argv[0] === '--host' ? argv[1] : undefined, id: idFromArgs(argv.slice(3)) }));
}

/** The stdin= item titled `title` (a model's Load) in a host's section (SwiftBar 2.1 clicks). */
function stdinLoad(row: ParsedItem | undefined, title: string): ParsedItem | undefined {
  const walk = (nodes: readonly ParsedNode[]): ParsedItem | undefined => {
    for (const n of nodes) {
      if (n.type !== 'item') continue;
      if (n.params.stdin !== undefined && n.title === title) return n;
      const found = walk(n.children);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(row?.children ?? []);
}


/** A host that answers 503 to everything and records the Authorization header of each request. */
async function recordingHost(): Promise<{ url: string; authorizations: (string | undefined)[]; close(): Promise<void> }> {
  const authorizations: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    res.writeHead(503, { 'content-type': 'text/plain' }).end('not llama-swap');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

if (gate.failure !== null) {
  describe('several hosts (real llama-swap)', () => {
    it('has a binary to test (CI)', () => {
      throw new Error(gate.failure ?? '');
    });
  });
}

describe.skipIf(gate.bin === null)('several hosts in one menu, through the installed wrapper (two real llama-swaps, a dead address, a recorder)', () => {
  let bravo: RealLlamaSwap | null = null;
  let alpha: RealLlamaSwap | null = null;
  let recorder: Awaited<ReturnType<typeof recordingHost>> | null = null;
  let installed: InstalledPlugin | null = null;
  let plugin: PluginProcess | null = null;

  beforeAll(async () => {
    bravo = await startRealLlamaSwap({ models: { qwen3: { loadMs: 50 }, 'embed/nomic': { loadMs: 50 } }, apiKeys: [BRAVO_KEY] }, gate.bin);
    alpha = await startRealLlamaSwap({
      models: { 'alpha-7b': { name: 'Alpha 7B', loadMs: 50 } },
      peers: { 'bravo-box': { proxy: bravo.url, models: ['qwen3', 'embed/nomic'], apiKey: BRAVO_KEY } },
    }, gate.bin);
    recorder = await recordingHost();
    const dead = `http://127.0.0.1:${await freePort()}`;
    installed = installPlugin({
      apiUrl: alpha.url,
      timeoutSecs: 2,
      env: {
        LLAMA_SWAP_HOSTS: `alpha=${alpha.url},bravo-box=${bravo.url},dead=${dead},rec=${recorder.url}`,
        // Stored by install-plugin in the key file: bravo-box's key, and a default key no named host may send.
        LLAMA_SWAP_API_KEY_BRAVO_BOX: BRAVO_KEY,
        LLAMA_SWAP_API_KEY: DEFAULT_KEY,
      },
    });
    plugin = startPluginProcess({ apiUrl: alpha.url, installed });
  }, TIMEOUT);

  afterAll(async () => {
    await plugin?.dispose();
    installed?.dispose();
    await alpha?.stop();
    await bravo?.stop();
    await recorder?.close();
  }, TIMEOUT);

  it("lists both live hosts' models on their own lines, the dead one as not answering, peers never as Load", async () => {
    const p = plugin as PluginProcess;
    const frame = await p.waitForFrame(
      (f) => loadsIn(hostRow(f, 'alpha')).length > 0 && loadsIn(hostRow(f, 'bravo-box')).length === 2 && hostRow(f, 'dead')?.title === 'dead — not answering',
      WAIT,
      'alpha and bravo-box listing their models, dead not answering',
    );
    expect(frame.body.filter((n) => n.type === 'item').map((n) => (n as ParsedItem).title.split(' — ')[0])).toEqual(['alpha', 'bravo-box', 'dead', 'rec', 'This computer', 'System']);
    // The worst host leads the title.
    expect(statusColor(frame)).toBe('red');
    // Each host offers only its own models, each Load naming its host.
    expect(loadsIn(hostRow(frame, 'alpha'))).toEqual([{ host: 'alpha', id: 'alpha-7b' }]);
    expect(loadsIn(hostRow(frame, 'bravo-box')).sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual([
      { host: 'bravo-box', id: 'embed/nomic' },
      { host: 'bravo-box', id: 'qwen3' },
    ]);
    // alpha's peer is the watched host bravo-box: its line says so, and its models have no action.
    const alphaRow = hostRow(frame, 'alpha');
    const peerLine = alphaRow?.children.find((c): c is ParsedItem => c.type === 'item' && c.title.startsWith('via bravo-box — 2 models · host bravo-box: '));
    expect(peerLine, childTitles(alphaRow).join('\n')).toBeDefined();
    expect(actionItems(peerLine?.children ?? [])).toEqual([]);
    // A host without a key never receives another host's key (nor the default one).
    expect((recorder as NonNullable<typeof recorder>).authorizations.length).toBeGreaterThan(0);
    expect(new Set((recorder as NonNullable<typeof recorder>).authorizations)).toEqual(new Set([undefined]));
    expect(p.malformed).toEqual([]);
  }, TIMEOUT);

  it("a Load clicked in bravo-box's section loads the model there and nothing on alpha", async () => {
    const p = plugin as PluginProcess;
    const at = p.frames.length;
    const item = actionItems(hostRow(p.latest() as ParsedFrame, 'bravo-box')?.children ?? []).find((i) => {
      const argv = actionArgv(i);
      return argv[2] === 'do_load_model' && idFromArgs(argv.slice(3)) === 'qwen3';
    });
    expect(item).toBeDefined();
    const run = await p.click(item as ParsedItem);
    expect(run.code, JSON.stringify(run)).toBe(0);
    await p.waitForFrame((f) => hostRow(f, 'bravo-box')?.title.includes('1 model loaded') === true, WAIT, 'bravo-box with qwen3 loaded', at);
    expect(await runningIds(bravo as RealLlamaSwap, BRAVO_KEY)).toEqual(['qwen3']);
    expect(await runningIds(alpha as RealLlamaSwap)).toEqual([]);
    // A host name no setting knows is refused before anything is asked.
    const unknown = await (installed as InstalledPlugin).run(['--host', 'nowhere', 'do_load_model', 'qwen3']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no host "nowhere" in LLAMA_SWAP_HOSTS');
    expect(p.malformed).toEqual([]);
  }, TIMEOUT);
  it("SwiftBar 2.1: a stdin click in bravo-box's section loads there with its key, and only that section hears of it", async () => {
    // The same installed wrapper, started by SwiftBar 2.1 (its environment over the 2.0.1 one).
    const base = installed as InstalledPlugin;
    const as21 = { ...base, env: { ...base.env, ...swiftBarEnv(base.home, base.wrapper, base.cacheDir, '2.1.0') } };
    const p2 = startPluginProcess({ apiUrl: (alpha as RealLlamaSwap).url, installed: as21 });
    try {
      const first = await p2.waitForFrame((f) => stdinLoad(hostRow(f, 'bravo-box'), 'embed/nomic') !== undefined, WAIT, "bravo-box's Load of embed/nomic as a stdin item");
      const load = stdinLoad(hostRow(first, 'bravo-box'), 'embed/nomic') as ParsedItem;
      expect(load.params).not.toHaveProperty('bash');
      const alphaBefore = await runningIds(alpha as RealLlamaSwap);
      const from = p2.frameCount();
      p2.clickStdin(load);
      // Heard by bravo-box's section (its progress word or its outcome), by no other host's.
      const said = (row: ParsedItem | undefined): boolean => (row?.children ?? []).some((c) => c.type === 'item' && /^(Loading "embed\/nomic"…|loaded model "embed\/nomic")/.test(c.title));
      const shown = await p2.waitForFrame((f) => said(hostRow(f, 'bravo-box')), WAIT, "bravo-box's section telling the load", from);
      expect(said(hostRow(shown, 'alpha'))).toBe(false);
      await p2.waitForFrame((f) => (hostRow(f, 'bravo-box')?.children ?? []).some((c) => c.type === 'item' && c.title.startsWith('loaded model "embed/nomic"')), WAIT, 'bravo-box loaded embed/nomic', from);
      // Sent to bravo-box with bravo-box's key (it refuses any other), nothing asked of alpha.
      expect(await runningIds(bravo as RealLlamaSwap, BRAVO_KEY)).toContain('embed/nomic');
      expect(await runningIds(alpha as RealLlamaSwap)).toEqual(alphaBefore);
      expect(p2.malformed).toEqual([]);
    } finally {
      await p2.dispose();
    }
  }, TIMEOUT);
});
