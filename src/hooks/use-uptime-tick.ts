/**
 * Keeps ready models' uptimes moving while nothing else changes: returns a value that changes
 * each time one of them reaches a new whole minute (the menu shows uptime by the minute), so
 * the menu re-renders about once a minute per distinct uptime, never more.
 */
import { useEffect, useState } from 'react';
import type { LiveState } from './polling/live-state.js';
import type { PollSources } from './polling/poll-sources.js';

const MINUTE_MS = 60_000;

/** Whole minutes of every uptime at `now`, as one comparable key. */
export function uptimeMinutes(readyAt: ReadonlyMap<string, number>, now: number): string {
  return [...readyAt.values()].map((at) => Math.floor(Math.max(0, now - at) / MINUTE_MS)).join(',');
}

/** Milliseconds until the next uptime reaches a new whole minute (at least 1). */
export function msToNextMinute(readyAt: ReadonlyMap<string, number>, now: number): number {
  let next = MINUTE_MS;
  for (const at of readyAt.values()) {
    const up = Math.max(0, now - at);
    next = Math.min(next, MINUTE_MS - (up % MINUTE_MS));
  }
  return Math.max(1, next);
}

export function useUptimeTick(sources: PollSources, live: LiveState | null): string {
  const readyAt = live?.connected ? live.readyAt : null;
  const [key, setKey] = useState('');
  useEffect(() => {
    if (readyAt === null || readyAt.size === 0) return undefined;
    let timer: NodeJS.Timeout | null = null;
    const look = (): void => {
      const now = sources.clock();
      // The same key keeps the same state: React skips the render.
      setKey(uptimeMinutes(readyAt, now));
      timer = setTimeout(look, Math.min(sources.timings.uptimeCheckMs, msToNextMinute(readyAt, now) + 5));
    };
    look();
    return () => {
      if (timer !== null) clearTimeout(timer);
    };
  }, [readyAt, sources]);
  return key;
}
