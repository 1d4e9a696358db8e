import { renderPrometheus, type MetricSeries } from './prometheus-text.js';
import { makeTokenSource } from './token-text.js';

/** Settings of one simulated llama-server. */
export type EngineOptions = {
  readonly alias: string;
  readonly modelPath?: string;
  /** Parallel slots (`--parallel`); llama-server's default is 4. */
  readonly slots?: number;
  /** Generated tokens per second per slot. */
  readonly tps?: number;
  /** Prompt tokens processed per second. */
  readonly promptTps?: number;
  /** Context per slot; a request whose prompt + n_predict exceeds it fails like the real server. */
  readonly nCtx?: number;
  readonly metrics?: boolean;
  readonly now?: () => number;
};

/** Timings block as llama-server reports it in responses. */
export type Timings = {
  readonly cache_n: number;
  readonly prompt_n: number;
  readonly prompt_ms: number;
  readonly prompt_per_token_ms: number;
  readonly prompt_per_second: number;
  readonly predicted_n: number;
  readonly predicted_ms: number;
  readonly predicted_per_token_ms: number;
  readonly predicted_per_second: number;
};

export type JobOutcome =
  | { readonly kind: 'done'; readonly text: string; readonly slotId: number; readonly idTask: number; readonly timings: Timings; readonly stopType: 'limit' }
  | { readonly kind: 'error'; readonly status: number; readonly message: string; readonly type: string }
  | { readonly kind: 'aborted' };

/** One generation request. */
export type GenerationJob = {
  readonly promptTokens: number;
  readonly nPredict: number;
  readonly stream: boolean;
  readonly onToken?: (piece: string) => void;
  readonly onEnd: (outcome: JobOutcome) => void;
};

export type JobHandle = { cancel(): void };

/** One request inside the engine (read-only outside it). */
export type EngineTask = {
  readonly idTask: number;
  readonly job: GenerationJob;
  readonly nextPiece: () => string;
  slotId: number;
  startedAt: number;
  promptDoneAt: number;
  promptCounted: boolean;
  decoded: number;
  text: string;
};

type Slot = { readonly id: number; task: EngineTask | null; last: EngineTask | null };

/** Snapshot of one slot for `/slots`. */
export type SlotView = { readonly id: number; readonly task: EngineTask | null; readonly last: EngineTask | null; readonly nCtx: number };

const TICK_MS = 25;

/**
 * A simulated llama-server: n slots, a FIFO of deferred requests, token generation at a fixed
 * speed, and llama.cpp's metric semantics (token counters move only when a request finishes,
 * prompt counters when its prompt is processed, gauges and n_decode live).
 */
export class LlamaEngine {
  readonly alias: string;
  readonly modelPath: string;
  readonly nSlots: number;
  readonly nCtx: number;
  readonly metricsEnabled: boolean;
  readonly tps: number;
  private readonly promptTps: number;
  private readonly now: () => number;
  private readonly slots: Slot[];
  private readonly queue: EngineTask[] = [];
  private timer: NodeJS.Timeout | null = null;
  private nextTaskId = 0;
  private closed = false;
  private promptTokensTotal = 0;
  private promptSecondsTotal = 0;
  private tokensPredictedTotal = 0;
  private tokensPredictedSecondsTotal = 0;
  private nDecodeTotal = 0;
  private nTokensMax = 0;
  private busySlotSum = 0;

  constructor(options: EngineOptions) {
    this.alias = options.alias;
    this.modelPath = options.modelPath ?? `models/${options.alias}.gguf`;
    this.nSlots = Math.max(1, options.slots ?? 4);
    this.nCtx = options.nCtx ?? 4096;
    this.metricsEnabled = options.metrics ?? true;
    this.tps = Math.max(0.1, options.tps ?? 40);
    this.promptTps = Math.max(1, options.promptTps ?? 600);
    this.now = options.now ?? Date.now;
    this.slots = Array.from({ length: this.nSlots }, (_, id) => ({ id, task: null, last: null }));
  }

  /** Requests occupying a slot now. */
  get processing(): number {
    return this.slots.filter((s) => s.task !== null).length;
  }

  /** Requests waiting for a free slot. */
  get deferred(): number {
    return this.queue.length;
  }

  /** Starts a request now or defers it until a slot frees up. */
  submit(job: GenerationJob): JobHandle {
    if (this.closed) {
      job.onEnd({ kind: 'aborted' });
      return { cancel: () => undefined };
    }
    const idTask = this.nextTaskId++;
    const task: EngineTask = {
      idTask, job, nextPiece: makeTokenSource(idTask), slotId: -1, startedAt: 0, promptDoneAt: 0,
      promptCounted: false, decoded: 0, text: '',
    };
    this.queue.push(task);
    this.schedule();
    return { cancel: () => this.cancel(task) };
  }

  /** Slot views for `/slots`. */
  slotViews(): readonly SlotView[] {
    return this.slots.map((s) => ({ id: s.id, task: s.task, last: s.last, nCtx: this.nCtx }));
  }

  /** The `/metrics` body (Prometheus text, b9694 series and order). */
  metricsText(): string {
    const series: MetricSeries[] = [
      { name: 'prompt_tokens_total', help: 'Number of prompt tokens processed.', type: 'counter', value: this.promptTokensTotal },
      { name: 'prompt_seconds_total', help: 'Prompt process time', type: 'counter', value: this.promptSecondsTotal },
      { name: 'tokens_predicted_total', help: 'Number of generation tokens processed.', type: 'counter', value: this.tokensPredictedTotal },
      { name: 'tokens_predicted_seconds_total', help: 'Predict process time', type: 'counter', value: this.tokensPredictedSecondsTotal },
      { name: 'n_decode_total', help: 'Total number of llama_decode() calls', type: 'counter', value: this.nDecodeTotal },
      { name: 'n_tokens_max', help: 'Largest observed n_tokens.', type: 'counter', value: this.nTokensMax },
      { name: 'prompt_tokens_seconds', help: 'Average prompt throughput in tokens/s.', type: 'gauge', value: ratio(this.promptTokensTotal, this.promptSecondsTotal) },
      { name: 'predicted_tokens_seconds', help: 'Average generation throughput in tokens/s.', type: 'gauge', value: ratio(this.tokensPredictedTotal, this.tokensPredictedSecondsTotal) },
      { name: 'requests_processing', help: 'Number of requests processing.', type: 'gauge', value: this.processing },
      { name: 'requests_deferred', help: 'Number of requests deferred.', type: 'gauge', value: this.deferred },
      { name: 'n_busy_slots_per_decode', help: 'Average number of busy slots per llama_decode() call', type: 'gauge', value: ratio(this.busySlotSum, this.nDecodeTotal) },
    ];
    return renderPrometheus(series);
  }

  /** Aborts every request and stops the timer; the engine accepts nothing afterwards. */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const pending = [...this.queue, ...this.slots.flatMap((s) => (s.task ? [s.task] : []))];
    this.queue.length = 0;
    for (const slot of this.slots) slot.task = null;
    for (const task of pending) task.job.onEnd({ kind: 'aborted' });
  }

  private cancel(task: EngineTask): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.task === task);
    if (slot) {
      slot.task = null;
      slot.last = task;
    }
    if (queued >= 0 || slot) {
      task.job.onEnd({ kind: 'aborted' });
      this.schedule();
    }
  }

  private schedule(): void {
    const now = this.now();
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift();
      if (!task) break;
      task.slotId = slot.id;
      task.startedAt = now;
      task.promptDoneAt = now + (task.job.promptTokens / this.promptTps) * 1000;
      slot.task = task;
    }
    const busy = this.processing > 0;
    if (busy && !this.timer && !this.closed) this.timer = setInterval(() => this.tick(), TICK_MS);
    if (!busy && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private tick(): void {
    const now = this.now();
    let batchTokens = 0;
    let maxStep = 0;
    const busy = this.processing;
    for (const slot of this.slots) {
      const task = slot.task;
      if (!task) continue;
      if (now < task.promptDoneAt) continue;
      if (!task.promptCounted) {
        task.promptCounted = true;
        this.promptTokensTotal += task.job.promptTokens;
        this.promptSecondsTotal += (task.promptDoneAt - task.startedAt) / 1000;
        batchTokens += task.job.promptTokens;
      }
      const target = Math.min(task.job.nPredict, Math.floor(((now - task.promptDoneAt) / 1000) * this.tps));
      const step = Math.max(0, target - task.decoded);
      for (let i = 0; i < step; i++) {
        const piece = task.nextPiece();
        task.text += piece;
        task.decoded += 1;
        task.job.onToken?.(piece);
        if (task.job.promptTokens + task.decoded >= this.nCtx && task.decoded < task.job.nPredict) {
          this.fail(slot, task);
          break;
        }
      }
      batchTokens += step;
      maxStep = Math.max(maxStep, step);
      if (slot.task === task && task.decoded >= task.job.nPredict) this.finish(slot, task, now);
    }
    this.nDecodeTotal += maxStep;
    this.busySlotSum += maxStep * busy;
    this.nTokensMax = Math.max(this.nTokensMax, batchTokens);
    this.schedule();
  }

  private finish(slot: Slot, task: EngineTask, now: number): void {
    slot.task = null;
    slot.last = task;
    const promptMs = task.promptDoneAt - task.startedAt;
    const predictedMs = Math.max(1, now - task.promptDoneAt);
    this.tokensPredictedTotal += task.decoded;
    this.tokensPredictedSecondsTotal += predictedMs / 1000;
    const p = task.job.promptTokens;
    const n = task.decoded;
    task.job.onEnd({
      kind: 'done', text: task.text, slotId: slot.id, idTask: task.idTask, stopType: 'limit',
      timings: {
        cache_n: 0, prompt_n: p, prompt_ms: promptMs, prompt_per_token_ms: p ? promptMs / p : 0,
        prompt_per_second: promptMs ? (p * 1000) / promptMs : 0, predicted_n: n, predicted_ms: predictedMs,
        predicted_per_token_ms: n ? predictedMs / n : 0, predicted_per_second: (n * 1000) / predictedMs,
      },
    });
  }

  private fail(slot: Slot, task: EngineTask): void {
    slot.task = null;
    slot.last = task;
    task.job.onEnd({ kind: 'error', status: 500, message: 'Context size has been exceeded.', type: 'server_error' });
  }
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}
