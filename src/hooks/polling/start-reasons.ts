/**
 * Why models failed to start, read from llama-swap's log: `/logs` first (every version so far),
 * then, for reasons not found there, the proxy log through newer llama-swap's
 * `/api/events/logs?stream=proxy` (`/logs` holds the proxy lines only when `logToStdout` sends
 * them to stdout; the per-stream history always has them). One read in flight at most, and one
 * start of a read per READ_GAP_MS: models failing meanwhile (a model flapping starting → stopped
 * a thousand times a second too) are read together by one more read after it.
 */
import type { Result } from '../../system/types.js';
import { startFailureReason } from './live-state.js';

export type ReasonLogs = {
  readonly logs?: () => Promise<Result<string>>;
  readonly proxyLog?: () => Promise<Result<string>>;
};

/** Least time between the starts of two log reads (a log can be megabytes). */
export const READ_GAP_MS = 5000;

export type ReasonReaderOptions = {
  readonly minGapMs?: number;
  readonly clock?: () => number;
};

export type ReasonReader = {
  /** Reads the reason of `id` (soon, or after the read in flight). */
  request(id: string): void;
  /** Drops what is pending; a read in flight reports nothing. */
  stop(): void;
};

async function readReasons(api: ReasonLogs, ids: readonly string[], useProxyLog: boolean): Promise<{ reasons: Map<string, string | null>; proxyLogMissing: boolean }> {
  const reasons = new Map<string, string | null>(ids.map((id) => [id, null]));
  const fill = (log: string): void => {
    for (const id of ids) if (reasons.get(id) === null) reasons.set(id, startFailureReason(log, id));
  };
  const logs = api.logs ? await api.logs().catch(() => null) : null;
  if (logs?.ok) fill(logs.value);
  if (!useProxyLog || api.proxyLog === undefined || ![...reasons.values()].includes(null)) return { reasons, proxyLogMissing: false };
  const proxy = await api.proxyLog().catch(() => null);
  if (proxy?.ok) fill(proxy.value);
  return { reasons, proxyLogMissing: proxy !== null && !proxy.ok && proxy.error.kind === 'not-supported' };
}

export function createReasonReader(api: ReasonLogs, onReason: (id: string, reason: string | null) => void, options: ReasonReaderOptions = {}): ReasonReader {
  const gapMs = options.minGapMs ?? READ_GAP_MS;
  const clock = options.clock ?? Date.now;
  const pending = new Set<string>();
  let reading = false;
  let stopped = false;
  let startedAt = Number.NEGATIVE_INFINITY;
  let waiting: NodeJS.Timeout | null = null;
  // An older llama-swap answers 404 there: asked once, not again.
  let useProxyLog = true;

  /** `waited`: the gap has run on the timer, whatever the clock says now. */
  const next = (waited = false): void => {
    if (reading || stopped || waiting !== null || pending.size === 0) return;
    // Clamped both ways: a clock that jumps back must not postpone the read.
    const wait = waited ? 0 : Math.min(gapMs, Math.max(0, startedAt + gapMs - clock()));
    if (wait > 0) {
      waiting = setTimeout(() => {
        waiting = null;
        next(true);
      }, wait);
      return;
    }
    startedAt = clock();
    const ids = [...pending];
    pending.clear();
    reading = true;
    void readReasons(api, ids, useProxyLog).then(({ reasons, proxyLogMissing }) => {
      reading = false;
      if (stopped) return;
      if (proxyLogMissing) useProxyLog = false;
      for (const [id, reason] of reasons) onReason(id, reason);
      next();
    });
  };

  return {
    request(id) {
      if (stopped || (api.logs === undefined && api.proxyLog === undefined)) return;
      pending.add(id);
      next();
    },
    stop() {
      stopped = true;
      pending.clear();
      if (waiting !== null) clearTimeout(waiting);
      waiting = null;
    },
  };
}
