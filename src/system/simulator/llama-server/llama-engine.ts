import { ServerMetrics } from './llama-metrics.js';
import { chooseSlot, reusableTokens } from './slot-choice.js';
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
  /** Context per slot: a longer prompt is refused, a generation reaching it stops (truncated) like the real server's. */
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
  | { readonly kind: 'done'; readonly text: string; readonly slotId: number; readonly idTask: number; readonly timings: Timings; readonly stopType: 'limit'; readonly truncated: boolean }
  | { readonly kind: 'error'; readonly status: number; readonly message: string; readonly type: string; readonly extra?: Readonly<Record<string, number>> }
  | { readonly kind: 'aborted' };

/** Which completion endpoint shaped the request. */
export type CompletionFlavor = 'native' | 'text' | 'chat';

/** One generation request. */
export type GenerationJob = {
  /** Endpoint it came through (the params `/slots` shows); chat when absent. */
  readonly flavor?: CompletionFlavor;
  readonly promptTokens: number;
  /** Prompt text, for the slots' prompt cache; without it no token is reused. */
  readonly prompt?: string;
  readonly nPredict: number;
  readonly stream: boolean;
  /** A slot took the request (a deferred one waits for this; the real server sends stream headers then). */
  readonly onStart?: (slotId: number) => void;
  readonly onToken?: (piece: string) => void;
  readonly onEnd: (outcome: JobOutcome) => void;
};

export type JobHandle = { cancel(): void };

/** One request inside the engine (read-only outside it); times are `now()` milliseconds. */
export type EngineTask = {
  readonly idTask: number;
  readonly job: GenerationJob;
  readonly nextPiece: () => string;
  slotId: number;
  /** Prompt tokens reused from the slot's cache (n_prompt_cached). */
  cached: number;
  /** The slot took the request (stats.t_start). */
  startedAt: number;
  /** The prompt batch is decoded and the first token sampled (t_prompt_last). */
  promptDoneAt: number;
  promptCounted: boolean;
  /** Tokens sampled so far (n_gen). */
  decoded: number;
  /** When the latest token was sampled (t_gen_last). */
  lastTokenAt: number;
  text: string;
  truncated: boolean;
};

type Slot = {
  readonly id: number;
  task: EngineTask | null;
  /** The previous task (task_prev): `/slots` keeps showing its id and params after release. */
  last: EngineTask | null;
  lastUsed: number;
  /** Sequence the slot's KV cache holds (prompt.tokens): its length and its text. */
  nTokens: number;
  cachedText: string;
};

/** Snapshot of one slot for `/slots`. */
export type SlotView = {
  readonly id: number;
  readonly task: EngineTask | null;
  readonly last: EngineTask | null;
  readonly nCtx: number;
  readonly nTokens: number;
};

const TICK_MS = 25;
/** llama-server's default logical batch (`-b`): a longer prompt takes several decodes. */
const N_BATCH = 2048;

/**
 * A simulated llama-server: n slots with a prompt cache, a FIFO of deferred requests, token
 * generation at a fixed speed, and llama.cpp's metric semantics (server-context.cpp): prompt
 * counters move when a prompt batch is decoded, n_decode per decode, generation counters only when
 * a slot releases its request, and the rate gauges cover the time since the previous scrape.
 */
export class LlamaEngine {
  readonly alias: string;
  readonly modelPath: string;
  readonly nSlots: number;
  readonly nCtx: number;
  readonly metricsEnabled: boolean;
  readonly tps: number;
  /** Monotonic microseconds at start, sent as `Process-Start-Time-Unix` (the real server does the same). */
  readonly startUs: number;
  private readonly promptTps: number;
  private readonly now: () => number;
  private readonly slots: Slot[];
  private readonly queue: EngineTask[] = [];
  private readonly metrics = new ServerMetrics();
  private timer: NodeJS.Timeout | null = null;
  private nextTaskId = 0;
  private closed = false;

  constructor(options: EngineOptions) {
    this.alias = options.alias;
    this.modelPath = options.modelPath ?? `models/${options.alias}.gguf`;
    this.nSlots = Math.max(1, options.slots ?? 4);
    this.nCtx = options.nCtx ?? 4096;
    this.metricsEnabled = options.metrics ?? true;
    this.tps = Math.max(0.1, options.tps ?? 40);
    this.promptTps = Math.max(1, options.promptTps ?? 600);
    this.now = options.now ?? Date.now;
    this.startUs = Math.round(performance.now() * 1000);
    this.slots = Array.from({ length: this.nSlots }, (_, id) => ({ id, task: null, last: null, lastUsed: -1, nTokens: 0, cachedText: '' }));
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
    const idTask = this.takeTaskId();
    const task: EngineTask = {
      idTask, job, nextPiece: makeTokenSource(idTask), slotId: -1, cached: 0, startedAt: 0, promptDoneAt: 0,
      promptCounted: false, decoded: 0, lastTokenAt: 0, text: '', truncated: false,
    };
    this.queue.push(task);
    this.schedule();
    return { cancel: () => this.cancel(task) };
  }

  /** `/slots`: like every request the server answers through its task queue, it takes a task id. */
  readSlots(): readonly SlotView[] {
    this.takeTaskId();
    return this.slots.map((s) => ({ id: s.id, task: s.task, last: s.last, nCtx: this.nCtx, nTokens: s.nTokens }));
  }

  /** `/metrics`: the Prometheus text; it takes a task id and starts a new rate window. */
  scrapeMetrics(): string {
    this.takeTaskId();
    return this.metrics.scrape({ processing: this.processing, deferred: this.deferred });
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

  private takeTaskId(): number {
    return this.nextTaskId++;
  }

  private cancel(task: EngineTask): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.task === task);
    // A cancelled request is released like a finished one: its tokens still reach the counters.
    if (slot) this.release(slot, task, this.now());
    if (queued >= 0 || slot) {
      task.job.onEnd({ kind: 'aborted' });
      this.schedule();
    }
  }

  private schedule(): void {
    const now = this.now();
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (!head) break;
      const candidates = this.slots.map((s) => ({ busy: s.task !== null, cachedText: s.cachedText, lastUsed: s.lastUsed }));
      const index = chooseSlot(candidates, head.job.prompt ?? '', head.job.promptTokens);
      const slot = this.slots[index];
      if (!slot) break;
      this.queue.shift();
      this.launch(slot, head, now);
    }
    const busy = this.processing > 0;
    if (busy && !this.timer && !this.closed) this.timer = setInterval(() => this.tick(), TICK_MS);
    if (!busy && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private launch(slot: Slot, task: EngineTask, now: number): void {
    const p = task.job.promptTokens;
    task.slotId = slot.id;
    task.startedAt = now;
    if (p >= this.nCtx) {
      // Refused before any cache reuse; the slot still shows it as its previous task.
      slot.last = task;
      slot.lastUsed = now;
      task.job.onEnd({
        kind: 'error', status: 400, type: 'exceed_context_size_error',
        message: `request (${p} tokens) exceeds the available context size (${this.nCtx} tokens), try increasing it`,
        extra: { n_prompt_tokens: p, n_ctx: this.nCtx },
      });
      return;
    }
    task.cached = reusableTokens(slot.cachedText, task.job.prompt ?? '', p);
    this.metrics.addPromptCached(task.cached);
    task.promptDoneAt = now + ((p - task.cached) / this.promptTps) * 1000;
    slot.task = task;
    slot.nTokens = p;
    task.job.onStart?.(slot.id);
  }

  private tick(): void {
    const now = this.now();
    const busy = this.processing;
    let decodes = 0;
    let longest = 0;
    for (const slot of this.slots) {
      const task = slot.task;
      if (!task || now < task.promptDoneAt) continue;
      let own = 0;
      if (!task.promptCounted) {
        task.promptCounted = true;
        const evaluated = task.job.promptTokens - task.cached;
        this.metrics.addPrompt(evaluated, (task.promptDoneAt - task.startedAt) * 1000);
        own += Math.max(1, Math.ceil(evaluated / N_BATCH));
        this.sample(task); // the first token comes from the prompt batch's logits
      }
      // Token k is sampled (k - 1) decode steps after the first one.
      const due = Math.min(task.job.nPredict, 1 + Math.floor(((now - task.promptDoneAt) / 1000) * this.tps));
      while (!task.truncated && task.decoded < due) {
        own += 1;
        this.sample(task);
      }
      decodes = Math.max(decodes, own);
      slot.nTokens = task.job.promptTokens + task.decoded;
      longest = Math.max(longest, task.job.promptTokens + task.decoded - 1);
      if (task.truncated || task.decoded >= task.job.nPredict) this.finish(slot, task, now);
    }
    for (let i = 0; i < decodes; i++) this.metrics.addDecode(busy, longest);
    // Each pass of the server loop while slots are busy posts a task and takes an id.
    this.nextTaskId += decodes;
    this.schedule();
  }

  /** Samples one token; generation stops once the sequence fills the slot's context (no context shift). */
  private sample(task: EngineTask): void {
    const piece = task.nextPiece();
    task.lastTokenAt = task.promptDoneAt + (task.decoded * 1000) / this.tps;
    task.text += piece;
    task.decoded += 1;
    task.job.onToken?.(piece);
    if (task.job.promptTokens + task.decoded >= this.nCtx && task.decoded < task.job.nPredict) task.truncated = true;
  }

  /** slot.release(): generation stats flushed to the metrics, the stats reset, the sequence kept as cache. */
  private release(slot: Slot, task: EngineTask, now: number): void {
    if (task.decoded > 0) this.metrics.addPrediction(task.decoded, genUs(task));
    slot.task = null;
    slot.last = task;
    slot.lastUsed = now;
    slot.nTokens = task.promptCounted ? task.job.promptTokens + Math.max(0, task.decoded - 1) : task.cached;
    slot.cachedText = task.promptCounted ? (task.job.prompt ?? '') + task.text : '';
  }

  private finish(slot: Slot, task: EngineTask, now: number): void {
    this.release(slot, task, now);
    task.job.onEnd({ kind: 'done', text: task.text, slotId: slot.id, idTask: task.idTask, stopType: 'limit', truncated: task.truncated, timings: timingsOf(task) });
  }
}

/** Generation time: from the first token to the latest, at least 1 µs (server_slot_stats::t_gen_us). */
function genUs(task: EngineTask): number {
  return task.decoded > 0 ? Math.max(1, (task.lastTokenAt - task.promptDoneAt) * 1000) : 0;
}

/** The response's `timings` (server_slot_stats::to_json): generation rates count decode steps, n - 1. */
export function timingsOf(task: EngineTask): Timings {
  const p = task.job.promptTokens - task.cached;
  const promptMs = task.promptDoneAt - task.startedAt;
  const n = task.decoded;
  const steps = Math.max(0, n - 1);
  const genMs = genUs(task) / 1000;
  return {
    cache_n: task.cached, prompt_n: p, prompt_ms: promptMs, prompt_per_token_ms: p > 0 ? promptMs / p : 0,
    prompt_per_second: promptMs > 0 ? (1e3 / promptMs) * p : 0, predicted_n: n, predicted_ms: genMs,
    predicted_per_token_ms: steps > 0 ? genMs / steps : 0, predicted_per_second: genMs > 0 ? (1e3 / genMs) * steps : 0,
  };
}
