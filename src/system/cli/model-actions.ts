/**
 * Load and unload, which last as long as llama-swap needs: each waits within its own bound
 * (action-wait.ts), says first what it waits for, and reports llama-swap's outcome. A wait that
 * runs out is checked against `/running` before it is called a failure: llama-swap may have
 * finished just after, or an upstream may lack the `/health` a load waits on.
 */
import { actionWaitMs, formatWait } from './action-wait.js';
import { apiFailure, showId } from './action-text.js';
import type { ActionClient, ActionDeps, ActionOutcome } from './actions.js';
import type { ApiError, ConfiguredModel, RunningModel } from '../types.js';

/** The entries of `ids` (all, when null) that `/running` still lists; a `stopped` entry is gone. */
function stillListed(running: readonly RunningModel[], ids: readonly string[] | null): RunningModel[] {
  return running.filter((m) => m.state !== 'stopped' && (ids === null || ids.includes(m.id)));
}

/** After an unload's wait ran out: done when `/running` no longer lists the models, else why not. */
async function settleUnload(client: ActionClient, ids: readonly string[] | null, waitMs: number, what: string, done: ActionOutcome): Promise<ActionOutcome> {
  const after = await client.running();
  if (!after.ok) return { ok: false, message: `${what}: no answer within ${formatWait(waitMs)}, and /running failed too: ${after.error.message}` };
  const left = stillListed(after.value, ids);
  if (left.length === 0) return done;
  const listed = left.map((m) => `${showId(m.id)} (${m.state})`).join(', ');
  return { ok: false, message: `${what}: after ${formatWait(waitMs)} llama-swap still lists ${listed}` };
}

/** A peer's model: llama-swap forwards requests for it and runs no process of it here. */
function peerRefusal(entry: ConfiguredModel, verb: 'load' | 'unload'): ActionOutcome {
  const peer = entry.peerId === undefined || entry.peerId === '' ? 'a peer' : `peer ${showId(entry.peerId)}`;
  return { ok: false, message: `${showId(entry.id)} is a model of ${peer}: llama-swap forwards requests for it and cannot ${verb} it (the peer does, on request)` };
}

export async function unloadModel(deps: ActionDeps, id: string): Promise<ActionOutcome> {
  const client = await deps.client();
  const running = await client.running();
  if (!running.ok) return apiFailure('could not list running models', running.error);
  if (!running.value.some((m) => m.id === id)) {
    const models = await client.models();
    const entry = models.ok ? models.value.find((m) => m.id === id) : undefined;
    if (entry?.kind === 'peer') return peerRefusal(entry, 'unload');
    return entry !== undefined
      ? { ok: true, message: `model ${showId(id)} is not loaded; nothing to unload` }
      : { ok: false, message: `unknown model ${showId(id)}: not in llama-swap's model list` };
  }
  const waitMs = actionWaitMs('unload', deps.config.apiTimeoutMs);
  await deps.waiting(`Unloading ${showId(id)}… (waiting for llama-swap to stop it, up to ${formatWait(waitMs)})`, waitMs);
  const what = `could not unload ${showId(id)}`;
  const done: ActionOutcome = { ok: true, message: `unloaded model ${showId(id)}` };
  const r = await client.unloadModel(id, waitMs);
  if (r.ok) return done;
  return r.error.kind === 'timeout' ? settleUnload(client, [id], waitMs, what, done) : apiFailure(what, r.error);
}

export async function unloadAll(deps: ActionDeps): Promise<ActionOutcome> {
  const client = await deps.client();
  const waitMs = actionWaitMs('unload', deps.config.apiTimeoutMs);
  await deps.waiting(`Unloading every model… (waiting for llama-swap to stop them, up to ${formatWait(waitMs)})`, waitMs);
  const what = 'could not unload models';
  const done: ActionOutcome = { ok: true, message: 'unloaded all models' };
  const r = await client.unloadAll(waitMs);
  if (r.ok) return done;
  return r.error.kind === 'timeout' ? settleUnload(client, null, waitMs, what, done) : apiFailure(what, r.error);
}

/** Answers that settle a load without asking `/running`: llama-swap refused the key or the id. */
const definite = (error: ApiError): boolean => error.kind === 'unauthorized' || error.kind === 'not-found';

export async function loadModel(deps: ActionDeps, id: string): Promise<ActionOutcome> {
  const client = await deps.client();
  const models = await client.models();
  if (!models.ok) return apiFailure('could not list models', models.error);
  const entry = models.value.find((m) => m.id === id);
  if (entry === undefined) {
    return { ok: false, message: `unknown model ${showId(id)}: not in llama-swap's model list` };
  }
  if (entry.kind === 'peer') return peerRefusal(entry, 'load');
  if (entry.kind === 'selector' || entry.kind === 'profile') {
    const what = entry.kind === 'selector' ? 'a selector' : "a pin of the active profile";
    return { ok: false, message: `${showId(id)} is ${what}, not a model: llama-swap picks its target per request` };
  }
  const waitMs = actionWaitMs('load', deps.config.apiTimeoutMs);
  await deps.waiting(`Loading ${showId(id)}… (waiting for llama-swap to start it, up to ${formatWait(waitMs)})`, waitMs);
  const what = `could not load ${showId(id)}`;
  const done: ActionOutcome = { ok: true, message: `loaded model ${showId(id)}` };
  const r = await client.loadModel(id, waitMs);
  if (r.ok && r.value === 'ready') return done;
  if (!r.ok && definite(r.error)) return apiFailure(what, r.error);
  // Still loading when the wait ended, or an answer other than "ready" (an upstream without /health):
  const after = await client.running();
  const state = after.ok ? after.value.find((m) => m.id === id)?.state : undefined;
  if (state === 'ready') return done;
  if (!r.ok) return apiFailure(what, r.error);
  if (!after.ok) return { ok: false, message: `${what}: not ready within ${formatWait(waitMs)}, and /running failed: ${after.error.message}` };
  return { ok: false, message: `${what}: not ready within ${formatWait(waitMs)}; llama-swap lists it as ${state ?? 'not running'}` };
}
