/**
 * What llama-swap's event stream has told us, as one immutable value: whether the stream is up,
 * the requests in flight, and models that failed to start (until they next become ready).
 * Pure: `applyLiveEvent` folds one event in; the events source owns the stream and time.
 */
import type { LiveEvent, ModelStatusEntry } from '../../system/llama-swap/live-events.js';
import type { InflightRequest } from '../../system/types.js';

/** A model that went from `starting` back to `stopped` without becoming ready. */
export type StartFailure = {
  /** llama-swap's reason (from its log), null while it is being read or when none was found. */
  readonly reason: string | null;
  readonly at: number;
};

export type LiveState = {
  /**
   * Bumped on every change. SWR compares data with dequal/lite, which sees two Maps as equal
   * whatever they hold: without this, an update that only touches a Map would not re-render.
   */
  readonly version: number;
  /** The stream is open and answering. */
  readonly connected: boolean;
  /** Requests in flight by id (headers never kept). */
  readonly inflight: ReadonlyMap<string, InflightRequest>;
  /** Last known state of every configured model (from `modelStatus`). */
  readonly states: ReadonlyMap<string, string>;
  readonly failures: ReadonlyMap<string, StartFailure>;
  /** When each ready model became ready, on our clock: only newer llama-swap reports it. */
  readonly readyAt: ReadonlyMap<string, number>;
};

export const EMPTY_LIVE_STATE: LiveState = { version: 0, connected: false, inflight: new Map(), states: new Map(), failures: new Map(), readyAt: new Map() };

/** A ready time that moved by less than this is the same one (uptimeMs counted back on arrival jitters). */
const READY_AT_SLACK_MS = 2000;

/**
 * When a model became ready, on the hooks' clock (`now`: the event's arrival). `uptimeMs` counted
 * back from arrival is preferred, as llama-swap's own UI does: a server clock that differs from
 * ours does not skew it. `readySince` is the fallback when only it is sent.
 */
export function readyAtOf(m: ModelStatusEntry, now: number): number | undefined {
  if (m.state !== 'ready') return undefined;
  if (m.uptimeMs !== undefined) return now - m.uptimeMs;
  return m.readySince === undefined ? undefined : Math.min(m.readySince, now);
}

function readyTimes(before: ReadonlyMap<string, number>, models: readonly ModelStatusEntry[], now: number): ReadonlyMap<string, number> {
  const readyAt = new Map<string, number>();
  for (const m of models) {
    const at = readyAtOf(m, now);
    if (at === undefined) continue;
    const old = before.get(m.id);
    readyAt.set(m.id, old !== undefined && Math.abs(old - at) < READY_AT_SLACK_MS ? old : at);
  }
  return readyAt;
}

/** What an event means for the rest of the menu, besides the new state. */
export type LiveEffects = {
  readonly refreshRunning: boolean;
  readonly refreshActivity: boolean;
  readonly refreshProfiles: boolean;
  /** A model started or stopped having requests in flight: scrape its figures now. */
  readonly refreshMetrics: boolean;
  /** Models that just failed to start (their reason is to be read). */
  readonly failed: readonly string[];
};

export const NO_EFFECTS: LiveEffects = { refreshRunning: false, refreshActivity: false, refreshProfiles: false, refreshMetrics: false, failed: [] };

/** Folds one event into the state. */
export function applyLiveEvent(state: LiveState, event: LiveEvent, now: number): { state: LiveState; effects: LiveEffects } {
  switch (event.type) {
    case 'modelStatus': {
      const states = new Map(event.models.map((m) => [m.id, m.state]));
      const failures = new Map(state.failures);
      const failed: string[] = [];
      for (const [id, next] of states) {
        const before = state.states.get(id);
        if (next === 'ready') failures.delete(id);
        else if (before === 'starting' && next === 'stopped') {
          failures.set(id, { reason: null, at: now });
          failed.push(id);
        }
      }
      const readyAt = readyTimes(state.readyAt, event.models, now);
      return { state: { ...state, states, failures, readyAt }, effects: { ...NO_EFFECTS, refreshRunning: true, failed } };
    }
    case 'inflight-snapshot':
      return { state: { ...state, inflight: new Map(event.requests.map((r) => [r.id, r])) }, effects: NO_EFFECTS };
    case 'inflight-upsert': {
      const inflight = new Map(state.inflight);
      inflight.set(event.request.id, event.request);
      return { state: { ...state, inflight }, effects: NO_EFFECTS };
    }
    case 'inflight-remove': {
      if (!state.inflight.has(event.id)) return { state, effects: NO_EFFECTS };
      const inflight = new Map(state.inflight);
      inflight.delete(event.id);
      return { state: { ...state, inflight }, effects: NO_EFFECTS };
    }
    case 'activity':
      return { state, effects: { ...NO_EFFECTS, refreshActivity: true } };
    case 'profileChanged':
      return { state, effects: { ...NO_EFFECTS, refreshProfiles: true } };
  }
}

/** Sets a failed model's reason, if it is still failed. */
export function withFailureReason(state: LiveState, id: string, reason: string | null): LiveState {
  const f = state.failures.get(id);
  if (f === undefined) return state;
  const failures = new Map(state.failures);
  failures.set(id, { ...f, reason });
  return { ...state, failures };
}

/** Longest failure reason shown. */
export const REASON_MAX = 160;

/** The reason llama-swap logged for the last failed start of `id` (`<group>: starting <id> failed: <reason>`). */
export function startFailureReason(log: string, id: string): string | null {
  const marker = ` starting ${id} failed: `;
  const at = log.lastIndexOf(marker);
  if (at < 0) return null;
  const rest = log.slice(at + marker.length);
  const line = rest.split(/\r?\n/)[0]?.trim() ?? '';
  if (line === '') return null;
  // A reason can quote a whole command line: the menu shows its start.
  return line.length > REASON_MAX ? `${line.slice(0, REASON_MAX - 1)}…` : line;
}

/** Requests in flight per model. */
export function inflightCounts(state: LiveState): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const r of state.inflight.values()) counts.set(r.model, (counts.get(r.model) ?? 0) + 1);
  return counts;
}
