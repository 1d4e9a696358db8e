/**
 * The title, its tooltip and each model's label come from one derivation (modelPhase): built from
 * real builder inputs and rendered, they never disagree, and unknown figures are left out.
 */
import { describe, expect, it } from 'vitest';
import { Menu } from '../../../src/components/Menu.js';
import { EMPTY_LIVE_STATE, type LiveState } from '../../../src/hooks/polling/live-state.js';
import { buildMenuModel, type MenuModelInput } from '../../../src/hooks/model/menu-model.js';
import { allItems, parseFrame, type ParsedFrame } from '../../../src/reconciler/parse.js';
import { renderToString } from '../../../src/reconciler/index.js';
import type { InflightRequest, RunningModel } from '../../../src/system/types.js';
import { testConfig } from '../../helpers/temp-home.js';

const run = (id: string, state: string): RunningModel => ({ id, state, name: '', description: '', ttl: 0, cmd: '', proxy: '' }) as RunningModel;
const request = (id: string, model: string): InflightRequest => ({ id, model, path: '/v1/chat/completions', method: 'POST', startedAt: 1, elapsedMs: 100, receivedAt: 1, bytes: 0 });

function input(over: Partial<MenuModelInput>): MenuModelInput {
  return {
    config: testConfig('/tmp/none'),
    configWarnings: [],
    running: { ok: true, value: [] },
    models: { ok: true, value: [] },
    metrics: {},
    host: null,
    processes: null,
    service: null,
    profiles: undefined,
    history: { capacity: 10, times: [], system: { cpuPercent: [], memUsedBytes: [], gpuUtilPercent: [], gpuMemUsedBytes: [] }, models: {} },
    historyWarning: null,
    lastAction: null,
    invoker: { executable: '/x', leadingArgs: [] },
    now: 1000,
    ...over,
  } as MenuModelInput;
}

async function frameOf(i: MenuModelInput): Promise<ParsedFrame> {
  return parseFrame(await renderToString(<Menu model={buildMenuModel(i)} />));
}

describe('title, tooltip and labels agree', () => {
  it('a model with requests in flight whose scrape failed is busy everywhere, with no "–" figures', async () => {
    const live: LiveState = { ...EMPTY_LIVE_STATE, connected: true, inflight: new Map([['1', request('1', 'a')], ['2', request('2', 'a')]]) };
    const frame = await frameOf(input({
      running: { ok: true, value: [run('a', 'ready')] },
      metrics: { a: { status: 'unavailable', promptTps: null, genTps: null, processing: null, deferred: null, requestsServed: null } },
      live,
    } as Partial<MenuModelInput>));
    const title = frame.header[0];
    expect(title?.params.tooltip).toBe('llama-swap: processing requests, 2 processing');
    const label = allItems(frame).find((i) => i.depth === 0 && i.title.startsWith('a — '));
    expect(label?.title).toBe('a — 2 in flight');
    const lines = allItems(frame).map((i) => i.title);
    expect(lines).toContain('metrics unavailable: figures are the last known ones');
    expect(lines.filter((t) => t.includes('–'))).toEqual([]);
    expect(lines.filter((t) => t.startsWith('Served:') || t.startsWith('Requests:'))).toEqual(['Requests: 2 processing']);
  });

  it('a model stopping says stopping in the tooltip and its label', async () => {
    const frame = await frameOf(input({ running: { ok: true, value: [run('a', 'stopping')] } }));
    expect(frame.header[0]?.params.tooltip).toBe('llama-swap: stopping a model, 1 model loaded');
    expect(allItems(frame).find((i) => i.depth === 0 && i.title.startsWith('a — '))?.title).toBe('a — stopping…');
  });
});
