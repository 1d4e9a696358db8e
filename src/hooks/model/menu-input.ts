/** The inputs of buildMenuModel: everything the hooks gathered at one moment. */
import type {
  ActionInvoker,
  ConfigWarning,
  ConfiguredModel,
  HostStats,
  PluginConfig,
  ProcessStats,
  Profiles,
  Result,
  RunningModel,
  ServiceView,
} from '../../system/types.js';
import type { HistorySnapshot } from '../history/history.js';
import type { LiveState } from '../polling/live-state.js';
import type { LoadTimes } from './load-estimates.js';
import type { ModelTimes } from './model-times.js';

/** What one model's latest /metrics scrape gave, rates already computed. */
export type ModelMetricsEntry = {
  /** `ok`: figures are current; `disabled`: 501; `absent`: 404, the upstream is not llama.cpp; `unavailable`: the scrape failed. */
  readonly status: 'ok' | 'disabled' | 'absent' | 'unavailable';
  /** Live rates over the last few seconds: 0 while nothing is processing, null when not measured. */
  readonly promptTps: number | null;
  readonly genTps: number | null;
  readonly processing: number | null;
  readonly deferred: number | null;
  readonly requestsServed: number | null;
  /** Averages since llama-server started, from its counters (tokens / the server's own seconds). */
  readonly lifetimePromptTps?: number | null;
  readonly lifetimeGenTps?: number | null;
};

/** What llama-swap's own activity record says about one model (any upstream kind). */
export type ModelActivityEntry = {
  /** llama-swap's exact count of requests served (its store keeps a bounded number of rows). */
  readonly served: number | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  /** Generation tokens/s percentiles over the requests that reported timings. */
  readonly genP50: number | null;
  readonly genP95: number | null;
  /** The latest finished request with figures: timings when reported, else end-to-end output speed. */
  readonly last: {
    readonly genTps: number | null;
    readonly promptTps: number | null;
    readonly outputTps: number | null;
    /** Its activity id (0: none). */
    readonly at: number;
  };
};

/** Per-process figures of llama-swap and of each model's llama-server, when local. */
export type ProcessView = {
  readonly llamaSwap: ProcessStats | null;
  readonly models: Readonly<Record<string, ProcessStats>>;
};

export type MenuModelInput = {
  readonly config: PluginConfig;
  readonly configWarnings: readonly ConfigWarning[];
  /** undefined until the first answer (or failure). */
  readonly running: Result<readonly RunningModel[]> | undefined;
  readonly models: Result<readonly ConfiguredModel[]> | undefined;
  readonly profiles: Result<Profiles> | undefined;
  /** Keyed by model id; only ready models ever have an entry. */
  readonly metrics: Readonly<Record<string, ModelMetricsEntry>>;
  /** llama-swap's activity figures per model; null when this llama-swap has no activity API. */
  readonly activity?: Readonly<Record<string, ModelActivityEntry>> | null;
  /** From the event stream: requests in flight, failed starts; null without a stream. */
  readonly live?: LiveState | null;
  readonly host: HostStats | null;
  readonly processes: ProcessView | null;
  /** null until the first detection finished (service problems are not guessed meanwhile). */
  readonly service: ServiceView | null;
  readonly history: HistorySnapshot;
  /** Why the saved history file was ignored, if it was. */
  readonly historyWarning: string | null;
  /** One line per file of ours that could not be written (history, rates), naming file and reason. */
  readonly fileWarnings?: readonly string[];
  readonly invoker: ActionInvoker;
  readonly lastAction: { readonly ok: boolean; readonly message: string; readonly pending?: boolean } | null;
  readonly now: number;
  /** When models started loading, became ready, were last used; past load durations. */
  readonly times?: { readonly model: ModelTimes; readonly loads: LoadTimes };
};
