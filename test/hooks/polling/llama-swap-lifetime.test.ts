/**
 * A restarted llama-swap is another instance: its activity ids start again at 1 (in-memory store)
 * and its totals are its own. The poll sources must not carry the old instance's cursor, totals,
 * last request or rate windows into the new one, and must not forget them on a mere reconnect.
 */
import { describe, expect, it } from 'vitest';
import { createPollSources } from '../../../src/hooks/polling/poll-sources.js';
import type { ProcessView } from '../../../src/hooks/model/menu-input.js';
import type { LiveEvent, LiveEventHandlers } from '../../../src/system/llama-swap/live-events.js';
import type { ServiceView } from '../../../src/system/types.js';
import { StoreApi } from '../helpers/store-api.js';
import { running } from '../helpers/fake-api.js';
import { SERVICE, testDeps } from '../helpers/test-deps.js';

function setup(over: { processStats?: () => Promise<ProcessView | null>; detectService?: () => Promise<ServiceView> } = {}) {
  const api = new StoreApi();
  api.runningResult = { ok: true, value: [running('m', 'ready')] };
  const sources = createPollSources(testDeps(api, '/tmp/unused', over), { m: { v: 2, samples: [], served: 4, inSystem: 0 } });
  return { api, sources };
}

const served = async (sources: ReturnType<typeof setup>['sources']) => (await sources.activity(['m'])).value?.['m'];

describe('a restarted llama-swap starts its counts afresh', () => {
  it('after /running failed and answered again, the new instance counts from 1 (not 6 + 1)', async () => {
    const { api, sources } = setup();
    await sources.running();
    for (const tokens of [100, 200, 300, 400, 500, 600]) api.add('m', tokens);
    expect(await served(sources)).toMatchObject({ served: 6, outputTokens: 2100 });

    api.down();
    await sources.running();
    api.restart();
    api.runningResult = { ok: true, value: [running('m', 'ready')] };
    await sources.running();
    api.add('m', 50, 500);
    const after = await served(sources);
    expect(after).toMatchObject({ served: 1, inputTokens: 10, outputTokens: 50 });
    expect(after?.last.outputTps).toBe(100);
  });

  it('before the new instance served anything, the old totals and last request are gone', async () => {
    const { api, sources } = setup();
    await sources.running();
    for (const tokens of [100, 200, 300]) api.add('m', tokens);
    expect((await served(sources))?.served).toBe(3);
    api.down();
    await sources.running();
    api.restart();
    api.runningResult = { ok: true, value: [running('m', 'ready')] };
    await sources.running();
    const after = await served(sources);
    expect(after?.served).toBe(0);
    expect(after?.last.outputTps ?? null).toBeNull();
  });

  it('sees a restart that already served more requests than the cursor (another request at its id)', async () => {
    const { api, sources } = setup();
    api.runningResult = { ok: true, value: [running('m', 'ready'), running('n', 'ready')] };
    await sources.running();
    for (const model of ['m', 'm', 'n', 'n']) api.add(model, 100);
    expect((await sources.activity(['m', 'n'])).value).toMatchObject({ m: { served: 2 }, n: { served: 2 } });
    api.down();
    await sources.running();
    // The new instance served five requests of m before the plugin looked: ids 1–5, past the cursor (4).
    api.restart();
    for (const tokens of [7, 8, 9, 10, 11]) api.add('m', tokens);
    api.runningResult = { ok: true, value: [running('m', 'ready'), running('n', 'ready')] };
    await sources.running();
    const after = (await sources.activity(['m', 'n'])).value;
    expect(after?.['m']).toMatchObject({ served: 5, outputTokens: 45 });
    // n served nothing in this instance: the old instance's 2 must not stand.
    expect(after?.['n']).toMatchObject({ served: 0, outputTokens: 0 });
  });

  it("sees a restart by llama-swap's pid changing, with no failed poll in between", async () => {
    let pid = 100;
    const { api, sources } = setup({ processStats: () => Promise.resolve({ llamaSwap: { pid, cpuPercent: 0, rssBytes: 1 }, models: {} }) });
    await sources.running();
    await sources.processes();
    for (const tokens of [1, 2, 3, 4]) api.add('m', tokens);
    expect((await served(sources))?.served).toBe(4);
    api.restart();
    for (const tokens of [1, 2, 3, 4, 5]) api.add('m', tokens * 10);
    expect(sources.rateStates.has('m')).toBe(true);
    pid = 200;
    await sources.processes();
    expect(await served(sources)).toMatchObject({ served: 5, outputTokens: 150 });
    // The rate window of the old instance's llama-server is gone with it.
    expect(sources.rateStates.has('m')).toBe(false);
  });

  it('keeps everything when the same llama-swap answers again (a blip, or a store kept on disk)', async () => {
    const { api, sources } = setup();
    await sources.running();
    for (const tokens of [100, 200]) api.add('m', tokens);
    expect((await served(sources))?.served).toBe(2);
    api.down();
    await sources.running();
    api.runningResult = { ok: true, value: [running('m', 'ready')] };
    await sources.running();
    api.add('m', 300);
    expect(await served(sources)).toMatchObject({ served: 3, outputTokens: 600 });
    // Only the newest rows were asked without the cursor (the check), then rows after it.
    expect(api.asked).toEqual([null, null, 2]);
  });
});

/** The store with llama-swap's event stream, driven by the test. */
class StreamApi extends StoreApi {
  handlers: LiveEventHandlers | null = null;

  events(handlers: LiveEventHandlers): { close(): void } {
    this.handlers = handlers;
    return { close: () => undefined };
  }
}

function streamSetup() {
  const api = new StreamApi();
  api.runningResult = { ok: true, value: [running('m', 'ready')] };
  const sources = createPollSources(testDeps(api, '/tmp/unused'));
  // Events are handled in batches and the refetches they ask for merged: a test sends one and
  // waits for the refetch it asks for, as the menu's hooks do.
  const asked: Array<() => void> = [];
  const stop = sources.events.subscribe?.({ onState: () => undefined, onEffects: (e) => {
    if (e.refreshRunning || e.refreshActivity) for (const done of asked.splice(0)) done();
  } }) ?? (() => undefined);
  const stream = (): LiveEventHandlers => {
    if (api.handlers === null) throw new Error('no stream opened');
    return api.handlers;
  };
  const send = async (event: LiveEvent): Promise<void> => {
    const refetch = new Promise<void>((resolve) => asked.push(resolve));
    stream().onEvent(event);
    await refetch;
  };
  return { api, sources, stop, stream, send };
}

describe('the event stream tells of a possible restart', () => {
  it('a stream that opens again after a drop was another llama-swap: its count, not the old one', async () => {
    const { api, sources, stop, stream } = streamSetup();
    try {
      stream().onOpen();
      await sources.running();
      for (const tokens of [1, 2, 3]) api.add('m', tokens);
      expect((await served(sources))?.served).toBe(3);
      const handlers = stream();
      handlers.onEnd({ kind: 'unreachable', message: 'connection reset' });
      api.restart();
      api.add('m', 40);
      // The reconnect (its retry timer is the events source's own; the test opens it at once).
      handlers.onOpen();
      expect(await served(sources)).toMatchObject({ served: 1, outputTokens: 40 });
    } finally {
      stop();
    }
  });

  it('an activity event naming an id at or below the cursor is checked, not trusted either way', async () => {
    const { api, sources, stop, stream, send } = streamSetup();
    try {
      stream().onOpen();
      await sources.running();
      for (const tokens of [1, 2, 3]) api.add('m', tokens);
      expect((await served(sources))?.served).toBe(3);
      // The event of a row already read (the read raced it): same store, nothing forgotten.
      await send({ type: 'activity', id: 3 });
      expect(await served(sources)).toMatchObject({ served: 3, outputTokens: 6 });
      // A new store behind a stream that never dropped (a proxy in between kept it open).
      api.restart();
      api.add('m', 40);
      await send({ type: 'activity', id: 1 });
      expect(await served(sources)).toMatchObject({ served: 1, outputTokens: 40 });
    } finally {
      stop();
    }
  });
});

describe("llama-swap's program is found through its process", () => {
  it('gives the service view the executable of the llama-swap seen running, also after it exited', async () => {
    let view: ProcessView | null = { llamaSwap: { pid: 7, cpuPercent: 0, rssBytes: 1, executable: '/Users/me/tools/llama swap/llama-swap' }, models: {} };
    const { sources } = setup({ processStats: () => Promise.resolve(view), detectService: () => Promise.resolve({ ...SERVICE, binaryPath: null }) });
    expect((await sources.service()).value?.binaryPath).toBeNull();
    await sources.processes();
    expect((await sources.service()).value?.binaryPath).toBe('/Users/me/tools/llama swap/llama-swap');
    view = { llamaSwap: null, models: {} };
    await sources.processes();
    expect((await sources.service()).value?.binaryPath).toBe('/Users/me/tools/llama swap/llama-swap');
  });
});

describe("a model's figures belong to its process", () => {
  it('after an unload and a new load, the old process’s averages are not held over (event stream up, no work)', async () => {
    const { api, sources, stop, stream, send } = streamSetup();
    try {
      stream().onOpen();
      api.metricsById.set('m', { ok: true, value: { tokensPredictedTotal: 1000, tokensPredictedSecondsTotal: 10, requestsProcessing: 0, requestsDeferred: 0 } });
      await sources.running();
      expect((await sources.metrics(['m'])).value['m']?.lifetimeGenTps).toBe(100);
      // Unloaded: llama-swap answers without it.
      api.runningResult = { ok: true, value: [] };
      await send({ type: 'modelStatus', models: [{ id: 'm', state: 'stopped' }] });
      await sources.running();
      await sources.metrics([]);
      // Loaded again: a new llama-server whose counters start at 0.
      api.runningResult = { ok: true, value: [running('m', 'ready')] };
      api.metricsById.set('m', { ok: true, value: { tokensPredictedTotal: 0, tokensPredictedSecondsTotal: 0, requestsProcessing: 0, requestsDeferred: 0 } });
      await send({ type: 'modelStatus', models: [{ id: 'm', state: 'ready' }] });
      await sources.running();
      const before = api.count('metrics:m');
      const entry = (await sources.metrics(['m'])).value['m'];
      expect(api.count('metrics:m')).toBe(before + 1);
      expect(entry?.lifetimeGenTps).toBeNull();
    } finally {
      stop();
    }
  });
});
