/**
 * Per-model `/upstream/<id>/metrics` scrapes: only for models whose latest state is `ready`, after
 * a fresh /running answer; rates computed here, last good figures kept.
 *
 * When to scrape. With llama-swap's event stream up, a model is scraped while llama-swap lists a
 * request in flight for it (ttl or not), while its last scrape showed work, and once after its
 * in-flight list changed (so a request that started and ended between two ticks still moves the
 * counters); otherwise never (no idle /upstream/ requests: they would reset a ttl, or load back a
 * model another client just swapped out). Without the stream, the ttl gate decides.
 *
 * How. A model with work is read as `/slots`, `/metrics`, `/slots`: when both /slots answers show
 * the same tasks processing, no request ended in between, so the counters and the running tasks'
 * token counts describe one moment (see metrics-rates.ts).
 */
import type { RateInput, RateTrackerState } from '../../system/llama-swap/metrics-rates.js';
import { processingKey } from '../../system/llama-swap/slots.js';
import type { SlotProgress } from '../../system/types.js';
import type { ModelMetricsEntry } from '../model/menu-input.js';
import { noteUse } from '../model/model-times.js';
import { safely, type PollContext, type Stamped } from './poll-context.js';
import { singleFlightByKey } from './single-flight.js';
import { createTtlGate } from './ttl-gate.js';

/** Longer than the events' publish interval: a load asked for counts until the in-flight counts can show it. */
const LOAD_ASK_MS = 1000;

export type MetricsSource = (ids: readonly string[]) => Promise<Stamped<Readonly<Record<string, ModelMetricsEntry>>>>;

/** A last scrape that showed no request processing or waiting. */
function isQuiet(entry: ModelMetricsEntry | undefined): boolean {
  return entry !== undefined && entry.status === 'ok' && (entry.processing ?? 0) + (entry.deferred ?? 0) === 0;
}

export function createMetricsSource(
  ctx: PollContext,
  rateStates: Map<string, RateTrackerState>,
  freshRunning: () => Promise<void>,
): MetricsSource {
  const { deps, state, clock, debug } = ctx;
  const lastGood = new Map<string, ModelMetricsEntry>();
  // Ready models whose upstream answered /metrics with 404 (not llama.cpp): not asked again while they stay loaded.
  const absent = new Set<string>();
  // Ready models without /slots (--no-slots, other upstreams): the decode counters stand in.
  const noSlots = new Set<string>();
  // llama-swap's in-flight change count per model at its last scrape (PollState.workSeq).
  const seenWork = new Map<string, number>();
  const ABSENT: ModelMetricsEntry = { status: 'absent', promptTps: null, genTps: null, processing: null, deferred: null, requestsServed: null };
  const gate = createTtlGate(deps.api.requestCounts?.bind(deps.api));

  /** `/slots` of a ready model, or null (unsupported, failed, or not ready any more). */
  const readSlots = async (id: string): Promise<readonly SlotProgress[] | null> => {
    if (deps.api.slots === undefined || noSlots.has(id) || !state.readyIds.has(id)) return null;
    const r = await safely(() => deps.api.slots!(id));
    if (!r.ok && r.error.kind === 'not-supported') noSlots.add(id);
    return r.ok ? r.value : null;
  };

  /** llama-swap lists requests in flight for a model that is not ready (a load, maybe a swap, is under way). */
  const loadUnderway = (): boolean => {
    // A load asked for is over once its model is ready, or once the in-flight counts (published
    // at most LOAD_ASK_MS later) list no request for it.
    for (const [model, at] of [...state.loadsAsked]) {
      if (state.readyIds.has(model) || ((state.inflightByModel.get(model) ?? 0) === 0 && ctx.monotonic() - at > LOAD_ASK_MS)) state.loadsAsked.delete(model);
    }
    return state.loadsAsked.size > 0 || [...state.inflightByModel].some(([model, n]) => n > 0 && !state.readyIds.has(model));
  };

  /** llama-swap lists requests for it, its last scrape showed work, or its in-flight list changed since. */
  const hasWork = (id: string): boolean => {
    const last = lastGood.get(id);
    return (state.inflightByModel.get(id) ?? 0) > 0 || (last !== undefined && !isQuiet(last)) || (state.workSeq.get(id) ?? 0) !== (seenWork.get(id) ?? 0);
  };

  const scrape = singleFlightByKey(async (id: string): Promise<ModelMetricsEntry | null> => {
    // Checked again right before the request: /upstream/<id>/ would load a model that is not
    // ready, or one a menu action is unloading right now.
    if (!state.readyIds.has(id)) return null;
    if (deps.actionInProgress?.() === true) return lastGood.get(id) ?? null;
    // Requests wait for a model that is not ready: llama-swap is loading it, perhaps swapping this
    // one out; a scrape now could load this one back in its place. Its last figures stand meanwhile.
    if (loadUnderway()) return lastGood.get(id) ?? null;
    const work = state.workSeq.get(id) ?? 0;
    const withSlots = hasWork(id);
    const before = withSlots ? await readSlots(id) : null;
    if (!state.readyIds.has(id)) return null;
    const result = await safely(() => deps.api.metrics(id));
    const after = before !== null && result.ok ? await readSlots(id) : null;
    seenWork.set(id, work);
    gate.scraped(id);
    const at = clock();
    // The scrape went through /upstream/<id>/: llama-swap counts it as use of the model.
    noteUse(state.times, id, at);
    if (ctx.changed(`metrics:${id}`, result.ok ? 'ok' : result.error.kind)) {
      debug('metrics', { id, ok: result.ok, ...(result.ok ? {} : { kind: result.error.kind, message: result.error.message }) });
    }
    if (result.ok) {
      const consistent = before !== null && after !== null && processingKey(before) === processingKey(after);
      const input: RateInput = { metrics: result.value, slots: consistent ? after : null };
      let rates;
      try {
        rates = deps.trackRates(rateStates.get(id), input, at);
      } catch {
        // A state from an older run's file that the tracker rejects: start afresh.
        rates = deps.trackRates(undefined, input, at);
      }
      rateStates.set(id, rates.state);
      const entry: ModelMetricsEntry = {
        status: 'ok',
        promptTps: rates.promptTps,
        genTps: rates.genTps,
        processing: result.value.requestsProcessing ?? null,
        deferred: result.value.requestsDeferred ?? null,
        requestsServed: rates.requestsServed ?? null,
        lifetimePromptTps: rates.lifetimePromptTps,
        lifetimeGenTps: rates.lifetimeGenTps,
      };
      lastGood.set(id, entry);
      return entry;
    }
    if (result.error.kind === 'not-supported') {
      absent.add(id);
      return ABSENT;
    }
    if (result.error.kind === 'metrics-disabled') {
      return { status: 'disabled', promptTps: null, genTps: null, processing: null, deferred: null, requestsServed: null };
    }
    const last = lastGood.get(id);
    // Live rates are not carried over a failed scrape: they would describe a moment long gone.
    return {
      status: 'unavailable',
      promptTps: null,
      genTps: null,
      processing: null,
      deferred: null,
      requestsServed: last?.requestsServed ?? null,
      lifetimePromptTps: last?.lifetimePromptTps ?? null,
      lifetimeGenTps: last?.lifetimeGenTps ?? null,
    };
  });

  return async (ids) => {
    for (const id of [...absent]) if (!state.readyIds.has(id)) absent.delete(id);
    for (const id of [...noSlots]) if (!state.readyIds.has(id)) noSlots.delete(id);
    for (const id of [...seenWork.keys()]) if (!state.readyIds.has(id)) seenWork.delete(id);
    // A model llama-swap answered as not ready any more (unloaded, swapped, or llama-swap itself
    // restarted): its next process starts its counters afresh, so none of its figures are kept.
    // While /running fails they stand, to be shown again once it answers.
    if (state.errorStreak === 0) for (const id of [...lastGood.keys()]) if (!state.readyIds.has(id)) lastGood.delete(id);
    const out: Record<string, ModelMetricsEntry> = {};
    for (const id of ids) if (absent.has(id)) out[id] = ABSENT;
    const asked = ids.filter((id) => !absent.has(id));
    if (asked.length === 0) return ctx.stamp(out);
    await freshRunning();
    let now: readonly string[];
    let hold: readonly string[];
    if (state.eventsHealthy) {
      // llama-swap tells when there is work: scrape exactly the models with work to see.
      now = asked.filter((id) => lastGood.get(id) === undefined || hasWork(id));
      hold = asked.filter((id) => !now.includes(id));
    } else {
      const gated = await gate.select(asked, state.running, lastGood);
      now = gated.scrape;
      hold = gated.hold;
    }
    const entries = await Promise.all(now.map(async (id) => [id, await scrape(id)] as const));
    for (const [id, entry] of entries) {
      if (entry) out[id] = entry;
      // Skipped because /running is failing right now: the last figures stand (the menu shows
      // them only once the model is back ready, until its next scrape replaces them).
      else if (state.errorStreak > 0 && lastGood.has(id)) out[id] = lastGood.get(id) as ModelMetricsEntry;
    }
    for (const id of hold) {
      const entry = lastGood.get(id);
      if (entry && state.readyIds.has(id)) out[id] = entry;
    }
    state.queued = state.errorStreak === 0 && Object.values(out).some((e) => (e.processing ?? 0) + (e.deferred ?? 0) > 0);
    return ctx.stamp(out);
  };
}
