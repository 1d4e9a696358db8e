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

/** What one model's latest /metrics scrape gave, rates already computed. */
export type ModelMetricsEntry = {
  /** `ok`: figures are current; `disabled`: 501; `unavailable`: the scrape failed. */
  readonly status: 'ok' | 'disabled' | 'unavailable';
  readonly promptTps: number | null;
  readonly genTps: number | null;
  readonly processing: number | null;
  readonly deferred: number | null;
  readonly requestsServed: number | null;
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
  readonly lastAction: { readonly ok: boolean; readonly message: string } | null;
  readonly now: number;
};
