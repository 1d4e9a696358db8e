import type { ServerResponse } from 'node:http';
import type { Clock } from '../types.js';
import type { SimModelProcess } from './model-process.js';
import type { PerformanceMonitor } from './performance.js';
import type { SimModelConfig, SimProfileConfig, SimSelectorConfig } from './sim-config.js';
import type { SimLive } from './sim-live.js';

/**
 * Which llama-swap's API to follow: `pinned` is 0bdb3720 (the source our real-binary tests build);
 * `newer` is the later apigroup.go (src/system/llama-swap/README.md, "Newer llama-swap"): no
 * `logData` on `/api/events`, log streams at `/api/events/logs?stream=…`, and `readySince` /
 * `uptimeMs` on ready models in `modelStatus`.
 */
export type SimApiLayout = 'pinned' | 'newer';

/** llama-swap's `logToStdout`: which logs reach stdout and so the combined history `/logs` serves. */
export type SimLogToStdout = 'proxy' | 'upstream' | 'both' | 'none';

/** Version information served at `/api/version`. */
export type SimVersion = { readonly version: string; readonly commit: string; readonly build_date: string };

/** Everything the route handlers need from the running simulator. */
export type SimContext = {
  readonly models: readonly SimModelConfig[];
  readonly processes: ReadonlyMap<string, SimModelProcess>;
  readonly profiles: readonly SimProfileConfig[];
  readonly selectors: readonly SimSelectorConfig[];
  /** In-flight requests (with cancel) and the activity store. */
  readonly live: SimLive;
  readonly perf: PerformanceMonitor | null;
  readonly version: SimVersion;
  readonly clock: Clock;
  /** Port shown in `/running`'s `proxy` for each model. */
  proxyUrl(id: string): string;
  /** Real model id for an id or alias. */
  resolve(name: string): string | undefined;
  /** Model id a model-dispatched request for `name` goes to (profile pins and selectors applied). */
  resolveRequest(name: string): string | undefined;
  ensureLoaded(id: string): Promise<boolean>;
  unload(ids?: readonly string[]): Promise<void>;
  activeProfile(): string | null;
  setActiveProfile(id: string | null): boolean;
  readonly apiLayout: SimApiLayout;
  readonly logToStdout: SimLogToStdout;
  /** When a model last became ready (clock ms), while it is ready. */
  readySince(id: string): number | undefined;
  /** Log history (proxy log) and appending to it. */
  logText(): string;
  log(line: string): void;
  /** Subscribes to log chunks as they are written (`proxy` only: the simulator has no upstream output). */
  subscribeLogs(listener: (source: string, text: string) => void): () => void;
  /** Keeps an open stream (logs/events) to be ended on close. */
  holdStream(res: ServerResponse): void;
  /** Subscribes an `/api/events` client; returns the unsubscribe. */
  subscribe(listener: (type: string, data: string) => void): () => void;
};

/** `modelStatus` payload: every configured model with its state (`stopped` when not running). */
export function modelStatus(ctx: SimContext): string {
  const ids = ctx.models.map((m) => m.id).sort();
  return JSON.stringify(ids.map((id) => {
    const m = ctx.models.find((x) => x.id === id);
    const p = ctx.processes.get(id);
    const state = p && p.state !== 'stopped' ? p.state : 'stopped';
    // Newer llama-swap: RFC 3339 in whole seconds, and the time ready as of now (at least 1 ms).
    const since = ctx.apiLayout === 'newer' && state === 'ready' ? ctx.readySince(id) : undefined;
    return {
      id, name: m?.name ?? '', description: m?.description ?? '', state, unlisted: m?.unlisted ?? false, peerID: '',
      ...(m?.aliases && m.aliases.length > 0 ? { aliases: m.aliases } : {}),
      ...(since === undefined ? {} : { readySince: new Date(since).toISOString().replace(/\.\d+Z$/, 'Z'), uptimeMs: Math.max(1, Math.round(ctx.clock() - since)) }),
    };
  }));
}
