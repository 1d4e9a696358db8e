/**
 * Faults against the streaming plugin process. In every case every frame stays well-formed
 * (plugin-process.ts checks each one), the right state shows within two polling intervals of
 * recovery, and the history survives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { formatTps } from '../../src/components/format.js';
import { allItems, type ParsedFrame } from '../../src/reconciler/parse.js';
import { createLlamaSwapSimulator } from '../../src/system/simulator/index.js';
import { HTML_ERROR, METRICS_DISABLED, REAL_METRICS, startFaultServer, type Fault, type FaultModel, type FaultServer } from './helpers/fault-server.js';
import { childRow, runningModel, statusColor } from './helpers/frame-queries.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';

const WAIT = 25_000;
/**
 * "Within two polling intervals of recovery": each fault is lifted as soon as its error frame
 * shows, after at most three failed polls, when the backoff interval is at most 8 s.
 */
const RECOVERY_BOUND_MS = 2 * 8000 + 2000;
const M1: FaultModel = { id: 'model-one', name: 'Model One', state: 'ready' };

type Kit = {
  plugin(apiUrl: string, timeoutSecs?: number): PluginProcess;
  faultServer(models?: readonly FaultModel[]): Promise<FaultServer>;
  track(server: { close(): Promise<void> }): void;
};

/** Per-test cleanup (tests run concurrently, so each one owns its processes and servers). */
function kit(ctx: TestContext): Kit {
  const track = (server: { close(): Promise<void> }): void => ctx.onTestFinished(() => server.close());
  return {
    plugin(apiUrl, timeoutSecs = 0.5) {
      const p = startPluginProcess({ apiUrl, timeoutSecs });
      ctx.onTestFinished(() => p.dispose());
      return p;
    },
    async faultServer(models = [M1]) {
      const fs = await startFaultServer(models.map((m) => ({ ...m })));
      track(fs);
      return fs;
    },
    track,
  };
}

const healthy = (f: ParsedFrame): boolean => statusColor(f) === 'green' && runningModel(f, M1.name ?? '') !== undefined;
const red = (f: ParsedFrame): boolean => statusColor(f) === 'red';

/** Applies a fault until its frame shows, lifts it, and asserts recovery within the bound. */
async function faultAndRecover(fs: FaultServer, p: PluginProcess, prefix: string, fault: Fault, during: (f: ParsedFrame) => boolean, label: string): Promise<void> {
  fs.fault(prefix, fault);
  await p.waitForFrame(during, WAIT, label, p.frames.length);
  fs.fault(prefix, null);
  await p.waitForFrame(healthy, RECOVERY_BOUND_MS, `recovery from ${label}`, p.frames.length);
}

describe.concurrent('faults against the streaming plugin', () => {
  it('API down at start: red, then the right state within two intervals once it answers', async (ctx) => {
    const { plugin, faultServer } = kit(ctx);
    const fs = await faultServer();
    await fs.unlisten();
    const p = plugin(fs.url);
    await p.waitForFrame(red, WAIT, 'red while nothing listens');
    await fs.listen();
    await p.waitForFrame(healthy, RECOVERY_BOUND_MS, 'green once llama-swap answers', p.frames.length);
    expect(p.malformed).toEqual([]);
  }, 60_000);

  it('down mid-stream and back: red, then ready again with the earlier samples still in the charts and history.json', async (ctx) => {
    const { plugin, track } = kit(ctx);
    const sim = await createLlamaSwapSimulator({ port: 0, scenario: 'busy', loadMs: 200, performanceIntervalMs: null });
    track(sim);
    const p = plugin(sim.url, 1);
    const name = 'Qwen 2.5 Coder 7B';
    const generation = (f: ParsedFrame): string => childRow(runningModel(f, name), 'Generation:')?.title ?? '';
    // A recorded positive sample: the line's max also counts the live figure, so only a max above
    // the current figure proves the chart holds a positive sample of its own.
    const recorded = (f: ParsedFrame): boolean => {
      const m = /^Generation: ([\d.]+) t\/s · .* max ([\d.]+) t\/s/.exec(generation(f));
      return m !== null && Number(m[2]) > 0 && Number(m[1]) < Number(m[2]);
    };
    const before = await p.waitForFrame(recorded, WAIT, 'a generation chart with a recorded positive sample');
    const maxBefore = Number(/max ([\d.]+) t\/s/.exec(generation(before))?.[1]);
    const downAt = Date.now();
    sim.setScenario('down');
    await sim.settled();
    await p.waitForFrame(red, WAIT, 'red while llama-swap is down', p.frames.length);
    sim.setScenario('idle');
    await sim.settled();
    // The first frames after the outage may show the model before its rates have stats again.
    const after = await p.waitForFrame((f) => runningModel(f, name) !== undefined && statusColor(f) !== 'red' && /max [\d.]+ t\/s/.test(generation(f)), RECOVERY_BOUND_MS, 'the model back after the outage, with its rate stats', p.frames.length);
    const maxAfter = Number(/max ([\d.]+) t\/s/.exec(generation(after))?.[1]);
    expect(maxBefore).toBeGreaterThan(0);
    await p.stop();
    const history = JSON.parse(readFileSync(join(p.cacheDir, 'history.json'), 'utf8')) as { times: number[]; models: Record<string, { genTps: (number | null)[] }> };
    expect(history.times.some((t) => t < downAt)).toBe(true);
    // The window still holds the samples recorded before the outage: the max after it is at least
    // theirs (the live figure shown before may not have been sampled), as the menu rounds it
    // (0.1 below 100 t/s, whole numbers above).
    const gen = history.models['qwen2.5-coder-7b']?.genTps ?? [];
    const offset = history.times.length - gen.length; // series are aligned at their newest end
    const recordedBefore = history.times.flatMap((t, i) => (t < downAt ? [gen[i - offset] ?? null] : []));
    const maxRecordedBefore = Math.max(...recordedBefore.filter((v): v is number => v !== null));
    expect(maxAfter).toBeGreaterThanOrEqual(Number(formatTps(maxRecordedBefore).split(' ')[0]) - 0.05);
    expect(history.models['qwen2.5-coder-7b']?.genTps.some((v) => v !== null && v > 0)).toBe(true);
    expect(p.malformed).toEqual([]);
  }, 90_000);

  it('a request that never answers: the timeout holds, one request per endpoint at most, then recovery', async (ctx) => {
    const { plugin, faultServer } = kit(ctx);
    const fs = await faultServer();
    const p = plugin(fs.url);
    await p.waitForFrame(healthy, WAIT, 'green');
    // Metrics hang: the model stays shown, scrapes never pile up.
    fs.fault('/upstream/', { kind: 'hang' });
    const start = p.frames.length;
    // Events, not time: a scrape hangs, then three more /running polls pass while it does.
    await fs.waitFor(() => fs.inFlight('/upstream/') >= 1, WAIT, 'hanging metrics scrape');
    const polls = fs.count('/running');
    await fs.waitFor(() => fs.count('/running') >= polls + 3, WAIT, 'three more /running polls');
    expect(fs.maxInFlight('/upstream/')).toBe(1);
    await p.waitForFrame(healthy, WAIT, 'still green with metrics hanging', start);
    fs.fault('/upstream/', null);
    // /running hangs: red (not answering) within the timeout, and still one request at a time.
    fs.fault('/running', { kind: 'hang' });
    await p.waitForFrame(red, WAIT, 'red while /running never answers', p.frames.length);
    // One more try after the red frame (it ends by the client's timeout), never two at once. Only
    // one: every further failure doubles the backoff, and recovery is asserted within two intervals.
    const tries = fs.count('/running');
    await fs.waitFor(() => fs.count('/running') >= tries + 1, WAIT, 'one more /running try');
    expect(fs.maxInFlight('/running')).toBe(1);
    fs.fault('/running', null);
    await p.waitForFrame(healthy, RECOVERY_BOUND_MS, 'green after the hang', p.frames.length);
    expect(p.malformed).toEqual([]);
  }, 90_000);

  it('slow answers inside the timeout still show the right state, one request per endpoint at a time', async (ctx) => {
    const { plugin, faultServer } = kit(ctx);
    const fs = await faultServer();
    fs.fault('/', { kind: 'slow', ms: 700 });
    const p = plugin(fs.url, 2);
    const f = await p.waitForFrame(healthy, WAIT, 'green through slow answers');
    expect(runningModel(f, M1.name ?? '')?.title).toBe(`${M1.name ?? ''} — ready`);
    // Several more polls of each endpoint, each slow, before the peak is read.
    const seen = (path: string): number => fs.count(path);
    const start = { running: seen('/running'), metrics: seen(`/upstream/${M1.id}/metrics`) };
    await fs.waitFor(() => seen('/running') >= start.running + 3 && seen(`/upstream/${M1.id}/metrics`) >= start.metrics + 2, WAIT, 'more slow polls');
    for (const path of ['/running', '/v1/models', `/upstream/${M1.id}/metrics`]) expect(fs.maxInFlight(path), path).toBeLessThanOrEqual(1);
    expect(p.malformed).toEqual([]);
  }, 60_000);

  const bodyFaults: [string, Fault][] = [
    ['malformed JSON', { kind: 'reply', status: 200, body: '{"running": [{"model": "model-one", "state": ' }],
    ['a truncated body', { kind: 'truncated', body: '{"running": [{"model": "model-one", "state": "ready"' }],
    ['an HTML error page', { kind: 'reply', status: 502, body: HTML_ERROR, type: 'text/html' }],
    ['a 503', { kind: 'reply', status: 503, body: '{"error":"service unavailable"}' }],
    ['a 500 in plain text', { kind: 'reply', status: 500, body: 'internal error\n', type: 'text/plain' }],
  ];
  it.for(bodyFaults)('%s on /running: red, then recovery within two intervals', { timeout: 60_000 }, async ([label, fault], ctx) => {
    const { plugin, faultServer } = kit(ctx);
    const fs = await faultServer();
    const p = plugin(fs.url);
    await p.waitForFrame(healthy, WAIT, 'green');
    await faultAndRecover(fs, p, '/running', fault, red, label);
    expect(p.malformed).toEqual([]);
  });

  it('a metrics endpoint answering 501 says metrics are off; metrics that vanish keep the last figures', async (ctx) => {
    const { plugin, faultServer } = kit(ctx);
    const two: FaultModel = { id: 'no-metrics', name: 'No Metrics', state: 'ready' };
    const fs = await faultServer([M1, two]);
    fs.fault(`/upstream/${two.id}/metrics`, { kind: 'reply', status: 501, body: METRICS_DISABLED });
    fs.metrics.set(M1.id, REAL_METRICS);
    const p = plugin(fs.url);
    const shown = await p.waitForFrame((f) => childRow(runningModel(f, two.name ?? ''), 'metrics off') !== undefined && childRow(runningModel(f, M1.name ?? ''), 'Served:') !== undefined, WAIT, '501 note and figures');
    expect(statusColor(shown)).toBe('green');
    fs.fault(`/upstream/${M1.id}/metrics`, { kind: 'reply', status: 404, body: 'model not found' });
    const gone = await p.waitForFrame((f) => childRow(runningModel(f, M1.name ?? ''), 'metrics unavailable') !== undefined, WAIT, 'metrics unavailable note', p.frames.length);
    expect(statusColor(gone)).toBe('green');
    expect(childRow(runningModel(gone, M1.name ?? ''), 'Served:')?.title).toBe(childRow(runningModel(shown, M1.name ?? ''), 'Served:')?.title);
    expect(p.malformed).toEqual([]);
  }, 60_000);

  it('100 configured models: every one reachable from a well-formed frame', async (ctx) => {
    const { plugin, faultServer } = kit(ctx);
    const models = Array.from({ length: 100 }, (_, i) => ({ id: `model-${String(i).padStart(3, '0')}`, ...(i < 3 ? { state: 'ready' } : {}) }));
    const fs = await faultServer(models);
    const p = plugin(fs.url);
    // Items run the wrapper itself (bash=<wrapper>), so the action is param1 and the id param2.
    const f = await p.waitForFrame((fr) => allItems(fr).filter((i) => i.params.param1 === 'do_load_model').length === 97, WAIT, '97 idle models with a Load action');
    const ids = new Set(allItems(f).filter((i) => i.params.param1 === 'do_load_model' || i.params.param1 === 'do_unload_model').map((i) => i.params.param2));
    expect(ids.size).toBe(100);
    expect(p.malformed).toEqual([]);
  }, 60_000);

  it('SIGTERM: exits 0 promptly and leaves the history saved', async (ctx) => {
    const { plugin, faultServer } = kit(ctx);
    const fs = await faultServer();
    const p = plugin(fs.url);
    await p.waitForFrame(healthy, WAIT, 'green');
    await p.waitForFrame(() => true, WAIT, 'another frame', p.frames.length);
    expect(await p.stop(5000)).toEqual({ code: 0, signal: null });
    const history = JSON.parse(readFileSync(join(p.cacheDir, 'history.json'), 'utf8')) as { times: number[] };
    expect(history.times.length).toBeGreaterThan(0);
    expect(p.stderr()).toBe('');
  }, 60_000);

  it('a closed stdout (SwiftBar gone): exits 0 with nothing on stderr', async (ctx) => {
    const { plugin, faultServer } = kit(ctx);
    const fs = await faultServer();
    const p = plugin(fs.url);
    await p.waitForFrame(healthy, WAIT, 'green');
    p.child.stdout?.destroy();
    // The next frame write meets EPIPE; a model change makes one come soon.
    fs.models = [{ ...M1, state: 'starting' }];
    const timer = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
    const status = await p.exited;
    clearTimeout(timer);
    expect(status).toEqual({ code: 0, signal: null });
    expect(p.stderr()).toBe('');
  }, 60_000);
});
