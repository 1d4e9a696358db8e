/**
 * Interfaces at the edge of the world (①). Everything that touches the network, the OS or the
 * file system is reached through these, so tests can substitute recording fakes. The domain types
 * every layer shares (results, API data, action names, the service view) live here, at the bottom.
 */

/** Result of an operation that can fail in an expected way: never thrown, always returned. */
export type Result<T, E = ApiError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export type ApiErrorKind =
  /** Connection refused, DNS failure, reset. */
  | 'unreachable'
  /** No answer within LLAMA_SWAP_API_TIMEOUT_SECS. */
  | 'timeout'
  /** 401: llama-swap has apiKeys and ours is missing or wrong. */
  | 'unauthorized'
  /** 404 on an endpoint this llama-swap version lacks. */
  | 'not-supported'
  /** 404 for a model id. */
  | 'not-found'
  /** 501 from llama-server /metrics: started without --metrics. */
  | 'metrics-disabled'
  /** Any other non-2xx status. */
  | 'http'
  /** A 2xx body that is not what the endpoint promises (garbage, HTML, truncated JSON). */
  | 'invalid-response';

export type ApiError = {
  readonly kind: ApiErrorKind;
  /** Short, human, single-line message for the menu. Never contains the API key. */
  readonly message: string;
  readonly status?: number;
};

/** llama-swap process states; unknown future strings are kept as they are. */
export type ModelState = 'stopped' | 'starting' | 'ready' | 'stopping' | 'shutdown' | (string & {});

/** One entry of `GET /running`. */
export type RunningModel = {
  readonly id: string;
  readonly state: ModelState;
  readonly cmd: string;
  readonly proxy: string;
  /** Unload-after seconds, 0 = never. */
  readonly ttl: number;
  readonly name: string;
  readonly description: string;
};

/** One entry of `GET /v1/models`. */
export type ConfiguredModel = {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** From `status.value`; undefined on llama-swap versions without it. */
  readonly loaded: boolean | undefined;
  /**
   * `meta.llamaswap.type`: a real `model` (also its listed `alias`es), a `peer` model (served by
   * another llama-swap), a `selector` (resolved per request) or a `profile` pin of the active
   * profile. Absent → model.
   */
  readonly kind?: ModelKind;
  /** Selectors: `strategy` and `targets` from the same metadata. */
  readonly strategy?: string;
  readonly targets?: readonly string[];
  /**
   * Peer models (`kind: 'peer'`): the `peerID` of the llama-swap that serves them. Their id is
   * `<peer>/<model>`; this llama-swap forwards requests and never loads or unloads them.
   */
  readonly peerId?: string;
};

export type ModelKind = 'model' | 'alias' | 'peer' | 'selector' | 'profile';

/** One request llama-swap is serving now (`/api/events` `inflight`). Its headers are never kept. */
export type InflightRequest = {
  readonly id: string;
  readonly model: string;
  readonly path: string;
  readonly method: string;
  /** When llama-swap took the request (ms since epoch). */
  readonly startedAt: number;
  /** Elapsed time llama-swap reported with the latest update, and when we received it. */
  readonly elapsedMs: number;
  readonly receivedAt: number;
  /** Response bytes sent so far. */
  readonly bytes: number;
};

/** One finished request (`/api/metrics/activity` row); -1 figures mean "not reported". */
export type ActivityRow = {
  readonly id: number;
  readonly model: string;
  readonly path: string;
  readonly status: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly promptTps: number;
  readonly genTps: number;
  readonly durationMs: number;
};

/** `/api/metrics/stats?model=`: llama-swap's own totals and speed percentiles for one model. */
export type ModelStats = {
  readonly totalRequests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** null when no request reported generation timings. */
  readonly genP50: number | null;
  readonly genP95: number | null;
};

/** Typed view of one llama-server `/metrics` scrape. Every series is optional. */
export type LlamaMetrics = {
  readonly promptTokensTotal?: number;
  readonly promptSecondsTotal?: number;
  readonly tokensPredictedTotal?: number;
  readonly tokensPredictedSecondsTotal?: number;
  readonly nDecodeTotal?: number;
  readonly promptTokensPerSecond?: number;
  readonly predictedTokensPerSecond?: number;
  readonly requestsProcessing?: number;
  readonly requestsDeferred?: number;
  readonly kvCacheUsageRatio?: number;
  /** Lifetime average of busy slots per llama_decode() call (0c1e570 and newer). */
  readonly busySlotsPerDecode?: number;
};

/**
 * One slot of llama-server's `/slots`, as far as live rates need it. llama.cpp resets a slot's
 * stats when it releases it, so an idle slot reports 0 decoded tokens (with its last task's id).
 */
export type SlotProgress = {
  readonly id: number;
  /** The task it runs or last ran; null before its first task. */
  readonly task: number | null;
  readonly processing: boolean;
  /** Tokens generated so far by the task it runs (`next_token[0].n_decoded`). */
  readonly decoded: number;
};

export type GpuSample = {
  readonly name: string;
  readonly utilPercent: number | null;
  readonly memUsedBytes: number | null;
  readonly memTotalBytes: number | null;
  readonly tempC: number | null;
  readonly powerW: number | null;
};

/** Host figures, from llama-swap's `/api/performance` or from the local machine. */
export type HostStats = {
  readonly source: 'llama-swap' | 'local';
  readonly timestamp: number;
  readonly cpuPercent: number;
  readonly cpuPerCore: readonly number[];
  readonly memUsedBytes: number;
  readonly memTotalBytes: number;
  readonly swapUsedBytes: number | null;
  readonly swapTotalBytes: number | null;
  readonly loadAvg1: number | null;
  readonly gpus: readonly GpuSample[];
};

/** One OS process (a llama-server or llama-swap itself). */
export type ProcessStats = {
  readonly pid: number;
  readonly cpuPercent: number;
  readonly rssBytes: number;
  /** llama-swap's own process only: the absolute path of its executable, when its command line tells. */
  readonly executable?: string | null;
};

export type Profile = {
  readonly id: string;
  readonly description: string;
  readonly pins: Readonly<Record<string, string>>;
};

/** `GET /api/profiles`. */
export type Profiles = {
  readonly active: string | null;
  readonly profiles: readonly Profile[];
};

/** Output of one finished command. A command that could not start has exitCode -1. */
export type CommandResult = {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
};

export type CommandOptions = {
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
};

/** Runs a program with an argv array. Never a shell string. */
export type CommandRunner = {
  run(file: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
};

/**
 * Where user files live. Tests point `home` at a temporary folder; all paths the plugin writes
 * (LaunchAgents, logs, SwiftBar plugin folder) are derived from it.
 */
export type FileSystemRoot = {
  readonly home: string;
};

export type PlatformName = 'macos' | 'linux' | 'other';

export type Platform = {
  readonly name: PlatformName;
  /** Numeric user id, for launchctl's `gui/<uid>` domain. */
  readonly uid: number;
};

/** Milliseconds since the epoch; injectable for tests. */
export type Clock = () => number;

/** Every setting from the environment (see README "Configuration"), parsed and validated. */
export type NotifySettings = {
  readonly failedStart: boolean;
  readonly stopped: boolean;
  readonly ttlUnload: boolean;
};

export type PluginConfig = {
  /** `LLAMA_SWAP_API_BASE_URL` + `LLAMA_SWAP_API_PORT`, without a trailing slash. */
  readonly apiUrl: string;
  readonly apiPort: number;
  readonly apiTimeoutMs: number;
  /** Never printed. */
  readonly apiKey: string | null;
  readonly streaming: boolean;
  readonly chartWidth: number;
  readonly chartHeight: number;
  readonly historySize: number;
  readonly debug: boolean;
  readonly logFilePath: string;
  readonly configFilePath: string;
  /** LaunchAgent label; `LLAMA_SWAP_SERVICE_LABEL`. */
  readonly serviceLabel: string;
  /** SwiftBar `shortcut=` for the title (`LLAMA_SWAP_SHORTCUT`, validated), null for none. */
  readonly shortcut: string | null;
  /** Which kinds of notification are sent (`LLAMA_SWAP_NOTIFY_*`). */
  readonly notify: NotifySettings;
  /** SWIFTBAR_PLUGIN_CACHE_PATH or a per-user cache directory. */
  readonly cacheDir: string;
  readonly appearance: 'light' | 'dark';
};

/** A variable whose value did not parse; the default was used instead. */
export type ConfigWarning = {
  readonly variable: string;
  readonly value: string;
  readonly message: string;
};

/** CLI action names; the seed's names are kept for compatibility. */
export type ActionName =
  | 'do_start'
  | 'do_stop'
  | 'do_restart'
  | 'do_unload'
  | 'do_unload_model'
  | 'do_load_model'
  | 'do_cancel_request'
  | 'set_profile'
  | 'clear_profile'
  | 'install_service'
  | 'uninstall_service'
  | 'open_ui'
  | 'view_logs'
  | 'edit_config'
  | 'refresh';

/** How a menu click runs the CLI: `bash=<executable> param1=<leadingArgs…> <action> <args…>`. */
export type ActionInvoker = {
  readonly executable: string;
  readonly leadingArgs: readonly string[];
  /**
   * Runs an action inside the plugin process (action name and the same arguments the command
   * carries); absent where clicks only run commands (one-shot mode, previews).
   */
  readonly run?: (action: ActionName, args: readonly string[]) => void;
};

export type ServiceView = {
  readonly platform: PlatformName;
  /**
   * Whose launchd job runs llama-swap: our LaunchAgent, a Homebrew-labelled job a user made
   * (sh.brew / homebrew.mxcl: the formula itself has no service), or nothing found.
   */
  readonly manager: 'launchagent' | 'homebrew' | 'none';
  /** launchctl could not tell the job's state (its own words and exit code); absent or null when it could. */
  readonly launchctlError?: string | null;
  /** That job's plist present. */
  readonly installed: boolean;
  /** launchd job loaded. */
  readonly loaded: boolean;
  readonly pid: number | null;
  readonly binaryPath: string | null;
  readonly configPath: string;
  readonly configExists: boolean;
  readonly logPath: string;
};
