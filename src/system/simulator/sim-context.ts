import type { ServerResponse } from 'node:http';
import type { Clock } from '../types.js';
import type { SimModelProcess } from './model-process.js';
import type { PerformanceMonitor } from './performance.js';
import type { SimModelConfig, SimProfileConfig, SimSelectorConfig } from './sim-config.js';
import type { SimLive } from './sim-live.js';

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
  /** Log history (proxy log) and appending to it. */
  logText(): string;
  log(line: string): void;
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
    return {
      id, name: m?.name ?? '', description: m?.description ?? '', state, unlisted: m?.unlisted ?? false, peerID: '',
      ...(m?.aliases && m.aliases.length > 0 ? { aliases: m.aliases } : {}),
    };
  }));
}
