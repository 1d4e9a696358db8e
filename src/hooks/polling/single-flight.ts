/**
 * At most one call of `fn` in flight. A call made while one runs does not start a second one:
 * it waits for the running call, then shares one fresh follow-up call (so a refresh asked after
 * a menu action still sees the world after the action, without overlapping requests).
 */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const run = fn().finally(() => {
      if (current === run) current = null;
    });
    current = run;
    return run;
  };
  return () => {
    if (current === null) return start();
    if (next === null) {
      const settle = (): Promise<T> => {
        next = null;
        return start();
      };
      next = current.then(settle, settle);
    }
    return next;
  };
}

/** One single-flight wrapper per key (e.g. per model id). */
export function singleFlightByKey<T>(fn: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const flights = new Map<string, () => Promise<T>>();
  return (key) => {
    let flight = flights.get(key);
    if (!flight) {
      flight = singleFlight(() => fn(key));
      flights.set(key, flight);
    }
    return flight();
  };
}
