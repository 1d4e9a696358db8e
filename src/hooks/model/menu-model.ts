/**
 * Pure builder of the MenuModel: API answers + metrics + host figures + service view + history
 * → the plain data the components render. No I/O, no clock (the caller passes `now`).
 */
import {
  REQUESTS_SHOWN,
  type ActivityView,
  type IdleModelView,
  type MenuModel,
  type ModelView,
  type OverallStatus,
  type PinView,
  type ProfilesView,
  type RequestView,
  type SelectorView,
  type SystemView,
} from '../../components/model.js';
import type { ApiError, ConfiguredModel, Result, RunningModel } from '../../system/types.js';
import type { MenuModelInput, ModelActivityEntry } from './menu-input.js';
import { buildProblems, isDown, isLocalApi } from './menu-problems.js';

export type { MenuModelInput, ModelMetricsEntry, ProcessView } from './menu-input.js';

const TRANSITIONAL = new Set(['starting', 'stopping', 'shutdown']);
const EMPTY: readonly number[] = [];

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

function overallStatus(input: MenuModelInput, apiError: ApiError | null, models: readonly ModelView[]): OverallStatus {
  if (apiError?.kind === 'unauthorized') return 'unauthorized';
  if (apiError) {
    if (!isDown(apiError)) return 'unreachable';
    const s = input.service;
    const local = isLocalApi(input.config.apiUrl);
    if (s === null) return 'unreachable';
    const missing = s.binaryPath === null || !s.configExists || (s.platform === 'macos' && !s.installed);
    if (local && (missing || (s.installed && s.pid === null))) return 'stopped';
    return 'unreachable';
  }
  // No answer yet: the first poll is still on its way; claim nothing (neither red nor yellow).
  if (input.running === undefined) return 'connecting';
  if (models.some((m) => TRANSITIONAL.has(m.state))) return 'starting';
  if (models.some((m) => (m.processing ?? 0) + (m.deferred ?? 0) > 0)) return 'processing';
  return models.length > 0 ? 'ready' : 'empty';
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
  return { requests, more: Math.max(0, mine.length - REQUESTS_SHOWN) };
}

function modelViews(input: MenuModelInput, running: readonly RunningModel[]): ModelView[] {
  const configured = new Map((input.models?.ok ? input.models.value : []).map((m) => [m.id, m]));
  return [...liveModels(running)]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((m) => {
      const ready = m.state === 'ready';
      const metrics = ready ? input.metrics[m.id] : undefined;
      const proc = input.processes?.models[m.id] ?? null;
      const history = input.history.models[m.id];
      const conf = configured.get(m.id);
      const current = metrics?.status === 'ok';
      const { requests, more } = requestViews(input, m.id);
      // Without llama.cpp's gauges, llama-swap's own count of requests in flight says how busy it is.
      const inflight = input.live?.connected ? [...input.live.inflight.values()].filter((r) => r.model === m.id).length : null;
      const activity = activityView(input.activity?.[m.id]);
      return {
        id: m.id,
        name: m.name !== '' ? m.name : (conf?.name ?? ''),
        description: m.description !== '' ? m.description : (conf?.description ?? ''),
        state: m.state,
        ttlSeconds: m.ttl,
        // No entry yet for a ready model: its first scrape is still on its way.
        metricsStatus: !ready ? 'not-ready' : (metrics?.status ?? 'pending'),
        // Rates of a failed scrape are the last good ones; queue figures are only shown live.
        promptTps: metrics?.promptTps ?? null,
        genTps: metrics?.genTps ?? null,
        memoryBytes: proc?.rssBytes ?? null,
        cpuPercent: proc?.cpuPercent ?? null,
        processing: current ? metrics.processing : ready && metrics?.status === 'absent' ? inflight : null,
        deferred: current ? metrics.deferred : null,
        requestsServed: activity?.served ?? metrics?.requestsServed ?? null,
        activity,
        // Without a rate window (a one-shot frame), llama.cpp's own averages stand in, labelled.
        lifetime:
          current && metrics.noRateWindow === true && (metrics.lifetimeGenTps != null || metrics.lifetimePromptTps != null)
            ? { promptTps: metrics.lifetimePromptTps ?? null, genTps: metrics.lifetimeGenTps ?? null }
            : null,
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

/** Entries of /v1/models that are models of their own (not selectors, not profile pins). */
function isLoadable(m: ConfiguredModel): boolean {
  return m.kind === undefined || m.kind === 'model' || m.kind === 'alias' || m.kind === 'peer';
}

function idleModelViews(input: MenuModelInput, running: readonly RunningModel[]): IdleModelView[] {
  if (!input.models?.ok) return [];
  const live = new Set(liveModels(running).map((m) => m.id));
  const failures = input.live?.failures;
  return input.models.value
    .filter((m) => !live.has(m.id) && isLoadable(m))
    .map((m) => {
      const f = failures?.get(m.id);
      return { id: m.id, name: m.name, description: m.description, ...(f ? { failure: { reason: f.reason } } : {}) };
    });
}

function selectorViews(input: MenuModelInput, running: readonly RunningModel[]): SelectorView[] {
  if (!input.models?.ok) return [];
  const ready = new Set(liveModels(running).filter((m) => m.state === 'ready' || m.state === 'starting').map((m) => m.id));
  return input.models.value
    .filter((m) => m.kind === 'selector')
    .map((m) => {
      const targets = m.targets ?? [];
      return { id: m.id, name: m.name, strategy: m.strategy ?? '', targets, loadedTargets: targets.filter((t) => ready.has(t)) };
    });
}

/** Pins of the active profile, from /api/profiles (the /v1/models `profile` entries name only the pin). */
function pinViews(input: MenuModelInput, running: readonly RunningModel[]): PinView[] {
  if (!input.profiles?.ok) return [];
  const { active, profiles } = input.profiles.value;
  const pins = profiles.find((p) => p.id === active)?.pins ?? {};
  const ready = new Set(liveModels(running).filter((m) => m.state === 'ready').map((m) => m.id));
  return Object.entries(pins)
    .filter(([, target]) => target !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, target]) => ({ id, target, targetLoaded: ready.has(target) }));
}

function systemView(input: MenuModelInput): SystemView | null {
  const host = input.host;
  if (host === null) return null;
  const gpu = host.gpus[0];
  const h = input.history.system;
  return {
    source: host.source,
    cpuPercent: host.cpuPercent,
    cpuPerCore: host.cpuPerCore,
    memUsedBytes: host.memUsedBytes,
    memTotalBytes: host.memTotalBytes,
    swapUsedBytes: host.swapUsedBytes,
    swapTotalBytes: host.swapTotalBytes,
    gpu: gpu ? { name: gpu.name, utilPercent: gpu.utilPercent, memUsedBytes: gpu.memUsedBytes, memTotalBytes: gpu.memTotalBytes } : null,
    llamaSwapProcess: input.processes?.llamaSwap ?? null,
    history: { cpuPercent: h.cpuPercent, memUsedBytes: h.memUsedBytes, gpuUtilPercent: h.gpuUtilPercent, gpuMemUsedBytes: h.gpuMemUsedBytes },
  };
}

function profilesView(input: MenuModelInput, running: readonly RunningModel[]): ProfilesView | null {
  if (!input.profiles?.ok || input.profiles.value.profiles.length === 0) return null;
  return {
    active: input.profiles.value.active,
    pins: pinViews(input, running),
    available: input.profiles.value.profiles.map((p) => ({ id: p.id, description: p.description })),
  };
}

/** Builds the MenuModel from one moment's inputs. */
export function buildMenuModel(input: MenuModelInput): MenuModel {
  const apiError = input.running && !input.running.ok ? input.running.error : null;
  const running = input.running?.ok ? input.running.value : [];
  const models = modelViews(input, running);
  return {
    status: overallStatus(input, apiError, models),
    apiError: apiError ? { kind: apiError.kind, message: apiError.message } : null,
    models,
    idleModels: idleModelViews(input, running),
    selectors: selectorViews(input, running),
    system: systemView(input),
    service: input.service,
    profiles: profilesView(input, running),
    problems: buildProblems(input, apiError, models),
    uiUrl: uiUrlOf(input.config.apiUrl, input.config.apiPort),
    remote: !isLocalApi(input.config.apiUrl),
    invoker: input.invoker,
    chart: { width: input.config.chartWidth, height: input.config.chartHeight },
    lastAction: input.lastAction,
    updatedAt: input.now,
  };
}
