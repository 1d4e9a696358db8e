import { createLlamaServerHandler, type LlamaServerHandler } from './llama-server/llama-server-stub.js';
import type { SimModelConfig } from './sim-config.js';

/** llama-swap's process states (`shutdown` is only used while llama-swap itself exits). */
export type ProcessState = 'stopped' | 'starting' | 'ready' | 'stopping' | 'shutdown';

export type ProcessTiming = {
  /** Default time in `starting`. */
  readonly loadMs: number;
  /** Time in `stopping` once in-flight requests drained. */
  readonly stopMs: number;
  /** Longest wait for in-flight requests before stopping anyway. */
  readonly drainMs: number;
};

/**
 * One simulated model process: llama-swap's state machine around an in-process llama-server
 * stand-in, with in-flight tracking and the `ttl` idle unload.
 */
export class SimModelProcess {
  state: ProcessState = 'stopped';
  handler: LlamaServerHandler | null = null;
  private inflight = 0;
  private starting: Promise<boolean> | null = null;
  private stopping: Promise<void> | null = null;
  private cancelStart: (() => void) | null = null;
  private ttlTimer: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly config: SimModelConfig,
    private readonly timing: ProcessTiming,
    private readonly onChange: (p: SimModelProcess) => void,
  ) {}

  /** Ready and not being stopped: a good target for new synthetic requests. */
  get accepting(): boolean {
    return this.state === 'ready' && this.stopping === null && this.handler !== null;
  }

  /** Why the last start failed (`failStart`), null after a successful one. */
  lastStartError: string | null = null;

  /** Requests currently passing through llama-swap to this process. */
  get inFlight(): number {
    return this.inflight;
  }

  /** Starts the process (no-op when starting/ready); resolves true once ready, false if stopped first. */
  start(loadMs?: number): Promise<boolean> {
    if (this.state === 'ready') return Promise.resolve(true);
    if (this.starting) return this.starting;
    const after = this.stopping ?? Promise.resolve();
    this.starting = after.then(() => new Promise<boolean>((resolve) => {
      this.setState('starting');
      const timer = this.later(loadMs ?? this.config.loadMs ?? this.timing.loadMs, () => {
        this.cancelStart = null;
        if (this.config.failStart !== undefined) {
          // Like a command that exits during start-up: back to stopped, the reason in the log.
          this.lastStartError = this.config.failStart;
          this.setState('stopped');
          resolve(false);
          return;
        }
        this.lastStartError = null;
        this.handler = createLlamaServerHandler({
          alias: this.config.id, metrics: this.config.metrics ?? true, slots: this.config.slots ?? 4,
          tps: this.config.tps ?? 40, nCtx: this.config.nCtx ?? 4096, loadMs: 0, metricsRoute: this.config.upstream !== 'openai',
        });
        this.setState('ready');
        this.touch();
        resolve(true);
      });
      this.cancelStart = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.cancelStart = null;
        resolve(false);
      };
    })).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /**
   * Stops the process like llama-swap: `stopping` at once, in-flight requests get a bounded
   * drain, then the server exits (`stopped`). Stopping a process that is starting aborts the start.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.state === 'stopped' && !this.starting) return Promise.resolve();
    this.stopping = new Promise<void>((resolve) => {
      if (this.cancelStart) this.cancelStart();
      const wasReady = this.state === 'ready';
      const drainUntil = Date.now() + this.timing.drainMs;
      this.setState('stopping');
      const finish = (): void => {
        this.handler?.close();
        this.handler = null;
        this.setState('stopped');
        resolve();
      };
      const waitDrain = (): void => {
        if (this.inflight > 0 && Date.now() < drainUntil) {
          this.later(25, waitDrain);
          return;
        }
        this.later(wasReady ? this.timing.stopMs : 0, finish);
      };
      waitDrain();
    }).finally(() => {
      this.stopping = null;
    });
    this.clearTtl();
    return this.stopping;
  }

  /** Marks a request entering this process (postpones the ttl unload). */
  begin(): void {
    this.inflight++;
    this.clearTtl();
  }

  /** Marks a request leaving; restarts the ttl countdown once idle. */
  end(): void {
    this.inflight = Math.max(0, this.inflight - 1);
    this.touch();
  }

  /** Stops every timer and the engine at once (simulator shutdown). */
  destroy(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.clearTtl();
    if (this.cancelStart) this.cancelStart();
    this.handler?.close();
    this.handler = null;
    this.state = 'shutdown';
  }

  private touch(): void {
    this.clearTtl();
    const ttl = this.config.ttl ?? 0;
    if (ttl > 0 && this.inflight === 0 && this.state === 'ready') {
      this.ttlTimer = setTimeout(() => {
        this.ttlTimer = null;
        if (this.inflight === 0 && this.state === 'ready') void this.stop();
      }, ttl * 1000);
    }
  }

  private clearTtl(): void {
    if (this.ttlTimer) clearTimeout(this.ttlTimer);
    this.ttlTimer = null;
  }

  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private setState(state: ProcessState): void {
    if (this.state === state || this.state === 'shutdown') return;
    this.state = state;
    this.onChange(this);
  }
}
