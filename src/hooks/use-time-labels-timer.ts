/**
 * Keeps the time labels moving while nothing else changes: a loading model's elapsed seconds
 * (every second: a load is short and watched), a ttl countdown (by the minute, in 10 s steps in
 * its last two minutes) and a ready model's uptime (by the minute), whichever clock it counts
 * from (llama-swap's ready time or the load the plugin saw finish). The caller rebuilds the menu
 * model when told, and only then, so an idle menu writes a frame only when a label changes.
 */
import { useEffect } from 'react';
import { countdownStepMs, type ModelView } from '../components/model.js';

/** Milliseconds until any shown time label changes, null when none will. */
export function nextLabelChangeMs(models: readonly ModelView[]): number | null {
  let next: number | null = null;
  const consider = (ms: number): void => {
    next = next === null ? ms : Math.min(next, ms);
  };
  const MINUTE_MS = 60_000;
  for (const m of models) {
    if (m.state === 'starting' && m.loadingMs !== undefined) consider(1000 - (m.loadingMs % 1000));
    // "Ready for N min": the next whole minute.
    if (m.uptimeMs !== undefined) consider(MINUTE_MS - (Math.max(0, m.uptimeMs) % MINUTE_MS));
    if (m.unloadsInMs !== undefined && m.unloadsInMs > 0) {
      // The shown value (rounded up to its step) changes when the time left crosses a step.
      const step = countdownStepMs(m.unloadsInMs);
      consider(m.unloadsInMs % step || step);
    }
  }
  return next;
}

/**
 * Calls `onChange` when the next time label of `models` changes (rescheduled for every new list),
 * or after `maxWaitMs` at the latest: a clock set forward meanwhile is seen that soon.
 */
export function useTimeLabelsTimer(models: readonly ModelView[], onChange: () => void, maxWaitMs: number): void {
  useEffect(() => {
    const wait = nextLabelChangeMs(models);
    if (wait === null) return undefined;
    // A few ms late, so the clock read at the rebuild is past the change.
    const timer = setTimeout(onChange, Math.min(wait + 5, maxWaitMs));
    timer.unref();
    return () => clearTimeout(timer);
  }, [models, onChange, maxWaitMs]);
}
