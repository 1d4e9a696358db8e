import type { JobHandle } from './llama-server/llama-engine.js';
import type { SimLive } from './sim-live.js';
import type { SimModelProcess } from './model-process.js';

/** Behaviours the simulator can switch between while it runs. */
/** `static` is `idle` with host figures that never move (benchmarks: a minute where nothing changes). */
export type ScenarioName = 'idle' | 'static' | 'busy' | 'loading' | 'swapping' | 'down' | 'flaky' | 'garbage';

export const SCENARIO_NAMES: readonly ScenarioName[] = ['idle', 'static', 'busy', 'loading', 'swapping', 'down', 'flaky', 'garbage'];

/** True for a known scenario name. */
export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(value);
}

/** Scenario timings; tests shorten them. */
export type ScenarioTimings = {
  /** How long the `loading` scenario keeps its model in `starting`. */
  readonly stuckLoadMs: number;
  /** Period of the `swapping` scenario. */
  readonly swapEveryMs: number;
  /** How often the load generator adjusts its concurrency. */
  readonly busyTickMs: number;
  /** Most concurrent synthetic requests. */
  readonly maxConcurrency: number;
};

export const DEFAULT_TIMINGS: ScenarioTimings = { stuckLoadMs: 8000, swapEveryMs: 6000, busyTickMs: 250, maxConcurrency: 6 };

/** What a scenario may do to the simulator. */
export type ScenarioHost = {
  /** Listed model ids, in configuration order. */
  readonly modelIds: readonly string[];
  processes(): readonly SimModelProcess[];
  /** Loads a model as a request would (evicting per group rules). */
  ensureLoaded(id: string, loadMs?: number): Promise<boolean>;
  unloadAll(): Promise<void>;
  setListening(on: boolean): Promise<void>;
  /** Publishes a synthetic request as llama-swap would (in flight, then activity); optional. */
  readonly live?: SimLive;
};

/**
 * Keeps between 1 and `max` synthetic requests running on the ready models, so gauges and
 * counters move. Bounded, and every request is cancelled on stop().
 */
export class LoadGenerator {
  private readonly handles = new Set<JobHandle>();
  private timer: NodeJS.Timeout | null = null;
  private target = 1;

  constructor(private readonly host: ScenarioHost, private readonly tickMs: number, private readonly min: number, private readonly max: number) {}

  /** Requests the generator has in flight. */
  get active(): number {
    return this.handles.size;
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const all = [...this.handles];
    this.handles.clear();
    for (const h of all) h.cancel();
  }

  private tick(): void {
    this.target = Math.max(this.min, Math.min(this.max, this.target + Math.round((Math.random() - 0.45) * 2)));
    const ready = this.host.processes().filter((p) => p.accepting);
    if (ready.length === 0) return;
    let guard = this.max;
    while (this.handles.size < this.target && guard-- > 0) {
      const proc = ready[Math.floor(Math.random() * ready.length)];
      const engine = proc?.handler?.engine;
      if (!proc || !engine) return;
      let done = false;
      proc.begin();
      const promptTokens = 20 + Math.floor(Math.random() * 600);
      let cancel = (): void => undefined;
      const tracked = this.host.live?.begin(proc.config.id, '/v1/chat/completions', 'POST', () => cancel());
      const handle: JobHandle = engine.submit({
        promptTokens, nPredict: 24 + Math.floor(Math.random() * 140), stream: true,
        onToken: (piece) => tracked?.addBytes(120 + piece.length),
        onEnd: (outcome) => {
          done = true;
          this.handles.delete(handle);
          proc.end();
          if (outcome.kind === 'done') {
            const t = outcome.timings;
            tracked?.finish(200, { cache_tokens: t.cache_n, draft_tokens: -1, draft_acc_tokens: -1, input_tokens: promptTokens, output_tokens: t.predicted_n, prompt_per_second: t.prompt_per_second, tokens_per_second: t.predicted_per_second }, 'text/event-stream');
          } else {
            tracked?.finish(outcome.kind === 'aborted' ? 499 : outcome.status, { cache_tokens: -1, draft_tokens: -1, draft_acc_tokens: -1, input_tokens: 0, output_tokens: 0, prompt_per_second: -1, tokens_per_second: -1 }, 'text/event-stream');
          }
        },
      });
      cancel = () => handle.cancel();
      if (!done) this.handles.add(handle);
    }
  }
}

/** Runs one scenario's background behaviour; `leave()` undoes it. */
export function enterScenario(name: ScenarioName, host: ScenarioHost, timings: ScenarioTimings): () => Promise<void> {
  const primary = host.modelIds[0];
  const secondary = host.modelIds[1] ?? primary;
  const timers: NodeJS.Timeout[] = [];
  let generator: LoadGenerator | null = null;
  let left = false;
  const generate = (min: number, max: number): void => {
    if (left) return;
    generator = new LoadGenerator(host, timings.busyTickMs, min, max);
    generator.start();
  };
  switch (name) {
    case 'idle':
    case 'static':
      if (primary) void host.ensureLoaded(primary);
      break;
    case 'busy':
      if (primary) void host.ensureLoaded(primary).then(() => generate(1, timings.maxConcurrency));
      break;
    case 'flaky':
    case 'garbage':
      if (primary) void host.ensureLoaded(primary).then(() => generate(1, 2));
      break;
    case 'loading':
      if (secondary) void host.unloadAll().then(() => (left ? undefined : host.ensureLoaded(secondary, timings.stuckLoadMs)));
      break;
    case 'swapping': {
      const pair = [primary, secondary].filter((id): id is string => id !== undefined);
      let turn = 0;
      const swap = (): void => {
        const id = pair[turn++ % pair.length];
        if (id && !left) void host.ensureLoaded(id);
      };
      swap();
      timers.push(setInterval(swap, timings.swapEveryMs));
      break;
    }
    case 'down':
      void host.setListening(false);
      break;
  }
  return async () => {
    left = true;
    for (const t of timers) clearInterval(t);
    (generator as LoadGenerator | null)?.stop();
    if (name === 'down') await host.setListening(true);
  };
}
