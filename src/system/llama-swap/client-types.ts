/** What the llama-swap client offers (llama-swap-client.ts builds it). */
import type { LiveEventHandlers, LiveEventStats } from './live-events.js';
import type { StreamHandle } from './http-stream.js';
import type { ActivityRow, ConfiguredModel, HostStats, InflightRequest, LlamaMetrics, ModelStats, Profiles, Result, RunningModel, SlotProgress } from '../types.js';

/** How far a load got while the client waited: answered (ready), or accepted and still loading. */
export type LoadAnswer = 'ready' | 'started';

/** Everything the plugin asks llama-swap; every method resolves, never rejects. */
export type LlamaSwapClient = {
  /** `GET /health`. */
  health(): Promise<Result<true>>;
  /** `GET /running`. */
  running(): Promise<Result<readonly RunningModel[]>>;
  /** `GET /v1/models`. */
  models(): Promise<Result<readonly ConfiguredModel[]>>;
  /** A plain `GET /upstream/<id>/metrics`: call it only for a `ready` model (it would load a stopped one). */
  metrics(modelId: string): Promise<Result<LlamaMetrics>>;
  /** `GET /upstream/<id>/slots` (same rule: ready models only); 501/404 → 'not-supported'. */
  slots(modelId: string): Promise<Result<readonly SlotProgress[]>>;
  /** `GET /api/performance`: the newest host sample; 503/404 → 'not-supported'. */
  performance(): Promise<Result<HostStats>>;
  /** `GET /api/profiles`. */
  profiles(): Promise<Result<Profiles>>;
  /** `PUT /api/profiles/active`; null clears the active profile. */
  setProfile(id: string | null): Promise<Result<void>>;
  /**
   * `POST /api/models/unload` (falls back to `GET /unload` on older versions). llama-swap answers
   * once every model has stopped; `timeoutMs` overrides the client's timeout for that wait.
   */
  unloadAll(timeoutMs?: number): Promise<Result<void>>;
  /** `POST /api/models/unload/<id>`, answered once the model has stopped (`timeoutMs` as above). */
  unloadModel(id: string, timeoutMs?: number): Promise<Result<void>>;
  /**
   * Loads a model (`GET /upstream/<id>/health`, answered once it is ready), waiting at most
   * `waitMs`: 'ready' when llama-swap answered, 'started' when it was still loading; see loadModel.
   */
  loadModel(id: string, waitMs?: number): Promise<Result<LoadAnswer>>;
  /**
   * Requests llama-swap recorded per model (`GET /api/metrics/activity?model=<id>&limit=1` → `total`,
   * one request per id): counts short requests the metrics gauges miss, but only rows llama-swap
   * still keeps (its activity store is pruned). 404 → 'not-supported' on versions without it.
   */
  requestCounts(modelIds: readonly string[]): Promise<Result<ReadonlyMap<string, number>>>;
  /** Subscribes to `GET /api/events` (server-sent events); close() ends it. */
  events(handlers: LiveEventHandlers, stats?: LiveEventStats): StreamHandle;
  /** The requests in flight now: the first `inflight` snapshot of a short-lived `/api/events` subscription. */
  inflight(): Promise<Result<readonly InflightRequest[]>>;
  /** `POST /api/inflight/<id>/cancel`; 404 → 'not-found' (it already finished). */
  cancelInflight(id: string): Promise<Result<void>>;
  /**
   * Finished requests from `GET /api/metrics/activity`, oldest first: with `afterId`, only rows
   * with a larger id (`min_id`, at most 999); without, the newest `RECENT_ACTIVITY_ROWS`.
   */
  activity(afterId: number | null): Promise<Result<readonly ActivityRow[]>>;
  /** `GET /api/metrics/stats?model=<id>`: llama-swap's totals and generation speed percentiles. */
  modelStats(id: string): Promise<Result<ModelStats>>;
  /** `GET /api/performance?after=<RFC 3339>`: the newest sample taken after `afterMs`, null when none. */
  performanceSince(afterMs: number): Promise<Result<HostStats | null>>;
  /** `GET /logs`: llama-swap's proxy log history as text. */
  logs(): Promise<Result<string>>;
  /** The proxy log's history from newer llama-swap's `/api/events/logs?stream=proxy`; 404 → 'not-supported' on older ones. */
  proxyLog(): Promise<Result<string>>;
};
