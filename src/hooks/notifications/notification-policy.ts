/**
 * Which notifications a change of state deserves (pure: the hook owns time and sending).
 * One per event; nothing for what was already so when the plugin started; nothing for what the
 * user just did from the menu (that action reports its own outcome); each kind has its setting.
 */
import type { MenuModel } from '../../components/model.js';
import type { NotifySettings } from '../../system/types.js';

/** What the policy compares between two moments, read from the MenuModel. */
export type Observation = {
  /** null before llama-swap's first answer (nothing known yet). */
  readonly api: 'up' | 'down' | null;
  /** Loaded models by id: their state and whether their ttl had run out (`unloadsInMs` ≤ 0 or close). */
  readonly loaded: ReadonlyMap<string, { readonly name: string; readonly state: string; readonly ttlDue: boolean }>;
  /** Models whose last start failed, with llama-swap's reason (null while it is read or none found). */
  readonly failed: ReadonlyMap<string, { readonly name: string; readonly reason: string | null }>;
};

export type NotifyEvent =
  | { readonly kind: 'failed-start'; readonly id: string; readonly name: string; readonly reason: string | null }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'back' }
  | { readonly kind: 'ttl-unload'; readonly id: string; readonly name: string };

/** The menu action of the last-action record, while it may still explain what happens. */
export type RecentAction = { readonly action: string; readonly args: readonly string[] };

export type PolicyState = {
  readonly last: Observation | null;
  /** A "stopped" notification was sent and no "back" yet. */
  readonly stoppedSent: boolean;
  /** Failures already told (or already there at start), by id; cleared when the model next loads. */
  readonly failuresTold: ReadonlySet<string>;
  /** Failures first seen without a reason, and when: told once the reason is read or after REASON_WAIT_MS. */
  readonly failuresWaiting: ReadonlyMap<string, number>;
};

export const INITIAL_POLICY_STATE: PolicyState = { last: null, stoppedSent: false, failuresTold: new Set(), failuresWaiting: new Map() };

/** How long a failure waits for its reason before it is told without one. */
export const REASON_WAIT_MS = 10_000;

/** A ttl counted to within this of its end when the model went away: the ttl unloaded it. */
export const TTL_DUE_SLACK_MS = 15_000;

const SERVICE_ACTIONS = new Set(['do_stop', 'do_restart', 'uninstall_service', 'install_service']);

/** The MenuModel's view of the moment (names fall back to ids). */
export function observe(model: MenuModel): Observation {
  // Only no answer at all is "stopped": a 401 or an answer llama-swap gets wrong is still an answer.
  const kind = model.apiError?.kind;
  const api = model.status === 'connecting' ? null : kind === 'unreachable' || kind === 'timeout' ? 'down' : 'up';
  const nameOf = (m: { readonly id: string; readonly name: string }): string => (m.name.trim() !== '' ? m.name : m.id);
  return {
    api,
    loaded: new Map(model.models.map((m) => [m.id, { name: nameOf(m), state: m.state, ttlDue: m.unloadsInMs !== undefined && m.unloadsInMs <= TTL_DUE_SLACK_MS }])),
    failed: new Map(model.idleModels.filter((m) => m.failure != null).map((m) => [m.id, { name: nameOf(m), reason: m.failure?.reason ?? null }])),
  };
}

function userDid(action: RecentAction | null, names: readonly string[], id?: string): boolean {
  if (action === null || !names.includes(action.action)) return false;
  return id === undefined || action.args.length === 0 || action.args.includes(id);
}

/** The events between the last observation and `next`, and the state to keep. */
export function decide(state: PolicyState, next: Observation, now: number, action: RecentAction | null, settings: NotifySettings): { readonly state: PolicyState; readonly events: readonly NotifyEvent[] } {
  const last = state.last;
  if (last === null || last.api === null) {
    // The first answer is the baseline: failures already there are not news.
    if (next.api === null) return { state: { ...state, last: next }, events: [] };
    return { state: { ...state, last: next, failuresTold: new Set(next.failed.keys()) }, events: [] };
  }
  const events: NotifyEvent[] = [];
  let stoppedSent = state.stoppedSent;
  if (last.api === 'up' && next.api === 'down' && !userDid(action, [...SERVICE_ACTIONS])) {
    if (settings.stopped) events.push({ kind: 'stopped' });
    stoppedSent = settings.stopped;
  } else if (next.api === 'up' && last.api === 'down' && stoppedSent) {
    events.push({ kind: 'back' });
    stoppedSent = false;
  }

  const told = new Set(state.failuresTold);
  const waiting = new Map(state.failuresWaiting);
  for (const id of next.loaded.keys()) {
    told.delete(id);
    waiting.delete(id);
  }
  for (const [id, f] of next.failed) {
    if (told.has(id)) continue;
    const since = waiting.get(id) ?? now;
    if (f.reason === null && now - since < REASON_WAIT_MS) {
      waiting.set(id, since);
      continue;
    }
    told.add(id);
    waiting.delete(id);
    if (settings.failedStart && !userDid(action, ['do_load_model'], id)) events.push({ kind: 'failed-start', id, name: f.name, reason: f.reason });
  }
  for (const id of waiting.keys()) if (!next.failed.has(id)) waiting.delete(id);

  // A ready model gone while llama-swap still answers, its ttl run out, not unloaded from the menu.
  if (settings.ttlUnload && next.api === 'up') {
    for (const [id, m] of last.loaded) {
      if (m.state !== 'ready' || !m.ttlDue || next.loaded.get(id)?.state === 'ready') continue;
      if (next.loaded.get(id)?.state === 'starting') continue;
      if (userDid(action, ['do_unload_model', 'do_unload', 'set_profile'], id)) continue;
      events.push({ kind: 'ttl-unload', id, name: m.name });
    }
  }
  return { state: { last: next, stoppedSent, failuresTold: told, failuresWaiting: waiting }, events };
}
