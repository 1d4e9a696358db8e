import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlamaSwapSimulator, type LlamaSwapSimulator, type LlamaSwapSimulatorOptions } from '../../../src/system/simulator/llama-swap-sim.js';

const sims: LlamaSwapSimulator[] = [];
const FAST = { stuckLoadMs: 700, swapEveryMs: 250, busyTickMs: 40, maxConcurrency: 6 };
async function start(options: LlamaSwapSimulatorOptions = {}): Promise<LlamaSwapSimulator> {
  const sim = await createLlamaSwapSimulator({ port: 0, loadMs: 60, stopMs: 10, performanceIntervalMs: 100, timings: FAST, ...options });
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

const states = async (sim: LlamaSwapSimulator): Promise<string> => {
  const body = (await (await fetch(`${sim.url}/running`)).json()) as { running: { model: string; state: string }[] };
  return body.running.map((r) => `${r.model}:${r.state}`).join(',');
};

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

function gauge(text: string, name: string): number {
  return Number(text.split('\n').find((l) => l.startsWith(`llamacpp:${name} `))?.split(' ')[1]);
}

describe('simulator scenarios', () => {
  it('idle: one model loaded, no traffic', async () => {
    const sim = await start({ scenario: 'idle' });
    expect(await waitFor(() => states(sim), (s) => s.endsWith(':ready'))).toBe('qwen2.5-coder-7b:ready');
    const metrics = await (await fetch(`${sim.url}/upstream/qwen2.5-coder-7b/metrics`)).text();
    expect(gauge(metrics, 'requests_processing')).toBe(0);
  });

  it('busy: synthetic requests keep processing up, counters grow as they finish, GPU load rises', async () => {
    const sim = await start({ scenario: 'busy', models: [{ id: 'm', tps: 400, slots: 2, memMb: 5000 }] });
    const metrics = (): Promise<string> => fetch(`${sim.url}/upstream/m/metrics`).then((r) => r.text());
    expect(gauge(await waitFor(metrics, (t) => gauge(t, 'requests_processing') > 0), 'requests_processing')).toBeGreaterThan(0);
    expect(gauge(await waitFor(metrics, (t) => gauge(t, 'tokens_predicted_total') > 0), 'tokens_predicted_total')).toBeGreaterThan(0);
    const perf = await waitFor(
      () => fetch(`${sim.url}/api/performance`).then((r) => r.json() as Promise<{ gpu_stats: { gpu_util_pct: number }[] }>),
      (p) => (p.gpu_stats.at(-1)?.gpu_util_pct ?? 0) > 50,
    );
    expect(perf.gpu_stats.at(-1)?.gpu_util_pct).toBeGreaterThan(50);
  });

  it('loading: a model sits in starting for a while, then becomes ready', async () => {
    const sim = await start({ scenario: 'loading' });
    expect(await waitFor(() => states(sim), (s) => s !== '')).toBe('llama-3.2-3b-instruct:starting');
    expect(await waitFor(() => states(sim), (s) => s.endsWith(':ready'))).toBe('llama-3.2-3b-instruct:ready');
  });

  it('swapping: alternates between two models', async () => {
    const sim = await start({ scenario: 'swapping' });
    expect(await waitFor(() => states(sim), (s) => s === 'qwen2.5-coder-7b:ready')).toBe('qwen2.5-coder-7b:ready');
    expect(await waitFor(() => states(sim), (s) => s === 'llama-3.2-3b-instruct:ready')).toBe('llama-3.2-3b-instruct:ready');
  });

  it('down: connections are refused until the scenario changes', async () => {
    const sim = await start({ scenario: 'idle', passive: true });
    sim.setScenario('down');
    await sim.settled();
    await expect(fetch(`${sim.url}/health`)).rejects.toThrow();
    sim.setScenario('idle');
    await sim.settled();
    expect(await (await fetch(`${sim.url}/health`)).text()).toBe('OK');
  });

  it('flaky: of four requests one hangs, one fails with 500, two succeed', async () => {
    const sim = await start({ scenario: 'idle', passive: true });
    sim.setScenario('flaky');
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${sim.url}/running`, { signal: AbortSignal.timeout(1500) }).then((r) => String(r.status), () => 'hang');
      outcomes.push(res);
    }
    expect(outcomes).toEqual(['200', 'hang', '200', '500']);
  });

  it('garbage: malformed JSON, a truncated body and an HTML error page', async () => {
    const sim = await start({ scenario: 'idle', passive: true });
    sim.setScenario('garbage');
    const read = async (): Promise<string> => {
      let text: string;
      let res: Response;
      try {
        res = await fetch(`${sim.url}/running`);
        text = await res.text();
      } catch {
        return 'truncated';
      }
      try {
        JSON.parse(text);
        return 'json';
      } catch {
        return res.headers.get('content-type')?.includes('html') ? `html ${res.status}` : 'bad json';
      }
    };
    expect([await read(), await read(), await read()]).toEqual(['bad json', 'truncated', 'html 502']);
  });

  it('switches through the HTTP control endpoint and reports the scenario', async () => {
    const sim = await start({ passive: true });
    const res = await fetch(`${sim.url}/__sim/scenario/busy`, { method: 'POST' });
    expect(await res.json()).toEqual({ scenario: 'busy' });
    expect(sim.scenario()).toBe('busy');
    expect((await fetch(`${sim.url}/__sim/scenario/nonsense`, { method: 'POST' })).status).toBe(404);
    expect(sim.requestLog.some((r) => r.path.startsWith('/__sim'))).toBe(false);
  });

  it('cycle: rotates scenarios on its own', async () => {
    const sim = await start({ scenario: 'idle', cycle: 0.1, cycleScenarios: ['idle', 'busy'] });
    expect(await waitFor(async () => sim.scenario(), (s) => s === 'busy')).toBe('busy');
  });

  it('close() leaves nothing running: a process that used the busy simulator exits by itself', async () => {
    const module = fileURLToPath(new URL('../../../src/system/simulator/llama-swap-sim.ts', import.meta.url));
    const script = `
      import { createLlamaSwapSimulator } from ${JSON.stringify(module)};
      const sim = await createLlamaSwapSimulator({ port: 0, loadMs: 30, scenario: 'busy', cycle: 0.2, performanceIntervalMs: 50, timings: { busyTickMs: 20 } });
      await fetch(sim.url + '/upstream/coder/metrics');
      await fetch(sim.url + '/logs/stream', { signal: AbortSignal.timeout(50) }).catch(() => null);
      await new Promise((r) => setTimeout(r, 300));
      await sim.close();
      console.log('closed');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running');
      }, 10_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? -1);
      });
    });
    expect(out).toContain('closed');
    expect(code).toBe(0);
  });
});
