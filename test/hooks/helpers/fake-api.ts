/** A controllable LlamaSwapApi that records calls and in-flight requests per endpoint. */
import type { LlamaSwapApi } from '../../../src/hooks/deps.js';
import type { ApiError, ConfiguredModel, HostStats, LlamaMetrics, Profiles, Result, RunningModel } from '../../../src/system/types.js';

export const running = (id: string, state: string, ttl = 0): RunningModel => ({ id, state, cmd: 'llama-server --metrics', proxy: 'http://127.0.0.1:5800', ttl, name: '', description: '' });

export class FakeApi implements LlamaSwapApi {
  runningResult: Result<readonly RunningModel[]> = { ok: true, value: [] };
  modelsResult: Result<readonly ConfiguredModel[]> = { ok: true, value: [] };
  metricsById = new Map<string, Result<LlamaMetrics>>();
  performanceResult: Result<HostStats> = { ok: false, error: { kind: 'http', message: '503', status: 503 } };
  /** llama-swap's request counts per model; undefined = an old version without the endpoint. */
  requestCountsById: Map<string, number> | undefined = undefined;
  /** Each call waits this long (real or fake setTimeout). */
  delayMs = 0;
  readonly calls: string[] = [];
  readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();

  down(kind: ApiError['kind'] = 'unreachable'): void {
    this.runningResult = { ok: false, error: { kind, message: `connection ${kind}` } };
  }

  count(endpoint: string): number {
    return this.calls.filter((c) => c === endpoint).length;
  }

  private async call<T>(endpoint: string, answer: () => Result<T>): Promise<Result<T>> {
    this.calls.push(endpoint);
    const n = (this.inFlight.get(endpoint) ?? 0) + 1;
    this.inFlight.set(endpoint, n);
    this.maxInFlight.set(endpoint, Math.max(n, this.maxInFlight.get(endpoint) ?? 0));
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      return answer();
    } finally {
      this.inFlight.set(endpoint, (this.inFlight.get(endpoint) ?? 1) - 1);
    }
  }

  running(): Promise<Result<readonly RunningModel[]>> {
    return this.call('running', () => this.runningResult);
  }
  models(): Promise<Result<readonly ConfiguredModel[]>> {
    return this.call('models', () => this.modelsResult);
  }
  profiles(): Promise<Result<Profiles>> {
    return this.call('profiles', () => ({ ok: false, error: { kind: 'not-supported', message: '404' } }));
  }
  metrics(id: string): Promise<Result<LlamaMetrics>> {
    return this.call(`metrics:${id}`, () => {
      const work = this.work.get(id);
      return work ? { ok: true, value: work.metrics() } : (this.metricsById.get(id) ?? { ok: true, value: { requestsProcessing: 0, requestsDeferred: 0 } });
    });
  }

  private readonly work = new Map<string, { metrics: () => LlamaMetrics; stop: () => void }>();

  /**
   * From now on `id` generates `tps` tokens per second (Date.now(), real or fake), reported as
   * llama.cpp 0c1e570 does: n_decode_total moves live, tokens_predicted_total only once stopped.
   */
  generate(id: string, tps: number, processing = 1, deferred = 0): void {
    const since = Date.now();
    let done = 0;
    const decoded = (): number => Math.floor((tps * (Date.now() - since)) / 1000);
    const base = { promptTokensTotal: 100, promptSecondsTotal: 0.1, busySlotsPerDecode: 1 };
    const counters = (): LlamaMetrics => ({ ...base, tokensPredictedTotal: done, tokensPredictedSecondsTotal: done / tps, nDecodeTotal: done + decoded() });
    this.work.set(id, {
      metrics: () => ({ ...counters(), requestsProcessing: processing, requestsDeferred: deferred }),
      stop: () => {
        done += decoded();
        const total = done;
        this.work.set(id, { metrics: () => ({ ...base, tokensPredictedTotal: total, tokensPredictedSecondsTotal: total / tps, nDecodeTotal: total, requestsProcessing: 0, requestsDeferred: 0 }), stop: () => undefined });
      },
    });
  }

  /** The work `generate` started ends: counters take its tokens, nothing processes. */
  finish(id: string): void {
    this.work.get(id)?.stop();
  }
  requestCounts(ids: readonly string[]): Promise<Result<ReadonlyMap<string, number>>> {
    return this.call('requestCounts', () => {
      const counts = this.requestCountsById;
      if (!counts) return { ok: false, error: { kind: 'not-supported', message: '404' } };
      return { ok: true, value: new Map(ids.map((id) => [id, counts.get(id) ?? 0])) };
    });
  }
  performance(): Promise<Result<HostStats>> {
    return this.call('performance', () => this.performanceResult);
  }
}
