import { describe, expect, it } from 'vitest';
import type { LiveEventHandlers } from '../../../src/system/llama-swap/live-events.js';
import { createPollSources } from '../../../src/hooks/polling/poll-sources.js';
import { FakeApi, running } from '../helpers/fake-api.js';
import { testDeps } from '../helpers/test-deps.js';

function setup() {
  const api = new FakeApi();
  let now = 0;
  const sources = createPollSources(testDeps(api, '/tmp/unused', { clock: () => now, monotonic: () => now }));
  return { api, sources, at: (ms: number) => void (now = ms) };
}

describe('metrics scrapes wait for a fresh /running answer', () => {
  it('scrapes at once on a fresh answer', async () => {
    const { api, sources } = setup();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await sources.running();
    await sources.metrics(['a']);
    expect(api.count('metrics:a')).toBe(1);
    expect(api.count('running')).toBe(1);
  });

  it('on a stale answer, waits for the next poll (no extra request) and never scrapes a model unloaded since', async () => {
    const { api, sources, at } = setup();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await sources.running();
    at(3000);
    // Unloaded (or swapped out) after that poll: a scrape now would make llama-swap load it back.
    api.runningResult = { ok: true, value: [] };
    const scraped = sources.metrics(['a']);
    await new Promise((r) => setTimeout(r, 20));
    expect(api.count('metrics:a')).toBe(0);
    await sources.running();
    expect((await scraped).value).toEqual({});
    expect(api.count('metrics:a')).toBe(0);
    expect(api.count('running')).toBe(2);
  });
});

describe('no metrics scrape while a menu action runs', () => {
  it('keeps the last figures and sends no /upstream request until the action ends', async () => {
    const api = new FakeApi();
    let pending = false;
    const sources = createPollSources(testDeps(api, '/tmp/unused', { clock: () => 0, actionInProgress: () => pending }));
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await sources.running();
    const before = (await sources.metrics(['a'])).value['a'];
    expect(api.count('metrics:a')).toBe(1);
    // An Unload is being sent: a scrape reaching llama-swap after it would load the model back.
    pending = true;
    await sources.running();
    expect((await sources.metrics(['a'])).value['a']).toEqual(before);
    expect(api.count('metrics:a')).toBe(1);
    pending = false;
    await sources.running();
    await sources.metrics(['a']);
    expect(api.count('metrics:a')).toBe(2);
  });
});

describe('with the event stream up, idle models are not scraped', () => {
  it('scrapes a quiet model again only once a request is in flight for it', async () => {
    const api = new FakeApi();
    const sources = createPollSources(testDeps(api, '/tmp/unused', { clock: () => 0 }));
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    await sources.running();
    await sources.metrics(['a']);
    expect(api.count('metrics:a')).toBe(1);
    // The stream is up and says nothing is in flight: the last figures stand, no request.
    sources.state.eventsHealthy = true;
    sources.state.inflightByModel = new Map();
    await sources.running();
    const held = await sources.metrics(['a']);
    expect(held.value['a']?.status).toBe('ok');
    expect(api.count('metrics:a')).toBe(1);
    // A request starts (an inflight event): scraped again.
    sources.state.inflightByModel = new Map([['a', 1]]);
    await sources.metrics(['a']);
    expect(api.count('metrics:a')).toBe(2);
    // Without the stream, every poll scrapes as before.
    sources.state.eventsHealthy = false;
    sources.state.inflightByModel = new Map();
    await sources.metrics(['a']);
    expect(api.count('metrics:a')).toBe(3);
  });
});

describe('a /running answer older than a modelStatus event', () => {
  it('never puts a model the event says is no longer ready back into the scrape gate', async () => {
    let handlers: LiveEventHandlers | null = null;
    const api = Object.assign(new FakeApi(), {
      events(h: LiveEventHandlers): { close(): void } {
        handlers = h;
        return { close: () => undefined };
      },
    });
    const sources = createPollSources(testDeps(api, '/tmp/unused', { clock: () => 0 }));
    const stop = sources.events.subscribe?.({ onState: () => undefined, onEffects: () => undefined }) ?? (() => undefined);
    try {
      api.runningResult = { ok: true, value: [running('a', 'ready')] };
      await sources.running();
      expect(sources.state.readyIds.has('a')).toBe(true);
      // A /running request goes out; before its answer (a still ready) arrives, llama-swap's
      // stream says a is stopping: b was asked for and swaps it out.
      api.delayMs = 30;
      const answer = sources.running();
      (handlers as LiveEventHandlers | null)?.onEvent({ type: 'modelStatus', models: [{ id: 'a', state: 'stopping' }, { id: 'b', state: 'starting' }] });
      await answer;
      expect(sources.state.readyIds.has('a')).toBe(false);
      api.delayMs = 0;
      expect((await sources.metrics(['a'])).value).toEqual({});
      expect(api.count('metrics:a')).toBe(0);
      // A later answer, sent after the event, is believed again.
      await sources.running();
      expect(sources.state.readyIds.has('a')).toBe(true);
    } finally {
      stop();
    }
  });
});
