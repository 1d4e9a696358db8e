/**
 * Per-model `/upstream/<id>/metrics` scrapes: only for models whose latest state is `ready`, after
 * a fresh /running answer, through the ttl gate; rates computed here, last good figures kept.
 */
import type { RateTrackerState } from '../../system/llama-swap/metrics-rates.js';
import type { ModelMetricsEntry } from '../model/menu-input.js';
import { safely, type PollContext, type Stamped } from './poll-context.js';
import { singleFlightByKey } from './single-flight.js';
import { createTtlGate } from './ttl-gate.js';

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
  const ABSENT: ModelMetricsEntry = { status: 'absent', promptTps: null, genTps: null, processing: null, deferred: null, requestsServed: null };
  const gate = createTtlGate(deps.api.requestCounts?.bind(deps.api));

  const scrape = singleFlightByKey(async (id: string): Promise<ModelMetricsEntry | null> => {
    // Checked again right before the request: /upstream/<id>/ would load a model that is not
    // ready, or one a menu action is unloading right now.
    if (!state.readyIds.has(id)) return null;
    if (deps.actionInProgress?.() === true) return lastGood.get(id) ?? null;
    const result = await safely(() => deps.api.metrics(id));
    gate.scraped(id);
    const at = clock();
    if (ctx.changed(`metrics:${id}`, result.ok ? 'ok' : result.error.kind)) {
      debug('metrics', { id, ok: result.ok, ...(result.ok ? {} : { kind: result.error.kind, message: result.error.message }) });
    }
    if (result.ok) {
      let rates;
      try {
        rates = deps.trackRates(rateStates.get(id), result.value, at);
      } catch {
        // A state from an older run's file that the tracker rejects: start afresh.
        rates = deps.trackRates(undefined, result.value, at);
      }
      rateStates.set(id, rates.state);
      const entry: ModelMetricsEntry = {
        status: 'ok',
        promptTps: rates.promptTps,
        genTps: rates.genTps,
        processing: result.value.requestsProcessing ?? null,
        deferred: result.value.requestsDeferred ?? null,
        requestsServed: rates.requestsServed ?? null,
        // One sample so far (a one-shot frame, or the first scrape): no window to compute rates over.
        noRateWindow: rates.state.samples.length < 2,
        lifetimePromptTps: result.value.promptTokensPerSecond ?? null,
        lifetimeGenTps: result.value.predictedTokensPerSecond ?? null,
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
    return { status: 'unavailable', promptTps: last?.promptTps ?? null, genTps: last?.genTps ?? null, processing: null, deferred: null, requestsServed: last?.requestsServed ?? null };
  });

  return async (ids) => {
    for (const id of [...absent]) if (!state.readyIds.has(id)) absent.delete(id);
    const out: Record<string, ModelMetricsEntry> = {};
    for (const id of ids) if (absent.has(id)) out[id] = ABSENT;
    const asked = ids.filter((id) => !absent.has(id));
    if (asked.length === 0) return ctx.stamp(out);
    await freshRunning();
    // With llama-swap's event stream up, a model with nothing in flight whose last scrape showed
    // nothing running is left alone until a request starts: no idle scrapes (cost), and none that
    // could reach llama-swap just after another client swapped the model out and load it back.
    const quiet = state.eventsHealthy ? asked.filter((id) => (state.inflightByModel.get(id) ?? 0) === 0 && isQuiet(lastGood.get(id))) : [];
    const gated = await gate.select(asked.filter((id) => !quiet.includes(id)), state.running, lastGood);
    const now = gated.scrape;
    const hold = [...gated.hold, ...quiet];
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
