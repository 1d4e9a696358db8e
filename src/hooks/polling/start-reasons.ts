/**
 * Why models failed to start, read from llama-swap's log: `/logs` first (every version so far),
 * then, for reasons not found there, the proxy log through newer llama-swap's
 * `/api/events/logs?stream=proxy` (`/logs` holds the proxy lines only when `logToStdout` sends
 * them to stdout; the per-stream history always has them). One read in flight at most: models
 * failing meanwhile are read together by one more read after it.
 */
import type { Result } from '../../system/types.js';
import { startFailureReason } from './live-state.js';

export type ReasonLogs = {
  readonly logs?: () => Promise<Result<string>>;
  readonly proxyLog?: () => Promise<Result<string>>;
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

export function createReasonReader(api: ReasonLogs, onReason: (id: string, reason: string | null) => void): ReasonReader {
  const pending = new Set<string>();
  let reading = false;
  let stopped = false;
  // An older llama-swap answers 404 there: asked once, not again.
  let useProxyLog = true;

  const next = (): void => {
    if (reading || stopped || pending.size === 0) return;
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
    },
  };
}
