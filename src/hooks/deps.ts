/**
 * What the hooks need from the world, as narrow structural types: the composition root
 * (main.tsx) passes the real system adapters, tests pass fakes or point them at the simulator.
 */
import type { LiveEventHandlers, LiveEventStats } from '../system/llama-swap/live-events.js';
import type {
  ActionInvoker,
  ActivityRow,
  ModelStats,
  Clock,
  ConfigWarning,
  ConfiguredModel,
  HostStats,
  LlamaMetrics,
  SlotProgress,
  PluginConfig,
  Profiles,
  Result,
  RunningModel,
  ServiceView,
} from '../system/types.js';
import type { DebugLog } from '../system/debug-log.js';
import type { Notification } from '../system/swiftbar/notify.js';
import type { RateTracker } from '../system/llama-swap/metrics-rates.js';
import type { PollTimings } from './polling/adaptive-interval.js';
import type { ProcessView } from './model/menu-input.js';

/** The part of H3's LlamaSwapClient the hooks call (all never throw). */
export type LlamaSwapApi = {
  running(): Promise<Result<readonly RunningModel[]>>;
  models(): Promise<Result<readonly ConfiguredModel[]>>;
  profiles(): Promise<Result<Profiles>>;
  /** `/upstream/<id>/metrics`: only ever called for a model whose latest state is `ready`. */
  metrics(id: string): Promise<Result<LlamaMetrics>>;
  /** `/upstream/<id>/slots`, read around /metrics while a model works (live generation rate); optional. */
  slots?(id: string): Promise<Result<readonly SlotProgress[]>>;
  /** `/api/performance` as HostStats (source `llama-swap`). */
  performance(): Promise<Result<HostStats>>;
  /** Requests llama-swap recorded per model (`/api/metrics/activity`, not proxied); optional. */
  requestCounts?(ids: readonly string[]): Promise<Result<ReadonlyMap<string, number>>>;
  /** `/api/events` (optional: without it the menu polls as before). */
  events?(handlers: LiveEventHandlers, stats?: LiveEventStats): { close(): void };
  /** Finished requests after `afterId` (`/api/metrics/activity`), oldest first. */
  activity?(afterId: number | null): Promise<Result<readonly ActivityRow[]>>;
  /** llama-swap's own totals and percentiles for one model (`/api/metrics/stats?model=`). */
  modelStats?(id: string): Promise<Result<ModelStats>>;
  /** `/api/performance?after=`: the newest sample after `afterMs`, null when none is newer. */
  performanceSince?(afterMs: number): Promise<Result<HostStats | null>>;
  /** `GET /health`: the cheapest answer, asked when the event stream falls silent (a hung llama-swap answers nothing). */
  health?(): Promise<Result<true>>;
  /** llama-swap's proxy log (`/logs`), read when a model fails to start. */
  logs?(): Promise<Result<string>>;
  /** The proxy log through newer llama-swap's `/api/events/logs?stream=proxy`, where `/logs` lacks the reason. */
  proxyLog?(): Promise<Result<string>>;
};

/** Rates from consecutive counter scrapes: src/system/llama-swap/metrics-rates.ts `trackRates`. */
export type { RateTracker } from '../system/llama-swap/metrics-rates.js';

/** The last menu action as written to `<cacheDir>/last-action.json`. */
export type LastActionRecord = {
  /** The action's name and arguments (notifications say nothing about what the user just did). */
  readonly action?: string;
  readonly args?: readonly string[];
  readonly ok: boolean;
  readonly message: string;
  readonly at: number;
  /** Set while the action still waits on llama-swap: shown until then (or the next record). */
  readonly pendingUntil?: number;
  /** A signal only (Refresh): refresh at once, show nothing. */
  readonly quiet?: boolean;
};

/** Where in-process action records are heard; `provisional` marks the click's own progress note. */
export type ActionRecordFeed = {
  subscribe(listener: (rec: LastActionRecord, provisional: boolean) => void): () => void;
};

/** Delays of everything the hooks poll; tests shrink them. */
export type HookTimings = PollTimings & {
  /** Configured models and profiles (they change only with the config). @default 10000 */
  readonly slowMs: number;
  /** Local host figures when llama-swap's /api/performance is unavailable. @default 3000 */
  readonly hostMs: number;
  /** Per-process CPU/RSS of llama-swap and the models, read from their known pids (known-processes.ts). @default 15000 */
  readonly processMs: number;
  /** Local GPU list refresh, only while /api/performance is unavailable. @default 60000 */
  readonly gpuMs: number;
  /** Service layers (launchctl calls). @default 10000 */
  readonly serviceMs: number;
  /** Fallback polling of last-action.json when fs.watch is unavailable. @default 1000 */
  readonly actionPollMs: number;
  /** How long a last-action message stays in the menu. @default 10000 */
  readonly actionShowMs: number;
  /** Minimum pause between two history file writes. @default 20000 */
  readonly historySaveMs: number;
  /**
   * While idle (nothing loading, processing or queued) the history keeps one sample per this
   * many ms instead of one per poll, so charts move less often; while busy, one per poll. @default 10000
   */
  readonly historyIdleSampleMs: number;
  /** /running and activity polling while the event stream is healthy (a safety net). @default 30000 */
  readonly liveSafetyMs: number;
  /** First reconnect delay of the event stream, doubled (with jitter) per failure up to backoffCapMs. @default 1000 */
  readonly eventsRetryMs: number;
  /**
   * llama-swap sends nothing on an idle event stream (no keepalive): after this much silence
   * `/health` is asked, and a stream whose server does not answer it is dropped as hung. @default 2000
   */
  readonly eventsIdleMs: number;
  /** An event stream open this long counts as healthy again: its reconnect backoff starts afresh. @default 30000 */
  readonly eventsHealthyMs: number;
  /** Longest wait between two looks at the clock while a time label is shown (uptime, ttl countdown, elapsed load). @default 60000 */
  readonly uptimeCheckMs: number;
};

export type MenuDeps = {
  readonly config: PluginConfig;
  readonly configWarnings: readonly ConfigWarning[];
  readonly api: LlamaSwapApi;
  readonly trackRates: RateTracker;
  /** This machine's figures (cheap call); null when unavailable. */
  readonly localHostStats: () => Promise<HostStats | null>;
  /** Refreshes the GPU list localHostStats reports (expensive: system_profiler on macOS). */
  readonly refreshGpus?: () => Promise<unknown>;
  /** llama-swap's and each model's process figures (expensive call); null when unavailable. */
  readonly processStats: (input: {
    readonly running: readonly RunningModel[];
    readonly llamaSwapPid: number | null;
  }) => Promise<ProcessView | null>;
  readonly detectService: () => Promise<ServiceView>;
  /** True while a menu action runs (no metrics scrape then: it could load an unloaded model back). */
  readonly actionInProgress?: () => boolean;
  /** Reads `<cacheDir>/last-action.json`; null when absent or malformed. */
  readonly readLastAction: () => Promise<LastActionRecord | null>;
  /** The saved load durations (`load-times.json`), null when none; and saving them. Optional. */
  readonly readLoadTimes?: () => Promise<string | null>;
  readonly saveLoadTimes?: (text: string) => Promise<void>;
  /** Shows a notification (SwiftBar on macOS; absent or a no-op elsewhere). Never throws. */
  readonly notify?: (n: Notification) => Promise<void>;
  /**
   * Records of actions this process runs itself (stdin clicks), heard as they are made: a
   * provisional "in progress" note first, then the action's own records (also in the file).
   */
  readonly actionRecords?: ActionRecordFeed;
  readonly invoker: ActionInvoker;
  /** Wall time: labels and sample stamps only. @default Date.now */
  readonly clock?: Clock;
  /** Monotonic time: every delay, age and throttle (src/system/clock.ts). @default performance.now */
  readonly monotonic?: Clock;
  readonly timings?: Partial<HookTimings>;
  /** Watch last-action.json with fs.watch (else poll it). @default true */
  readonly watchActions?: boolean;
  /** Warnings about cache files read before the menu started (sparklines.json set aside), shown in the menu. */
  readonly fileWarnings?: readonly string[];
  /** Load and save history.json in config.cacheDir. @default true */
  readonly persistHistory?: boolean;
  /** Debug lines on stderr (LLAMA_SWAP_DEBUG). @default NO_DEBUG */
  readonly debug?: DebugLog;
};

export const DEFAULT_HOOK_TIMINGS: HookTimings = {
  busyMs: 1000,
  idleMs: 3000,
  backoffBaseMs: 2000,
  backoffCapMs: 30_000,
  slowMs: 10_000,
  hostMs: 3000,
  processMs: 15_000,
  gpuMs: 60_000,
  serviceMs: 10_000,
  actionPollMs: 1000,
  actionShowMs: 10_000,
  historySaveMs: 20_000,
  historyIdleSampleMs: 10_000,
  liveSafetyMs: 30_000,
  eventsRetryMs: 1000,
  eventsIdleMs: 2000,
  eventsHealthyMs: 30_000,
  uptimeCheckMs: 60_000,
};
