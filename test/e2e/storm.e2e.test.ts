/**
 * Event storms through the installed wrapper: a stand-in llama-swap streams 1,000 events a second
 * (new request ids that never end; or those with modelStatus flapping starting → stopped,
 * logData and activity in turn). The budgets are stated against events, never against a clock:
 * - keeping up: at each checkpoint the stand-in's count of requests sent is shown by a frame
 *   before it has sent two seconds' worth of events more (a frame at least every 2 s, and never
 *   further behind the stream than that);
 * - CPU: the plugin's CPU time between two such frames, divided by the time between them, ≤ 0.5;
 * - open files (/proc/<pid>/fd) and resident memory stay bounded at every checkpoint;
 * - follow-up requests counted by the stand-in: one `/logs` read open at most, and per
 *   checkpoint span at most one per READ_GAP_MS; `/running` at most one per EFFECTS_MS (plus one).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it, type TestContext } from 'vitest';
import { EFFECTS_MS } from '../../src/hooks/polling/events-source.js';
import { READ_GAP_MS } from '../../src/hooks/polling/start-reasons.js';
import { allItems } from '../../src/reconciler/parse.js';
import { startPluginProcess, type PluginProcess } from './helpers/plugin-process.js';
import { inflightShown, startStormServer, STORM_REASON, type StormKind, type StormServer } from './helpers/storm-server.js';

/** 1,000 events a second: two seconds' worth. */
const TWO_SECONDS_OF_EVENTS = 2000;
const MAX_CPU_SHARE = 0.5;
const MAX_OPEN_FDS = 64;
const MAX_RSS_MB = 200;
const CHECKPOINTS = 6;
/** Events sent between two checkpoints: the six span a dozen seconds of storm. */
const CHECKPOINT_EVERY = 2000;
/** Generous: the machine is shared and slow; the budgets above are what is asserted. */
const WAIT = 60_000;

type Sample = { readonly at: number; readonly cpuSec: number };

const CLK_TCK = 100;

/** utime + stime of a live process (Linux /proc), with the moment it was read. */
function sample(pid: number): Sample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { at: performance.now(), cpuSec: (Number(f[11]) + Number(f[12])) / CLK_TCK };
}

function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? Number.NaN) / 1024;
}

async function storm(ctx: TestContext, kinds: readonly StormKind[]): Promise<{ server: StormServer; p: PluginProcess }> {
  const server = await startStormServer({ kinds });
  ctx.onTestFinished(() => server.close());
  const p = startPluginProcess({ apiUrl: server.url, timeoutSecs: 1 });
  ctx.onTestFinished(() => p.dispose());
  return { server, p };
}

/**
 * Checkpoints: each takes the stand-in's count of requests sent and waits for a frame showing
 * it, asserting how far behind the stream the plugin was when that frame came, and its open
 * files and memory. Returns the CPU samples taken at the first and last checkpoint frames.
 */
async function keepsUp(server: StormServer, p: PluginProcess): Promise<{ first: Sample; last: Sample }> {
  let first: Sample | null = null;
  let last: Sample | null = null;
  for (let i = 0; i < CHECKPOINTS; i++) {
    // Checkpoints are spaced by events sent, not by time.
    const spaced = server.sent() + CHECKPOINT_EVERY;
    await server.waitFor(() => server.sent() >= spaced, WAIT, `${CHECKPOINT_EVERY} more events`);
    const target = server.upserts();
    const sentThen = server.sent();
    let lag = Number.NaN;
    await p.waitForFrame((_f, raw) => {
      if (inflightShown(raw) < target) return false;
      lag = server.sent() - sentThen;
      return true;
    }, WAIT, `the menu showing ${target} requests in flight (checkpoint ${i + 1})`);
    const now = sample(p.pid);
    first ??= now;
    last = now;
    expect(lag, `events sent before checkpoint ${i + 1} showed`).toBeLessThanOrEqual(TWO_SECONDS_OF_EVENTS);
    expect(openFds(p.pid), 'open files').toBeLessThanOrEqual(MAX_OPEN_FDS);
    expect(rssMb(p.pid), 'resident memory (MB)').toBeLessThanOrEqual(MAX_RSS_MB);
  }
  if (first === null || last === null) throw new Error('no checkpoint');
  return { first, last };
}

function cpuShare(a: Sample, b: Sample): number {
  return (b.cpuSec - a.cpuSec) / ((b.at - a.at) / 1000);
}

describe.runIf(process.platform === 'linux')('event storms at 1,000 events a second (installed wrapper)', () => {
  it('new request ids that never end: the menu keeps up, holds a bounded list, counts the rest, within half a core', async (ctx) => {
    const { server, p } = await storm(ctx, ['inflight']);
    await p.waitForFrame((_f, raw) => inflightShown(raw) > 1000, WAIT, 'over a thousand requests in flight');
    const { first, last } = await keepsUp(server, p);
    expect(cpuShare(first, last), 'CPU share between the first and last checkpoint frames').toBeLessThanOrEqual(MAX_CPU_SHARE);
    // The newest five are listed with Cancel; every other one is counted in "and N more".
    const frame = p.latest();
    if (frame === undefined) throw new Error('no frame');
    const shown = inflightShown(p.frames[p.frames.length - 1] ?? '');
    const more = allItems(frame).find((item) => /^and [\d,]+ more$/.test(item.title));
    expect(Number(more?.title.replace(/\D/g, ''))).toBe(shown - 5);
    expect(p.malformed).toEqual([]);
  }, 240_000);

  it('modelStatus flapping with logData, activity and new requests: one log read at a time and per interval, /running once per interval', async (ctx) => {
    const { server, p } = await storm(ctx, ['inflight', 'modelStatus', 'logData', 'activity']);
    // The failed start's reason, read from /logs, reaches the menu while the storm goes on.
    await p.waitForFrame((_f, raw) => raw.includes(STORM_REASON) && inflightShown(raw) > 0, WAIT, "the failing model's reason");
    const from = performance.now();
    const logs0 = server.count('/logs');
    const running0 = server.count('/running');
    const { first, last } = await keepsUp(server, p);
    const logs = server.count('/logs') - logs0;
    const running = server.count('/running') - running0;
    const spanMs = performance.now() - from;
    expect(cpuShare(first, last), 'CPU share between the first and last checkpoint frames').toBeLessThanOrEqual(MAX_CPU_SHARE);
    expect(server.maxInFlight('/logs'), '/logs reads open at once').toBeLessThanOrEqual(1);
    expect(server.maxInFlight('/running'), '/running fetches open at once').toBeLessThanOrEqual(1);
    // Hundreds of failed starts a second: one log read per READ_GAP_MS, one /running per EFFECTS_MS (one more at each end).
    expect(logs, `/logs reads in ${Math.round(spanMs)} ms`).toBeLessThanOrEqual(Math.ceil(spanMs / READ_GAP_MS) + 1);
    expect(running, `/running fetches in ${Math.round(spanMs)} ms`).toBeLessThanOrEqual(Math.ceil(spanMs / EFFECTS_MS) + 2);
    expect(p.malformed).toEqual([]);
  }, 240_000);
});
