import { renderPrometheus, type MetricSeries } from './prometheus-text.js';

/** Tokens, decode steps and microseconds, like llama.cpp's `server_metrics::bucket`. */
type Bucket = { count: number; steps: number; timeUs: number };

const emptyBucket = (): Bucket => ({ count: 0, steps: 0, timeUs: 0 });

/** Steps per second; the generation rate leaves out each request's first token (it comes from the prompt batch). */
function perSecond(b: Bucket): number {
  return b.timeUs > 0 ? (b.steps / b.timeUs) * 1e6 : 0;
}

/** Live figures the server reads from its queue and slots at scrape time. */
export type ScrapeState = { readonly processing: number; readonly deferred: number };

/**
 * llama-server's global metrics (server-common.h `server_metrics`): lifetime counters plus two
 * buckets that only cover the time since the previous `/metrics` scrape, which resets them.
 */
export class ServerMetrics {
  private prompt = emptyBucket();
  private predict = emptyBucket();
  private promptWindow = emptyBucket();
  private predictWindow = emptyBucket();
  private promptCached = 0;
  private tokensMax = 0;
  private decodes = 0;
  private busySlots = 0;

  /** A prompt batch finished: `n` tokens evaluated (cached ones excluded) in `us`. */
  addPrompt(n: number, us: number): void {
    for (const b of [this.prompt, this.promptWindow]) {
      b.count += n;
      b.steps += n;
      b.timeUs += us;
    }
  }

  /** Tokens reused from a slot's cache when its request started. */
  addPromptCached(n: number): void {
    this.promptCached += n;
  }

  /** One llama_decode() with `busy` slots processing and the longest sequence at `nTokens`. */
  addDecode(busy: number, nTokens: number): void {
    this.decodes += 1;
    this.busySlots += busy;
    this.tokensMax = Math.max(this.tokensMax, nTokens);
  }

  /** A slot released a request that generated `n` tokens over `us` (metrics_on_prediction). */
  addPrediction(n: number, us: number): void {
    for (const b of [this.predict, this.predictWindow]) {
      b.count += n;
      b.steps += Math.max(0, n - 1);
      b.timeUs += us;
    }
  }

  get nDecode(): number {
    return this.decodes;
  }

  /** Renders the Prometheus text and starts a new rate window, as every real scrape does. */
  scrape(state: ScrapeState): string {
    const counter = (name: string, help: string, value: number): MetricSeries => ({ name, help, type: 'counter', value });
    const gauge = (name: string, help: string, value: number): MetricSeries => ({ name, help, type: 'gauge', value });
    const text = renderPrometheus([
      counter('prompt_tokens_total', 'Number of prompt tokens processed, excluding cached tokens', this.prompt.count),
      counter('prompt_tokens_cached_total', 'Number of prompt tokens reused from the cache', this.promptCached),
      counter('prompt_seconds_total', 'Total time spent processing prompts', this.prompt.timeUs / 1e6),
      counter('tokens_predicted_total', 'Number of generation tokens processed', this.predict.count),
      counter('tokens_predicted_seconds_total', 'Total time spent generating tokens', this.predict.timeUs / 1e6),
      counter('n_decode_total', 'Total number of llama_decode() calls, excluding speculative decoding and multimodal decoding', this.decodes),
      counter('n_tokens_max', 'Largest observed sequence length (prompt + generation)', this.tokensMax),
      counter('spec_decode_num_draft_tokens_total', 'Speculative: Total draft tokens generated', 0),
      counter('spec_decode_num_accepted_tokens_total', 'Speculative: Total draft tokens accepted by the target model', 0),
      counter('spec_decode_num_drafts_total', 'Speculative: Total speculative decoding verification steps', 0),
      gauge('prompt_tokens_seconds', 'Average prompt throughput in tokens/s', perSecond(this.promptWindow)),
      gauge('predicted_tokens_seconds', 'Average generation throughput in tokens/s', perSecond(this.predictWindow)),
      gauge('requests_processing', 'Number of requests processing', state.processing),
      gauge('requests_deferred', 'Number of requests deferred', state.deferred),
      gauge('n_busy_slots_per_decode', 'Average number of busy slots per llama_decode() call', this.busySlots / Math.max(this.decodes, 1)),
    ]);
    this.promptWindow = emptyBucket();
    this.predictWindow = emptyBucket();
    return text;
  }
}
