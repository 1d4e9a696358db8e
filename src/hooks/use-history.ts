/**
 * Owns the menu's History: loads `history.json` once, records one sample per /running poll,
 * saves (throttled, atomic) and flushes on unmount. A load that finishes after sampling began
 * is merged: saved samples first, then the ones taken meanwhile.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MenuDeps } from './deps.js';
import { History, type HistorySample, type HistorySnapshot } from './history/history.js';
import { createHistorySaver, loadHistory, type HistorySaver } from './history/history-store.js';
import type { PollSources } from './polling/poll-sources.js';

export type HistoryView = {
  readonly snapshot: HistorySnapshot;
  /** Why the saved file was ignored, if it was. */
  readonly warning: string | null;
  /** Why the latest save failed ("History not saved: <file>: ENOSPC (…)"), until one succeeds. */
  readonly saveError: string | null;
};

const live = new Set<HistorySaver>();
const closing = new Set<Promise<void>>();

/** Writes every pending history save now, including those of unmounted menus (call before exit). */
export async function flushHistory(): Promise<void> {
  await Promise.all([...[...live].map((s) => s.flush()), ...closing]);
}

/** Records `sample` (at most once per `sample.at`) and returns the current window. */
export function useHistory(deps: MenuDeps, sources: PollSources, sample: HistorySample | null): HistoryView {
  const capacity = deps.config.historySize;
  const historyRef = useRef<History | null>(null);
  historyRef.current ??= new History({ capacity });
  const saverRef = useRef<HistorySaver | null>(null);
  const [loaded, setLoaded] = useState(deps.persistHistory === false);
  const [warning, setWarning] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (deps.persistHistory === false) return;
    let disposed = false;
    const saver = createHistorySaver({
      cacheDir: deps.config.cacheDir,
      throttleMs: sources.timings.historySaveMs,
      clock: sources.clock,
      onError: (message) => {
        deps.debug?.(message === null ? 'history saved again' : 'history save failed', { message });
        if (!disposed) setSaveError(message);
      },
    });
    saverRef.current = saver;
    live.add(saver);
    // The ring can hold `capacity` idle polls; anything older would have been dropped anyway.
    const windowMs = capacity * sources.timings.idleMs;
    void loadHistory(deps.config.cacheDir, sources.clock(), windowMs, capacity).then((result) => {
      if (disposed) return;
      deps.debug?.('history loaded', { samples: result.snapshot?.times.length ?? 0, warning: result.warning });
      if (result.snapshot) {
        const merged = History.from(result.snapshot, { capacity });
        if (historyRef.current) merged.append(historyRef.current.snapshot());
        historyRef.current = merged;
      }
      setWarning(result.warning);
      setLoaded(true);
      setVersion((v) => v + 1);
    });
    return () => {
      disposed = true;
      saverRef.current = null;
      live.delete(saver);
      // Nothing is scheduled before the load finished, so an unloaded history never overwrites the file.
      const done = saver.flush();
      closing.add(done);
      void done.finally(() => closing.delete(done));
    };
  }, [deps, sources, capacity]);

  const snapshot = useMemo(() => {
    const history = historyRef.current ?? new History({ capacity });
    if (sample) history.record(sample);
    return history.snapshot();
    // `version` re-reads the history after a load replaced it.
  }, [sample, version, capacity]);

  useEffect(() => {
    if (loaded && snapshot.times.length > 0) saverRef.current?.schedule(snapshot);
  }, [loaded, snapshot]);

  return useMemo(() => ({ snapshot, warning, saveError }), [snapshot, warning, saveError]);
}
