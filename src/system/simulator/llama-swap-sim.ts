import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Clock } from '../types.js';
import type { AddressInfo, Socket } from 'node:net';
import { SimModelProcess } from './model-process.js';
import { PerformanceMonitor } from './performance.js';
import { DEFAULT_MODELS, DEFAULT_PROFILES, DEFAULT_SELECTORS, evictionsFor, type SimGroupConfig, type SimModelConfig, type SimProfileConfig, type SimSelectorConfig } from './sim-config.js';
import { SimLive } from './sim-live.js';
import { modelStatus, type SimApiLayout, type SimContext, type SimLogToStdout, type SimVersion } from './sim-context.js';
import { extractApiKey, flakyFault, garbageFault, HungResponses, isPublicPath, sendSwapError } from './sim-faults.js';
import { route } from './sim-routes.js';
import { DEFAULT_TIMINGS, enterScenario, isScenarioName, SCENARIO_NAMES, type ScenarioHost, type ScenarioName, type ScenarioTimings } from './scenarios.js';

export type { ScenarioName } from './scenarios.js';
export type { SimModelConfig, SimGroupConfig, SimProfileConfig, SimSelectorConfig } from './sim-config.js';
export type { SimApiLayout, SimLogToStdout } from './sim-context.js';

/** Options of the in-process llama-swap simulator; everything has a realistic default. */
export type LlamaSwapSimulatorOptions = {
  readonly port?: number;
  readonly host?: string;
  /** With a key, every endpoint but the public ones needs it (`apiKeys` in llama-swap's config). */
  readonly apiKey?: string | null;
  readonly models?: readonly SimModelConfig[];
  /** llama-swap `groups`; models in none form the default group (one model at a time). */
  readonly groups?: Readonly<Record<string, SimGroupConfig>>;
  readonly profiles?: readonly SimProfileConfig[];
  /** llama-swap `selectors` (listed in /v1/models as `selector`, resolved per request). */
  readonly selectors?: readonly SimSelectorConfig[];
  readonly scenario?: ScenarioName;
  /** Start without running the initial scenario's behaviour (nothing loaded, no traffic) until setScenario(). */
  readonly passive?: boolean;
  /** Rotate through `cycleScenarios` (default: all, in order) every this many seconds. */
  readonly cycle?: number;
  readonly cycleScenarios?: readonly ScenarioName[];
  /** Time a model spends in `starting` (default 1500 ms). */
  readonly loadMs?: number;
  /** Time a model spends in `stopping` (default 150 ms). */
  readonly stopMs?: number;
  readonly timings?: Partial<ScenarioTimings>;
  /** `/api/performance` sampling period (default 2000 ms); `null` disables it (503). */
  readonly performanceIntervalMs?: number | null;
  readonly version?: SimVersion;
  /** Timestamps (`/api/performance`, `created`, logs); timers stay real. */
  readonly clock?: Clock;
  /** Whose API to serve: 0bdb3720's (`pinned`, the default) or the newer one (`newer`). */
  readonly apiLayout?: SimApiLayout;
  /** llama-swap's `logToStdout` (default `proxy`): `upstream` and `none` leave the proxy lines out of `/logs`. */
  readonly logToStdout?: SimLogToStdout;
};

/** A running simulator. */
export type LlamaSwapSimulator = {
  readonly url: string;
  readonly port: number;
  setScenario(name: ScenarioName): void;
  scenario(): ScenarioName;
  /** Requests received, oldest first (control requests under `/__sim/` excluded; the last 10 000 at most). */
  readonly requestLog: readonly { readonly method: string; readonly path: string }[];
  /** Resolves once the current scenario's listening state is settled (useful after `down`). */
  settled(): Promise<void>;
  close(): Promise<void>;
};

const DEFAULT_VERSION: SimVersion = { version: 'v196', commit: '0bdb3720', build_date: '2026-08-22T00:00:00Z' };

/** Starts the simulator and resolves once it listens. */
export async function createLlamaSwapSimulator(options: LlamaSwapSimulatorOptions = {}): Promise<LlamaSwapSimulator> {
  const models = options.models ?? DEFAULT_MODELS;
  const groups = options.groups ?? {};
  const profilesList = options.profiles ?? DEFAULT_PROFILES;
  const clock = options.clock ?? Date.now;
  const timings: ScenarioTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? null;
  const logs: string[] = [];
  const listeners = new Set<(type: string, data: string) => void>();
  const logListeners = new Set<(source: string, text: string) => void>();
  const apiLayout = options.apiLayout ?? 'pinned';
  const readySince = new Map<string, number>();
  const streams = new HungResponses();
  const hung = new HungResponses();
  const requestLog: { method: string; path: string }[] = [];
  const logRaw = (line: string): void => {
    logs.push(line);
    if (logs.length > 500) logs.shift();
    // 0bdb3720 streams every log line to /api/events subscribers as logData; newer ones only to /api/events/logs.
    if (apiLayout === 'pinned') emit('logData', JSON.stringify({ source: 'proxy', data: `${line}\n` }));
    for (const l of logListeners) l('proxy', `${line}\n`);
  };
  const log = (line: string): void => logRaw(`[INFO] ${new Date(clock()).toISOString()} ${line}`);
  const emit = (type: string, data: string): void => {
    for (const l of listeners) l(type, data);
  };
  const live = new SimLive(emit, clock);

  const processes = new Map<string, SimModelProcess>();
  const timing = { loadMs: options.loadMs ?? 1500, stopMs: options.stopMs ?? 150, drainMs: 2000 };
  let ctx: SimContext | null = null;
  for (const m of models) {
    processes.set(m.id, new SimModelProcess(m, timing, (p) => {
      if (p.state === 'ready') readySince.set(p.config.id, clock());
      else readySince.delete(p.config.id);
      log(`<${p.config.id}> state changed to ${p.state}`);
      if (p.state === 'stopped' && p.lastStartError !== null) logRaw(`[WARN] group: starting ${p.config.id} failed: ${p.lastStartError}`);
      if (ctx) emit('modelStatus', modelStatus(ctx));
    }));
  }
  const resolve = (name: string): string | undefined => models.find((m) => m.id === name || (m.aliases ?? []).includes(name))?.id;
  const running = (): string[] => [...processes.values()].filter((p) => p.state !== 'stopped').map((p) => p.config.id);
  let closed = false;

  // Swaps are serialised like llama-swap's scheduler: a request for another model waits for the current swap.
  let swapLock: Promise<unknown> = Promise.resolve();
  const ensureLoaded = (id: string, loadMs?: number): Promise<boolean> => {
    const proc = processes.get(id);
    if (!proc || closed) return Promise.resolve(false);
    if (proc.accepting) return Promise.resolve(true);
    const next = swapLock.then(async () => {
      if (closed) return false;
      if (proc.accepting) return true;
      await Promise.all(evictionsFor(groups, id, running()).map((other) => processes.get(other)?.stop()));
      return closed ? false : proc.start(loadMs);
    });
    swapLock = next.catch(() => undefined);
    return next;
  };
  const unload = async (ids?: readonly string[]): Promise<void> => {
    await Promise.all((ids ?? [...processes.keys()]).map((id) => processes.get(id)?.stop()));
  };

  let activeProfile: string | null = null;
  const perf = options.performanceIntervalMs === null ? null : new PerformanceMonitor({
    intervalMs: options.performanceIntervalMs ?? 2000, clock,
    steady: () => current === 'static',
    load: () => {
      const procs = [...processes.values()];
      return {
        activeRequests: procs.reduce((n, p) => n + (p.handler?.engine.processing ?? 0), 0),
        modelMemMb: procs.filter((p) => p.state === 'ready' || p.state === 'stopping').reduce((n, p) => n + (p.config.memMb ?? 4000), 0),
        loading: procs.some((p) => p.state === 'starting'),
      };
    },
  });

  const portOf = new Map(models.map((m, i) => [m.id, 5800 + i]));
  // The default selector only goes with the default models (its targets are theirs).
  const selectors = options.selectors ?? (options.models === undefined ? DEFAULT_SELECTORS : []);
  ctx = {
    models, processes, profiles: profilesList, selectors, live, perf, version: options.version ?? DEFAULT_VERSION, clock,
    apiLayout, logToStdout: options.logToStdout ?? 'proxy', readySince: (id) => readySince.get(id),
    proxyUrl: (id) => `http://127.0.0.1:${portOf.get(id) ?? 5800}`,
    resolve, ensureLoaded: (id) => ensureLoaded(id), unload,
    resolveRequest: (name) => {
      // Profile pins apply first, then selectors (warm: the first ready target, else the first).
      const pinned = profilesList.find((p) => p.id === activeProfile)?.pins[name];
      const target = pinned !== undefined && pinned !== '' ? pinned : name;
      const selector = selectors.find((x) => x.id === target);
      if (!selector) return resolve(target);
      const ready = selector.targets.find((t) => processes.get(resolve(t) ?? '')?.state === 'ready');
      return resolve(selector.strategy === 'pin' ? (selector.targets[0] ?? '') : (ready ?? selector.targets[0] ?? ''));
    },
    activeProfile: () => activeProfile,
    setActiveProfile: (id) => {
      if (id !== null && !profilesList.some((p) => p.id === id)) return false;
      activeProfile = id;
      emit('profileChanged', JSON.stringify({ active: activeProfile }));
      return true;
    },
    logText: () => (logs.length ? `${logs.join('\n')}\n` : ''),
    log, holdStream: (res) => streams.hold(res),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    subscribeLogs: (l) => {
      logListeners.add(l);
      return () => logListeners.delete(l);
    },
  };
  const context = ctx;

  let current: ScenarioName = options.scenario ?? 'idle';
  let faultCounter = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/__sim/')) return control(req, res, url);
    requestLog.push({ method: req.method ?? 'GET', path: url.pathname + url.search });
    if (requestLog.length > 10_000) requestLog.splice(0, 1000);
    if (apiKey !== null && !isPublicPath(url.pathname) && extractApiKey(req) !== apiKey) {
      return sendSwapError(req, res, 401, 'unauthorized: invalid or missing API key', { 'WWW-Authenticate': 'Basic realm="llama-swap"' });
    }
    if (current === 'flaky' && flakyFault(faultCounter++, req, res, hung)) return;
    if (current === 'garbage' && url.pathname !== '/health') return garbageFault(faultCounter++, res);
    route(context, req, res, url).catch(() => {
      if (!res.headersSent) sendSwapError(req, res, 500, 'simulator error');
    });
  };

  const sockets = new Set<Socket>();
  const server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let port = options.port ?? 0;
  let listening = false;
  let listenChain: Promise<void> = Promise.resolve();
  const listen = (): Promise<void> => new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      port = (server.address() as AddressInfo).port;
      listening = true;
      ok();
    });
  });
  const unlisten = (): Promise<void> => new Promise((ok) => {
    listening = false;
    server.close(() => ok());
    for (const s of sockets) s.destroy();
    streams.releaseAll();
    hung.releaseAll();
  });
  const setListening = (on: boolean): Promise<void> => {
    listenChain = listenChain.then(() => (closed || on === listening ? undefined : on ? listen() : unlisten())).catch(() => undefined);
    return listenChain;
  };

  const scenarioHost: ScenarioHost = {
    modelIds: models.filter((m) => !m.unlisted).map((m) => m.id),
    processes: () => [...processes.values()],
    ensureLoaded, unloadAll: () => unload(), setListening, live,
  };
  let leave: () => Promise<void> = () => Promise.resolve();
  const downTimers = new Set<NodeJS.Timeout>();
  const setScenario = (name: ScenarioName): void => {
    if (closed) return;
    const previous = leave;
    hung.releaseAll();
    current = name;
    faultCounter = 0;
    log(`simulator scenario: ${name}`);
    void previous();
    leave = enterScenario(name, scenarioHost, timings);
  };

  function control(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const match = /^\/__sim\/scenario\/([a-z]+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/__sim/scenario') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ scenario: current, scenarios: SCENARIO_NAMES }));
      return;
    }
    if (req.method === 'POST' && match?.[1] && isScenarioName(match[1])) {
      const previous = current;
      setScenario(match[1]);
      // Once down, this endpoint is unreachable too, so an HTTP-requested outage ends by itself.
      if (match[1] === 'down') {
        const ms = Number(url.searchParams.get('for') ?? '10000');
        const timer = setTimeout(() => {
          if (current === 'down') setScenario(previous === 'down' ? 'idle' : previous);
        }, Number.isFinite(ms) && ms > 0 ? ms : 10000);
        timer.unref();
        downTimers.add(timer);
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ scenario: current }));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`unknown scenario; one of: ${SCENARIO_NAMES.join(', ')}`);
  }

  await listen();
  perf?.start();
  if (!options.passive) setScenario(current);
  const cycleList = options.cycleScenarios ?? SCENARIO_NAMES;
  let cycleIndex = Math.max(0, cycleList.indexOf(current));
  const cycleTimer = options.cycle && options.cycle > 0
    ? setInterval(() => setScenario(cycleList[++cycleIndex % cycleList.length] ?? 'idle'), options.cycle * 1000)
    : null;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    setScenario,
    scenario: () => current,
    requestLog,
    settled: () => listenChain,
    close: async () => {
      if (closed) return;
      if (cycleTimer) clearInterval(cycleTimer);
      for (const t of downTimers) clearTimeout(t);
      await leave();
      closed = true;
      perf?.stop();
      for (const p of processes.values()) p.destroy();
      listeners.clear();
      logListeners.clear();
      await listenChain;
      if (listening) await unlisten();
    },
  };
}
