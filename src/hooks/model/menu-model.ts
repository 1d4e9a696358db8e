/**
 * Pure builder of the MenuModel: API answers + metrics + host figures + service view + history
 * → the plain data the components render. No I/O, no clock (the caller passes `now`).
 */
import {
  REQUESTS_SHOWN,
  modelPhase,
  type ActivityView,
  type IdleModelView,
  type MenuModel,
  type ModelView,
  type OverallStatus,
  type PeerView,
  type PinView,
  type ProfilesView,
  type RequestView,
  type SelectorView,
  type SystemView,
} from '../../components/model.js';
import type { ApiError, ConfiguredModel, Result, RunningModel } from '../../system/types.js';
import type { MenuModelInput, ModelActivityEntry, ModelMetricsEntry } from './menu-input.js';
import { estimateLoadMs } from './load-estimates.js';
import { unloadsInMs } from './model-times.js';
import { buildProblems, isDown, isLocalApi, llamaSwapMissing, llamaSwapRuns } from './menu-problems.js';
import { MAX_IDLE_LISTED, MAX_LOADED_LISTED, MAX_PROFILES_LISTED, listableId, shownText } from './server-text.js';

export type { MenuModelInput, ModelMetricsEntry, ProcessView } from './menu-input.js';

const EMPTY: readonly number[] = [];
const NO_SYSTEM_HISTORY: SystemView['history'] = { cpuPercent: EMPTY, memUsedBytes: EMPTY, gpuUtilPercent: EMPTY, gpuMemUsedBytes: EMPTY };

/** Web UI address: the API origin (apiPort when the URL names none) + `/ui/`. */
export function uiUrlOf(apiUrl: string, apiPort: number): string {
  try {
    const url = new URL(apiUrl);
    if (url.port === '') url.port = String(apiPort);
    return `${url.origin}/ui/`;
  } catch {
    return `http://127.0.0.1:${apiPort}/ui/`;
  }
}

/** Models llama-swap lists as running: every /running entry whose state is not `stopped`. */
export function liveModels(running: readonly RunningModel[]): readonly RunningModel[] {
  return running.filter((m) => m.state !== 'stopped');
}

/** Ids of the models whose state is `ready`, sorted. */
export function readyIds(running: Result<readonly RunningModel[]> | undefined): string[] {
  if (!running?.ok) return [];
  return running.value
    .filter((m) => m.state === 'ready')
    .map((m) => m.id)
    .sort();
}

function overallStatus(input: MenuModelInput, apiError: ApiError | null, models: readonly ModelView[], unlisted: number): OverallStatus {
  if (apiError?.kind === 'unauthorized') return 'unauthorized';
  if (apiError) {
    if (!isDown(apiError)) return 'unreachable';
    const s = input.service;
    const local = isLocalApi(input.config.apiUrl);
    if (s === null || llamaSwapRuns(input)) return 'unreachable';
    const missing = llamaSwapMissing(input) || !s.configExists || (s.platform === 'macos' && !s.installed);
    if (local && (missing || (s.installed && s.pid === null))) return 'stopped';
    return 'unreachable';
  }
  // No answer yet: the first poll is still on its way; claim nothing (neither red nor yellow).
  if (input.running === undefined) return 'connecting';
  // The same phases the title's tooltip and each model's label read (components/model.ts).
  const phases = new Set(models.map(modelPhase));
  if (phases.has('loading') || phases.has('stopping')) return 'starting';
  if (phases.has('busy')) return 'processing';
  return models.length + unlisted > 0 ? 'ready' : 'empty';
}

/** The first `limit` items that pass `keep`, and how many were left out. */
function bounded<T>(items: readonly T[], keep: (item: T) => boolean, limit: number): { readonly listed: T[]; readonly more: number } {
  const listed: T[] = [];
  let more = 0;
  for (const item of items) {
    if (listed.length < limit && keep(item)) listed.push(item);
    else more += 1;
  }
  return { listed, more };
}

function loadedListed(running: readonly RunningModel[]): { readonly listed: RunningModel[]; readonly more: number } {
  const sorted = [...liveModels(running)].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return bounded(sorted, (m) => listableId(m.id), MAX_LOADED_LISTED);
}

function activityView(a: ModelActivityEntry | undefined): ActivityView | null {
  if (a === undefined) return null;
  return {
    served: a.served,
    inputTokens: a.inputTokens,
    outputTokens: a.outputTokens,
    genP50: a.genP50,
    genP95: a.genP95,
    lastGenTps: a.last.genTps,
    lastPromptTps: a.last.promptTps,
    lastOutputTps: a.last.outputTps,
  };
}

/** A model's requests in flight, newest first, elapsed time advanced to `now`. */
function requestViews(input: MenuModelInput, id: string): { requests: RequestView[]; more: number } {
  const live = input.live;
  if (!live?.connected) return { requests: [], more: 0 };
  const mine = [...live.inflight.values()].filter((r) => r.model === id).sort((a, b) => b.startedAt - a.startedAt || Number(b.id) - Number(a.id));
  const requests = mine.slice(0, REQUESTS_SHOWN).map((r) => ({
    id: r.id,
    method: r.method,
    path: r.path,
    elapsedMs: r.elapsedMs + Math.max(0, input.now - r.receivedAt),
    bytes: r.bytes,
  }));
  // Requests beyond those the live state holds are only counted: they are "more" too.
  return { requests, more: Math.max(0, mine.length - REQUESTS_SHOWN) + (live.dropped.get(id) ?? 0) };
}

/**
 * A ready model's queue and live rates. llama.cpp's figures come from the last scrape; while
 * llama-swap's event stream is up, its list of requests in flight is newer: no request listed means
 * nothing runs (a scrape from before the last request ended says nothing now), and requests listed
 * while the last scrape saw none mean work whose figures are on their way.
 */
function workView(metrics: ModelMetricsEntry | undefined, inflight: number | null): Pick<ModelView, 'processing' | 'deferred' | 'promptTps' | 'genTps'> {
  const current = metrics?.status === 'ok';
  // Without llama.cpp's gauges, llama-swap's own count of requests in flight says how busy it is.
  if (metrics?.status === 'absent') return { processing: inflight, deferred: null, promptTps: null, genTps: null };
  if (!current) return { processing: null, deferred: null, promptTps: null, genTps: null };
  const scraped = (metrics.processing ?? 0) + (metrics.deferred ?? 0);
  if (inflight === 0) return { processing: 0, deferred: 0, promptTps: metrics.promptTps === null ? null : 0, genTps: metrics.genTps === null ? null : 0 };
  if (inflight !== null && inflight > 0 && scraped === 0) return { processing: inflight, deferred: 0, promptTps: null, genTps: null };
  return { processing: metrics.processing, deferred: metrics.deferred, promptTps: metrics.promptTps, genTps: metrics.genTps };
}

/** Elapsed load and its estimate while loading; the ttl countdown while ready with nothing in flight. */
function timeFigures(input: MenuModelInput, m: RunningModel, inflight: number | null): Pick<ModelView, 'loadingMs' | 'loadEstimateMs' | 'unloadsInMs'> {
  const times = input.times;
  if (times === undefined) return {};
  if (m.state === 'starting') {
    const since = times.model.loadingSince.get(m.id);
    const estimate = estimateLoadMs(times.loads, m.id);
    return { ...(since === undefined ? {} : { loadingMs: Math.max(0, input.now - since) }), ...(estimate === null ? {} : { loadEstimateMs: estimate }) };
  }
  if (m.state !== 'ready' || (inflight ?? 0) > 0) return {};
  const left = unloadsInMs(m.ttl, times.model.lastUseAt.get(m.id), input.now);
  return left === null ? {} : { unloadsInMs: left };
}

function modelViews(input: MenuModelInput, live: readonly RunningModel[]): ModelView[] {
  const configured = new Map((input.models?.ok ? input.models.value : []).map((m) => [m.id, m]));
  return live
    .map((m) => {
      const ready = m.state === 'ready';
      const metrics = ready ? input.metrics[m.id] : undefined;
      const proc = input.processes?.models[m.id] ?? null;
      const history = input.history.models[m.id];
      const conf = configured.get(m.id);
      const { requests, more } = requestViews(input, m.id);
      const inflight = input.live?.connected ? requests.length + more : null;
      const activity = activityView(input.activity?.[m.id]);
      const lifetime = metrics?.status === 'ok' || metrics?.status === 'unavailable' ? { promptTps: metrics.lifetimePromptTps ?? null, genTps: metrics.lifetimeGenTps ?? null } : null;
      // llama-swap's own ready time where it sends one, else when we saw this load finish.
      const readyAt = ready ? ((input.live?.connected ? input.live.readyAt.get(m.id) : undefined) ?? input.times?.model.readySince.get(m.id)) : undefined;
      return {
        id: m.id,
        name: shownText(m.name !== '' ? m.name : (conf?.name ?? '')),
        description: shownText(m.description !== '' ? m.description : (conf?.description ?? '')),
        state: m.state,
        ttlSeconds: m.ttl,
        ...(readyAt === undefined ? {} : { uptimeMs: Math.max(0, input.now - readyAt) }),
        ...timeFigures(input, m, inflight),
        // No entry yet for a ready model: its first scrape is still on its way.
        metricsStatus: !ready ? 'not-ready' : (metrics?.status ?? 'pending'),
        ...workView(metrics, ready ? inflight : null),
        memoryBytes: proc?.rssBytes ?? null,
        cpuPercent: proc?.cpuPercent ?? null,
        requestsServed: activity?.served ?? metrics?.requestsServed ?? null,
        activity,
        // Averages since llama-server started, from its counters (labelled as such).
        lifetime: lifetime !== null && (lifetime.genTps !== null || lifetime.promptTps !== null) ? lifetime : null,
        requests,
        moreRequests: more,
        history: {
          genTps: history?.genTps ?? EMPTY,
          promptTps: history?.promptTps ?? EMPTY,
          memoryBytes: history?.memoryBytes ?? EMPTY,
          queue: history?.queue ?? EMPTY,
        },
      } satisfies ModelView;
    });
}

/**
 * Entries of /v1/models this llama-swap can load: its own models and their aliases (not
 * selectors, not profile pins, not a peer's models, which the peer loads).
 */
function isLoadable(m: ConfiguredModel): boolean {
  return m.kind === undefined || m.kind === 'model' || m.kind === 'alias';
}

/** The peer's own name for a peer model: its id without the `<peer>/` llama-swap puts before it. */
function peerModelName(m: ConfiguredModel, peer: string): string {
  const prefix = `${peer}/`;
  return peer !== '' && m.id.startsWith(prefix) && m.id.length > prefix.length ? m.id.slice(prefix.length) : m.id;
}

/** Peer models grouped by peer in llama-swap's order, at most MAX_IDLE_LISTED models in all. */
function peerViews(input: MenuModelInput): { readonly listed: PeerView[]; readonly more: number } {
  if (!input.models?.ok) return { listed: [], more: 0 };
  const { listed, more } = bounded(input.models.value.filter((m) => m.kind === 'peer'), () => true, MAX_IDLE_LISTED);
  const groups = new Map<string, { id: string; name: string }[]>();
  for (const m of listed) {
    const peer = m.peerId ?? '';
    const models = groups.get(peer) ?? [];
    models.push({ id: shownText(m.id), name: shownText(peerModelName(m, peer)) });
    groups.set(peer, models);
  }
  return { listed: [...groups].map(([peer, models]) => ({ peer: shownText(peer), models })), more };
}

function idleModelViews(input: MenuModelInput, running: readonly RunningModel[]): { readonly listed: IdleModelView[]; readonly more: number } {
  if (!input.models?.ok) return { listed: [], more: 0 };
  const live = new Set(liveModels(running).map((m) => m.id));
  const failures = input.live?.failures;
  const { listed, more } = bounded(
    input.models.value.filter((m) => !live.has(m.id) && isLoadable(m)),
    (m) => listableId(m.id),
    MAX_IDLE_LISTED,
  );
  return {
    listed: listed.map((m) => {
      const f = failures?.get(m.id);
      return { id: m.id, name: shownText(m.name), description: shownText(m.description), ...(f ? { failure: { reason: f.reason === null ? null : shownText(f.reason) } } : {}) };
    }),
    more,
  };
}

function selectorViews(input: MenuModelInput, running: readonly RunningModel[]): SelectorView[] {
  if (!input.models?.ok) return [];
  const ready = new Set(liveModels(running).filter((m) => m.state === 'ready' || m.state === 'starting').map((m) => m.id));
  const selectors = input.models.value.filter((m) => m.kind === 'selector' && listableId(m.id));
  return selectors.slice(0, MAX_IDLE_LISTED).map((m) => {
    const targets = (m.targets ?? []).slice(0, MAX_IDLE_LISTED);
    return { id: m.id, name: shownText(m.name), strategy: shownText(m.strategy ?? ''), targets, loadedTargets: targets.filter((t) => ready.has(t)) };
  });
}

/** Pins of the active profile, from /api/profiles (the /v1/models `profile` entries name only the pin). */
function pinViews(input: MenuModelInput, running: readonly RunningModel[]): PinView[] {
  if (!input.profiles?.ok) return [];
  const { active, profiles } = input.profiles.value;
  const pins = profiles.find((p) => p.id === active)?.pins ?? {};
  const ready = new Set(liveModels(running).filter((m) => m.state === 'ready').map((m) => m.id));
  return Object.entries(pins)
    .filter(([id, target]) => target !== '' && listableId(id))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_PROFILES_LISTED)
    .map(([id, target]) => ({ id, target: shownText(target), targetLoaded: ready.has(target) }));
}

function systemView(input: MenuModelInput): SystemView | null {
  const host = input.host;
  if (host === null) return null;
  const gpu = host.gpus[0];
  // The window describes one machine; until a sample of the one shown now is recorded (a source
  // just changed), no chart and no min/avg/max: the other machine's figures are never shown beside these.
  const h = input.history.systemSource === host.source ? input.history.system : NO_SYSTEM_HISTORY;
  return {
    source: host.source,
    cpuPercent: host.cpuPercent,
    cpuPerCore: host.cpuPerCore,
    memUsedBytes: host.memUsedBytes,
    memTotalBytes: host.memTotalBytes,
    swapUsedBytes: host.swapUsedBytes,
    swapTotalBytes: host.swapTotalBytes,
    gpu: gpu ? { name: shownText(gpu.name), utilPercent: gpu.utilPercent, memUsedBytes: gpu.memUsedBytes, memTotalBytes: gpu.memTotalBytes } : null,
    llamaSwapProcess: input.processes?.llamaSwap ?? null,
    history: { cpuPercent: h.cpuPercent, memUsedBytes: h.memUsedBytes, gpuUtilPercent: h.gpuUtilPercent, gpuMemUsedBytes: h.gpuMemUsedBytes },
  };
}

function profilesView(input: MenuModelInput, running: readonly RunningModel[]): ProfilesView | null {
  if (!input.profiles?.ok || input.profiles.value.profiles.length === 0) return null;
  return {
    // The active id is shown in the submenu's label: cut like any server text.
    active: input.profiles.value.active === null ? null : shownText(input.profiles.value.active),
    pins: pinViews(input, running),
    available: bounded(input.profiles.value.profiles, (p) => listableId(p.id), MAX_PROFILES_LISTED).listed.map((p) => ({
      id: p.id,
      description: shownText(p.description),
    })),
  };
}

/** Builds the MenuModel from one moment's inputs. */
export function buildMenuModel(input: MenuModelInput): MenuModel {
  const rawError = input.running && !input.running.ok ? input.running.error : null;
  // Server text in an error message is cut like every other server text.
  const apiError = rawError ? { ...rawError, message: shownText(rawError.message) } : null;
  const running = input.running?.ok ? input.running.value : [];
  const loaded = loadedListed(running);
  const models = modelViews(input, loaded.listed);
  const idle = idleModelViews(input, running);
  const peers = peerViews(input);
  return {
    status: overallStatus(input, apiError, models, loaded.more),
    apiError: apiError ? { kind: apiError.kind, message: apiError.message } : null,
    models,
    idleModels: idle.listed,
    moreModels: { loaded: loaded.more, idle: idle.more },
    selectors: selectorViews(input, running),
    ...(peers.listed.length + peers.more > 0 ? { peers: peers.listed, morePeerModels: peers.more } : {}),
    system: systemView(input),
    service: input.service,
    profiles: profilesView(input, running),
    problems: buildProblems(input, apiError, models),
    uiUrl: uiUrlOf(input.config.apiUrl, input.config.apiPort),
    remote: !isLocalApi(input.config.apiUrl),
    invoker: input.invoker,
    chart: { width: input.config.chartWidth, height: input.config.chartHeight },
    // An action's outcome may quote llama-swap or launchctl: cut like any server text.
    lastAction: input.lastAction === null ? null : { ok: input.lastAction.ok, message: shownText(input.lastAction.message), ...(input.lastAction.pending === true ? { pending: true } : {}) },
    updatedAt: input.now,
    streaming: input.config.streaming,
    shortcut: input.config.shortcut,
  };
}
