/**
 * A call made at most once per `gapMs` on the monotonic clock, the last ask always followed by
 * one: asking while a call waits adds nothing, and the first ask after a quiet gap calls on the
 * next turn of the event loop. For follow-ups that a burst of events asks for again and again
 * (a metrics refresh, refetches), so a burst costs one call per gap, never one per event.
 */
export type SpacedCall = {
  /** Asks for the call: soon, or when the gap since the last one has run. */
  ask(): void;
  /** Drops a call still waiting; later asks are ignored. */
  cancel(): void;
};

export function spacedCall(gapMs: number, monotonic: () => number, call: () => void): SpacedCall {
  let lastAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;
  let cancelled = false;
  return {
    ask() {
      if (timer !== null || cancelled) return;
      // Clamped both ways: a clock read that went backwards never postpones the call.
      const wait = Math.min(gapMs, Math.max(0, lastAt + gapMs - monotonic()));
      timer = setTimeout(() => {
        timer = null;
        lastAt = monotonic();
        if (!cancelled) call();
      }, wait);
    },
    cancel() {
      cancelled = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
