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
  /** Requests in flight by id (headers never kept): the newest INFLIGHT_KEPT, oldest first. */
  readonly inflight: ReadonlyMap<string, InflightRequest>;
  /** Requests in flight beyond those held, counted per model. */
  readonly dropped: ReadonlyMap<string, number>;
  /** Last known state of every configured model (from `modelStatus`). */
  readonly states: ReadonlyMap<string, string>;
  readonly failures: ReadonlyMap<string, StartFailure>;
  /** When each ready model became ready, on our clock: only newer llama-swap reports it. */
  readonly readyAt: ReadonlyMap<string, number>;
};

export const EMPTY_LIVE_STATE: LiveState = { version: 0, connected: false, inflight: new Map(), dropped: new Map(), states: new Map(), failures: new Map(), readyAt: new Map() };

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

/** Both sets of effects at once (a model failing twice is read once). */
export function mergeEffects(a: LiveEffects, b: LiveEffects): LiveEffects {
  return {
    refreshRunning: a.refreshRunning || b.refreshRunning,
    refreshActivity: a.refreshActivity || b.refreshActivity,
    refreshProfiles: a.refreshProfiles || b.refreshProfiles,
    refreshMetrics: a.refreshMetrics || b.refreshMetrics,
    failed: [...new Set([...a.failed, ...b.failed])],
  };
}

/**
 * Requests in flight held one by one, newest first: a server announcing thousands (a storm of
 * new ids that never end) costs a bounded map; the rest are only counted, per model.
 */
export const INFLIGHT_KEPT = 300;
/** Models whose dropped requests are counted one by one (a storm of model names is not). */
const DROPPED_MODELS_KEPT = 100;

/** The maps an event batch changes, copied once per batch (never once per event) and then edited in place. */
type Draft = {
  inflight: Map<string, InflightRequest> | null;
  dropped: Map<string, number> | null;
};

function inflightOf(state: LiveState, draft: Draft): Map<string, InflightRequest> {
  draft.inflight ??= new Map(state.inflight);
  return draft.inflight;
}

function droppedOf(state: LiveState, draft: Draft): Map<string, number> {
  draft.dropped ??= new Map(state.dropped);
  return draft.dropped;
}

/** Holds `r` (a new id goes last: Maps keep insertion order), dropping the oldest held beyond the bound. */
function holdRequest(state: LiveState, draft: Draft, r: InflightRequest): void {
  const inflight = inflightOf(state, draft);
  inflight.set(r.id, r);
  if (inflight.size <= INFLIGHT_KEPT) return;
  const oldest = inflight.keys().next().value;
  if (oldest === undefined) return;
  const gone = inflight.get(oldest);
  inflight.delete(oldest);
  if (gone === undefined) return;
  const dropped = droppedOf(state, draft);
  if (dropped.has(gone.model) || dropped.size < DROPPED_MODELS_KEPT) dropped.set(gone.model, (dropped.get(gone.model) ?? 0) + 1);
}

/** A remove of an id not held: most likely one we dropped; its model is unknown, so the largest count shrinks. */
function forgetDropped(state: LiveState, draft: Draft): boolean {
  if (state.dropped.size === 0 && (draft.dropped === null || draft.dropped.size === 0)) return false;
  const dropped = droppedOf(state, draft);
  let top: [string, number] | null = null;
  for (const entry of dropped) if (top === null || entry[1] > top[1]) top = entry;
  if (top === null) return false;
  if (top[1] <= 1) dropped.delete(top[0]);
  else dropped.set(top[0], top[1] - 1);
  return true;
}

/** The newest INFLIGHT_KEPT of a snapshot (by start time), the rest counted per model. */
function snapshotDraft(requests: readonly InflightRequest[], draft: Draft): void {
  const sorted = requests.length <= INFLIGHT_KEPT ? requests : [...requests].sort((a, b) => a.startedAt - b.startedAt);
  const cut = Math.max(0, sorted.length - INFLIGHT_KEPT);
  const dropped = new Map<string, number>();
  for (const r of sorted.slice(0, cut)) if (dropped.has(r.model) || dropped.size < DROPPED_MODELS_KEPT) dropped.set(r.model, (dropped.get(r.model) ?? 0) + 1);
  draft.inflight = new Map(sorted.slice(cut).map((r) => [r.id, r]));
  draft.dropped = dropped;
}

/**
 * Folds a batch of events into the state: one new state (and one copy of each changed map) for
 * the whole batch, however long. The state is returned unchanged when nothing in it changed.
 */
export function applyLiveEvents(state: LiveState, events: readonly LiveEvent[], now: number): { state: LiveState; effects: LiveEffects } {
  let next = state;
  let effects = NO_EFFECTS;
  const draft: Draft = { inflight: null, dropped: null };
  let inflightChanged = false;
  for (const event of events) {
    switch (event.type) {
      case 'modelStatus': {
        const states = new Map(event.models.map((m) => [m.id, m.state]));
        const failures = new Map(next.failures);
        const failed: string[] = [];
        for (const [id, to] of states) {
          const before = next.states.get(id);
          if (to === 'ready') failures.delete(id);
          else if (before === 'starting' && to === 'stopped') {
            failures.set(id, { reason: null, at: now });
            failed.push(id);
          }
        }
        const readyAt = readyTimes(next.readyAt, event.models, now);
        next = { ...next, states, failures, readyAt };
        effects = mergeEffects(effects, { ...NO_EFFECTS, refreshRunning: true, failed });
        break;
      }
      case 'inflight-snapshot':
        snapshotDraft(event.requests, draft);
        inflightChanged = true;
        break;
      case 'inflight-upsert':
        holdRequest(next, draft, event.request);
        inflightChanged = true;
        break;
      case 'inflight-remove': {
        const held = draft.inflight ?? next.inflight;
        if (held.has(event.id)) {
          inflightOf(next, draft).delete(event.id);
          inflightChanged = true;
        } else if (forgetDropped(next, draft)) inflightChanged = true;
        break;
      }
      case 'activity':
        effects = mergeEffects(effects, { ...NO_EFFECTS, refreshActivity: true });
        break;
      case 'profileChanged':
        effects = mergeEffects(effects, { ...NO_EFFECTS, refreshProfiles: true });
        break;
    }
  }
  if (inflightChanged) next = { ...next, inflight: draft.inflight ?? next.inflight, dropped: draft.dropped ?? next.dropped };
  return { state: next, effects };
}

/** Folds one event into the state. */
export function applyLiveEvent(state: LiveState, event: LiveEvent, now: number): { state: LiveState; effects: LiveEffects } {
  return applyLiveEvents(state, [event], now);
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

/** Requests in flight per model (those held and those only counted). */
export function inflightCounts(state: LiveState): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const r of state.inflight.values()) counts.set(r.model, (counts.get(r.model) ?? 0) + 1);
  for (const [model, n] of state.dropped) counts.set(model, (counts.get(model) ?? 0) + n);
  return counts;
}
