/**
 * The plain data every menu component renders (③). Hooks build it (`src/hooks/model/menu-model.ts`),
 * stories write it by hand, components never fetch anything themselves.
 */
import type { ActionInvoker, ActionName, ApiErrorKind, ModelState, ServiceView } from '../system/types.js';

/** Overall state; drives the status glyph colour. */
export type OverallStatus =
  /** Grey, dotted: the first answer from llama-swap has not come yet (nothing is claimed). */
  | 'connecting'
  /** Red: service not running, or something it needs is missing. */
  | 'stopped'
  /** Red: service said to be running (or unknown) but the API does not answer. */
  | 'unreachable'
  /** Red: the API answers 401: LLAMA_SWAP_API_KEY missing or wrong. */
  | 'unauthorized'
  /** Yellow: a model is starting (loading) or stopping. */
  | 'starting'
  /** Blue: at least one request is being processed or waits. */
  | 'processing'
  /** Green: models loaded, idle. */
  | 'ready'
  /** Grey: llama-swap runs with no model loaded. */
  | 'empty';

/** History window of one figure, oldest first; NaN marks a gap (API down, model unloaded). */
export type Series = readonly number[];

/** Latest / minimum / average / maximum over a series, ignoring gaps; null when empty. */
export type SeriesStats = {
  readonly latest: number;
  readonly min: number;
  readonly avg: number;
  readonly max: number;
} | null;

export type MetricsStatus =
  /** Figures are current. */
  | 'ok'
  /** llama-server answered 501: started without --metrics. */
  | 'disabled'
  /** The scrape failed; figures shown are the last good ones, if any. */
  | 'unavailable'
  /** Model is not ready; metrics are never requested then (it would wake the model). */
  | 'not-ready'
  /** Model is ready but its first scrape has not answered yet. */
  | 'pending'
  /** The upstream has no llama.cpp metrics (404: vLLM, tabbyAPI, fake-model…); figures come from llama-swap's activity record. */
  | 'absent';

/** llama-swap's own record of a model's finished requests (any upstream kind). */
export type ActivityView = {
  /** Exact count llama-swap recorded. */
  readonly served: number | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  /** Generation tokens/s percentiles over requests that reported timings. */
  readonly genP50: number | null;
  readonly genP95: number | null;
  /** The latest finished request: timings when the upstream reported them, else output tokens ÷ duration. */
  readonly lastGenTps: number | null;
  readonly lastPromptTps: number | null;
  readonly lastOutputTps: number | null;
};

/** One request llama-swap is serving now (never its headers). */
export type RequestView = {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly elapsedMs: number;
  readonly bytes: number;
};

/** Requests in flight listed per model before "and N more". */
export const REQUESTS_SHOWN = 5;

export type ModelView = {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly state: ModelState;
  readonly ttlSeconds: number;
  /** How long it has been ready, where llama-swap reports it (newer versions); absent otherwise. */
  readonly uptimeMs?: number;
  /** A ready, idle model with a ttl: time left before llama-swap unloads it (≤ 0: due now). */
  readonly unloadsInMs?: number;
  /** A loading model: how long it has been loading, and the estimate from its past loads. */
  readonly loadingMs?: number;
  readonly loadEstimateMs?: number;
  readonly metricsStatus: MetricsStatus;
  /** Tokens per second, smoothed (see README "How rates are computed"). */
  readonly promptTps: number | null;
  readonly genTps: number | null;
  /** Resident memory of this model's llama-server process, when llama-swap is local. */
  readonly memoryBytes: number | null;
  readonly cpuPercent: number | null;
  readonly processing: number | null;
  readonly deferred: number | null;
  /** Requests completed since the model's process started (n_decode-based or counted). */
  readonly requestsServed: number | null;
  /** llama-swap's activity figures; null when this llama-swap has no activity API or nothing recorded. */
  readonly activity?: ActivityView | null;
  /** llama.cpp's lifetime averages, shown where no rate window exists yet (one-shot frames). */
  readonly lifetime?: { readonly promptTps: number | null; readonly genTps: number | null } | null;
  /** Requests in flight, newest first (at most REQUESTS_SHOWN), and how many more there are. */
  readonly requests?: readonly RequestView[];
  readonly moreRequests?: number;
  readonly history: {
    readonly genTps: Series;
    readonly promptTps: Series;
    readonly memoryBytes: Series;
    readonly queue: Series;
  };
};

/** A configured model that is not loaded (listed dimmed, with a Load action). */
export type IdleModelView = {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Its last start failed (shown in red with View logs until it next becomes ready). */
  readonly failure?: { readonly reason: string | null } | null;
};

/** A llama-swap selector: a virtual id resolved to one of its targets per request (never loaded itself). */
export type SelectorView = {
  readonly id: string;
  readonly name: string;
  readonly strategy: string;
  readonly targets: readonly string[];
  /** Targets that are loaded now. */
  readonly loadedTargets: readonly string[];
};

/**
 * The models llama-swap forwards to one of its peers (`peers:` in its configuration). The peer
 * loads them when a request comes; this llama-swap never loads or unloads them, so no action.
 */
export type PeerView = {
  /** The peer's id in llama-swap's configuration ("bravo-box"). */
  readonly peer: string;
  /** Each model: its id here (`<peer>/<model>`, what a request names) and the peer's own name for it. */
  readonly models: readonly { readonly id: string; readonly name: string }[];
  /**
   * The peer is also one of the hosts this menu watches (llama-swap names a peer only by its id,
   * so it is matched by id = host name): that host's own state, as its section shows it.
   */
  readonly watchedHost?: { readonly name: string; readonly state: string };
};

/** A pin of the active profile: requests for `id` go to `target`. */
export type PinView = { readonly id: string; readonly target: string; readonly targetLoaded: boolean };

export type GpuView = {
  readonly name: string;
  readonly utilPercent: number | null;
  readonly memUsedBytes: number | null;
  readonly memTotalBytes: number | null;
};

export type SystemView = {
  /** Where the figures come from: llama-swap's /api/performance or this machine. */
  readonly source: 'llama-swap' | 'local';
  readonly cpuPercent: number | null;
  /** Use of each core, percent (empty when not reported). */
  readonly cpuPerCore: readonly number[];
  readonly memUsedBytes: number | null;
  readonly memTotalBytes: number | null;
  readonly swapUsedBytes: number | null;
  readonly swapTotalBytes: number | null;
  readonly gpu: GpuView | null;
  /** The llama-swap process itself, when it runs on this machine. */
  readonly llamaSwapProcess: { readonly pid: number; readonly cpuPercent: number; readonly rssBytes: number } | null;
  readonly history: {
    readonly cpuPercent: Series;
    readonly memUsedBytes: Series;
    readonly gpuUtilPercent: Series;
    readonly gpuMemUsedBytes: Series;
  };
};

/** Something wrong, in plain words, with the action that fixes it. */
export type Problem = {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly fix?: { readonly label: string; readonly action: ActionName; readonly args?: readonly string[] } | undefined;
  /** Or a link that explains the fix. */
  readonly href?: string | undefined;
};

export type ProfilesView = {
  readonly active: string | null;
  /** Pins of the active profile. */
  readonly pins?: readonly PinView[];
  readonly available: readonly { readonly id: string; readonly description: string }[];
};

export type MenuModel = {
  readonly status: OverallStatus;
  /** Why the API is not usable, if it is not. */
  readonly apiError: { readonly kind: ApiErrorKind; readonly message: string } | null;
  readonly models: readonly ModelView[];
  readonly idleModels: readonly IdleModelView[];
  /**
   * Models not listed (the menu lists a bounded number, and none whose id is too long):
   * shown as "and N more — open the web UI". Absent means none.
   */
  readonly moreModels?: { readonly loaded: number; readonly idle: number };
  /** llama-swap selectors (not loadable entries). */
  readonly selectors?: readonly SelectorView[];
  /** Models served by llama-swap's peers, by peer (never loadable here); absent means none. */
  readonly peers?: readonly PeerView[];
  /** Peer models not listed (bounded like the idle list). */
  readonly morePeerModels?: number;
  readonly system: SystemView | null;
  /** null until the first service detection finished: no service action is guessed meanwhile. */
  readonly service: ServiceView | null;
  /** null when llama-swap has no profiles (or the version lacks the endpoint). */
  readonly profiles: ProfilesView | null;
  readonly problems: readonly Problem[];
  /** Web UI address. */
  readonly uiUrl: string;
  /** llama-swap runs on another machine: this Mac's service, logs and config do not apply. */
  readonly remote: boolean;
  readonly invoker: ActionInvoker;
  /** Sparkline size in points. */
  readonly chart: { readonly width: number; readonly height: number };
  /** Result of the last menu action, shown for a short while. */
  /** The last menu action's result; `pending` while it still waits on llama-swap. */
  readonly lastAction: { readonly ok: boolean; readonly message: string; readonly pending?: boolean } | null;
  /** When the data was taken (ms since epoch). */
  readonly updatedAt: number;
  /**
   * The plugin streams (it watches its cache folder, so Refresh only signals it) or prints one
   * frame per run (Refresh asks SwiftBar to run it again). @default true
   */
  readonly streaming?: boolean;
  /** SwiftBar's `shortcut=` on the title line (`LLAMA_SWAP_SHORTCUT`); absent or null for none. */
  readonly shortcut?: string | null;
};

/**
 * What a loaded model is doing, read from its own fields only. The title's colour, its tooltip
 * and the model's label all derive from this one function, so they cannot disagree: a model with
 * requests in flight is busy everywhere, one stopping says stopping.
 */
export type ModelPhase = 'loading' | 'stopping' | 'busy' | 'ready' | 'other';

/** Requests llama-swap lists in flight for the model (0 without its event stream). */
export function inFlightCount(model: Pick<ModelView, 'requests' | 'moreRequests'>): number {
  return (model.requests?.length ?? 0) + (model.moreRequests ?? 0);
}

/** Requests processing and waiting as far as they are known: llama.cpp's gauges, else llama-swap's list in flight. */
export function workCounts(model: ModelView): { readonly processing: number | null; readonly waiting: number | null } {
  const listed = inFlightCount(model);
  const processing = model.processing ?? (listed > 0 ? listed : null);
  return { processing, waiting: model.deferred };
}

export function modelPhase(model: ModelView): ModelPhase {
  if (model.state === 'starting') return 'loading';
  if (model.state === 'stopping' || model.state === 'shutdown') return 'stopping';
  if (model.state !== 'ready') return 'other';
  const { processing, waiting } = workCounts(model);
  return (processing ?? 0) + (waiting ?? 0) > 0 ? 'busy' : 'ready';
}

/** Below this a ttl countdown moves in 10 s steps ("1:50"); above it by whole minutes ("5 min"). */
export const COUNTDOWN_FINE_MS = 120_000;

/** The step a ttl countdown of `ms` moves by: each step is one redraw of an idle menu (hooks schedule it). */
export function countdownStepMs(ms: number): number {
  return ms <= COUNTDOWN_FINE_MS ? 10_000 : 60_000;
}
