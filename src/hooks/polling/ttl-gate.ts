/**
 * Keeps the monitor from keeping models loaded. llama-swap counts every proxied request as use
 * (ProcessCommand.ServeHTTP stores lastUse), so scraping /upstream/<id>/metrics every few seconds
 * would reset a model's `ttl` idle clock forever. For a model with a ttl we therefore scrape only
 * when there is a reason: its first figures after becoming ready, requests seen in flight at the
 * previous scrape, or a change in llama-swap's own request count (/api/metrics/activity, which is
 * not proxied). Without that endpoint every poll scrapes, as before.
 */
import type { Result, RunningModel } from '../../system/types.js';
import type { ModelMetricsEntry } from '../model/menu-input.js';

/** llama-swap's request count per model (the client's `requestCounts`). */
export type RequestCounts = (ids: readonly string[]) => Promise<Result<ReadonlyMap<string, number>>>;

export type TtlGate = {
  /** Splits ready ids into those to scrape now and those to show from their last scrape. */
  select(
    ids: readonly string[],
    running: readonly RunningModel[],
    last: ReadonlyMap<string, ModelMetricsEntry>,
  ): Promise<{ readonly scrape: readonly string[]; readonly hold: readonly string[] }>;
  /** Records that a model was scraped. */
  scraped(id: string): void;
};

/** A gate over `requestCounts`; with none, everything is scraped. */
export function createTtlGate(requestCounts: RequestCounts | undefined): TtlGate {
  let supported = requestCounts !== undefined;
  const seen = new Set<string>();
  const counts = new Map<string, number>();

  return {
    async select(ids, running, last) {
      for (const id of [...seen]) if (!ids.includes(id)) {
        seen.delete(id);
        counts.delete(id);
      }
      const ttl = new Map(running.map((m) => [m.id, m.ttl]));
      const quiet = ids.filter((id) => {
        if ((ttl.get(id) ?? 0) <= 0 || !seen.has(id)) return false;
        const e = last.get(id);
        return e !== undefined && (e.processing ?? 0) + (e.deferred ?? 0) === 0;
      });
      if (!supported || quiet.length === 0 || !requestCounts) return { scrape: ids, hold: [] };
      let answer: Awaited<ReturnType<RequestCounts>>;
      try {
        answer = await requestCounts(quiet);
      } catch (error) {
        answer = { ok: false, error: { kind: 'invalid-response', message: String(error) } };
      }
      if (!answer.ok) {
        if (answer.error.kind === 'not-supported') supported = false;
        return { scrape: ids, hold: [] };
      }
      const hold: string[] = [];
      for (const id of quiet) {
        const now = answer.value.get(id);
        const before = counts.get(id);
        if (now !== undefined) counts.set(id, now);
        // Unchanged (or first seen) count and nothing in flight last time: leave the model alone.
        if (now !== undefined && (before === undefined || before === now)) hold.push(id);
      }
      return { scrape: ids.filter((id) => !hold.includes(id)), hold };
    },
    scraped(id) {
      seen.add(id);
    },
  };
}
