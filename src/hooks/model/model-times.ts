/**
 * When each model started loading, became ready and was last used, on the hooks' clock, and the
 * figures the menu derives from them: elapsed load time, the countdown of a `ttl`. llama-swap
 * counts a ttl from the end of a model's last request (ProcessCommand.ServeHTTP stores lastUse
 * when a request completes, the ttl goroutine checks every second and waits while requests are in
 * flight), and a /upstream/ scrape of ours is such a request too.
 */

export type ModelTimes = {
  readonly loadingSince: Map<string, number>;
  /** Only for models seen loading and then ready (one ready at the first look has no known start). */
  readonly readySince: Map<string, number>;
  /** Models ready now, and when their last request (or scrape of ours) ended. */
  readonly lastUseAt: Map<string, number>;
};

export function createModelTimes(): ModelTimes {
  return { loadingSince: new Map(), readySince: new Map(), lastUseAt: new Map() };
}

/** A load that ended in `ready`, and how long it took. */
export type FinishedLoad = { readonly id: string; readonly ms: number };

/**
 * Folds one look at the models' states in (a /running answer or a `modelStatus` event); returns
 * the loads that finished. A model seen for the first time already loading counts from now (its
 * elapsed time is a lower bound and its load is not recorded: part of it was not seen).
 */
export function observeStates(times: ModelTimes, states: Iterable<readonly [string, string]>, now: number): FinishedLoad[] {
  const finished: FinishedLoad[] = [];
  const seen = new Set<string>();
  for (const [id, state] of states) {
    seen.add(id);
    if (state === 'starting') {
      if (!times.loadingSince.has(id)) times.loadingSince.set(id, now);
      times.readySince.delete(id);
    } else if (state === 'ready') {
      const since = times.loadingSince.get(id);
      if (since !== undefined) {
        finished.push({ id, ms: now - since });
        times.readySince.set(id, now);
      }
      times.loadingSince.delete(id);
      // Becoming ready (or first seen so) starts the ttl's idle clock until a request ends.
      if (!times.lastUseAt.has(id)) times.lastUseAt.set(id, now);
    } else {
      times.loadingSince.delete(id);
      times.readySince.delete(id);
      times.lastUseAt.delete(id);
    }
    if (state === 'starting') times.lastUseAt.delete(id);
  }
  for (const map of [times.loadingSince, times.readySince, times.lastUseAt]) for (const id of [...map.keys()]) if (!seen.has(id)) map.delete(id);
  return finished;
}

/** A request for the model ended (or one of our scrapes did): its ttl counts from now. */
export function noteUse(times: ModelTimes, id: string, now: number): void {
  if (times.lastUseAt.has(id)) times.lastUseAt.set(id, now);
}

/** Milliseconds left before llama-swap unloads an idle model with a ttl; null when it has none or its last use is unknown. */
export function unloadsInMs(ttlSeconds: number, lastUseAt: number | undefined, now: number): number | null {
  if (ttlSeconds <= 0 || lastUseAt === undefined) return null;
  return lastUseAt + ttlSeconds * 1000 - now;
}
