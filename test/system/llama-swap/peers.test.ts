/**
 * llama-swap's peers (`peers:` in its configuration), read from real llama-swap 0bdb3720
 * captures (test/fixtures/llama-swap/peers/): the client keeps a peer model's kind and peer, the
 * event decoder marks its modelStatus entry, and the menu lists it under its peer, never as Load.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createParser } from 'eventsource-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { History } from '../../../src/hooks/history/history.js';
import { buildMenuModel, type MenuModelInput } from '../../../src/hooks/model/menu-model.js';
import { decodeLiveEvent } from '../../../src/system/llama-swap/live-events.js';
import { createLlamaSwapClient } from '../../../src/system/llama-swap/llama-swap-client.js';
import type { ConfiguredModel, RunningModel } from '../../../src/system/types.js';
import { testConfig } from '../../helpers/temp-home.js';

const FIXTURE = new URL('../../fixtures/llama-swap/peers/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, FIXTURE), 'utf8');

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A server answering each path with its captured body. */
async function serve(bodies: Readonly<Record<string, string>>): Promise<number> {
  server = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(body ?? '404 page not found');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function capturedModels(): Promise<readonly ConfiguredModel[]> {
  const port = await serve({ '/v1/models': read('v1-models.json') });
  const client = createLlamaSwapClient({ apiUrl: 'http://127.0.0.1', apiPort: port, apiTimeoutMs: 5000, apiKey: null });
  const r = await client.models();
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('peer models from the real llama-swap', () => {
  it('the client reads each peer model with its kind and peer; local models stay models', async () => {
    const models = await capturedModels();
    expect(models.map((m) => [m.id, m.kind, m.peerId])).toEqual([
      ['alpha', 'model', undefined],
      ['bravo-box/embed/nomic', 'peer', 'bravo-box'],
      ['bravo-box/qwen3', 'peer', 'bravo-box'],
    ]);
  });

  it("modelStatus marks a peer's entries with its peer (their state is empty: no process here)", () => {
    const payloads: string[] = [];
    createParser({ onEvent: (m) => payloads.push(m.data) }).feed(read('events-modelstatus.sse'));
    const event = decodeLiveEvent(payloads[0] ?? '', 1000, { logDataSkipped: 0, logDataBytes: 0, events: 0, unreadable: 0 });
    expect(event).toEqual({
      type: 'modelStatus',
      models: [
        { id: 'alpha', state: 'stopped' },
        { id: 'bravo-box/qwen3', state: '', peerId: 'bravo-box' },
        { id: 'bravo-box/embed/nomic', state: '', peerId: 'bravo-box' },
      ],
    });
  });

  it('the menu lists peer models under their peer by their own name, and offers only local models to load', async () => {
    const menu = buildMenuModel(menuInput(await capturedModels(), JSON.parse(read('running-after-peer-request.json')).running));
    expect(menu.idleModels.map((m) => m.id)).toEqual(['alpha']);
    expect(menu.peers).toEqual([
      { peer: 'bravo-box', models: [{ id: 'bravo-box/embed/nomic', name: 'embed/nomic' }, { id: 'bravo-box/qwen3', name: 'qwen3' }] },
    ]);
    expect(menu.morePeerModels).toBe(0);
    // Peer models are not loaded models: an idle llama-swap with only peers is still "empty".
    expect(menu.status).toBe('empty');
  });

  it('bounds the peer list like the idle list and counts the rest', () => {
    const many: ConfiguredModel[] = Array.from({ length: 130 }, (_, i) => ({ id: `p/m${i}`, name: '', description: '', loaded: false, kind: 'peer', peerId: 'p' }));
    const menu = buildMenuModel(menuInput(many, []));
    expect(menu.peers?.[0]?.models).toHaveLength(100);
    expect(menu.morePeerModels).toBe(30);
    expect(menu.idleModels).toEqual([]);
  });
});

function menuInput(models: readonly ConfiguredModel[], running: readonly RunningModel[]): MenuModelInput {
  return {
    config: testConfig('/home/u', { apiUrl: 'http://127.0.0.1:45786', cacheDir: '/tmp/cache' }),
    configWarnings: [],
    running: { ok: true, value: running },
    models: { ok: true, value: models },
    profiles: { ok: false, error: { kind: 'not-supported', message: 'no profiles' } },
    metrics: {},
    host: null,
    processes: null,
    service: null,
    history: new History({ capacity: 10 }).snapshot(),
    historyWarning: null,
    invoker: { executable: '/bin/plugin', leadingArgs: [] },
    lastAction: null,
    now: 1,
  };
}
