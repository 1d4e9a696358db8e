/**
 * Owns the menu's History: loads `history.json` once, records samples (one per /running poll
 * while busy or when a model's figures moved; while only the machine's figures move, at most one
 * per `historyIdleSampleMs`; none while every figure stays that of the last sample), saves (throttled, atomic) and flushes on
 * unmount. A load that finishes after sampling began is merged: saved samples first, then the
 * ones taken meanwhile. Recording happens outside rendering; the menu re-renders only when the
 * new window would draw different charts (same-picture.ts), so a steady idle menu stays still.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MenuDeps } from './deps.js';
import { History, type HistorySample, type HistorySnapshot } from './history/history.js';
import { createHistorySaver, loadHistory, type HistorySaver } from './history/history-store.js';
import { sameModelsAsLast, samePicture, sameSystemAsLast } from './history/same-picture.js';
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

/** Takes one poll's sample; keeps it or drops it (idle decimation, not newer than the last). */
export type HistoryRecorder = (sample: HistorySample) => void;

/** The current window, and `record` (stable) for every /running answer. */
export function useHistory(deps: MenuDeps, sources: PollSources): { readonly view: HistoryView; readonly record: HistoryRecorder } {
  const capacity = deps.config.historySize;
  const historyRef = useRef<History | null>(null);
  historyRef.current ??= new History({ capacity });
  const saverRef = useRef<HistorySaver | null>(null);
  const [loaded, setLoaded] = useState(deps.persistHistory === false);
  const [warning, setWarning] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const loadedRef = useRef(loaded);
  /** The snapshot the menu shows now. */
  const shownRef = useRef<HistorySnapshot | null>(null);

  useEffect(() => {
    if (deps.persistHistory === false) return;
    let disposed = false;
    const saver = createHistorySaver({
      cacheDir: deps.config.cacheDir,
      throttleMs: sources.timings.historySaveMs,
      clock: sources.clock,
      monotonic: sources.monotonic,
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
      loadedRef.current = true;
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

  // The wall clock set back: the samples keep their age (re-anchored by the jump), else every
  // new sample would be "older" than the last and refused until the clock caught up again. A
  // forward jump (a sleep) needs nothing: the next sample is far enough on to be marked a gap.
  useEffect(
    () =>
      sources.onClockJump((jump) => {
        if (jump.ms >= 0 || historyRef.current === null) return;
        historyRef.current.shiftTimes(jump.ms);
        setVersion((v) => v + 1);
      }),
    [sources],
  );

  const record = useCallback<HistoryRecorder>(
    (sample) => {
      const history = historyRef.current;
      if (history === null) return;
      const { state, timings } = sources;
      const busy = state.queued || state.transitional;
      const last = history.lastSampleAt;
      // Idle, only the machine's figures decimated: a model figure that moved (a rate after the
      // last request ended, memory) is kept at once, so no value shown is missing from the history.
      // A change of machine is recorded at once: the system charts restart with the new source.
      const sameSource = sample.system === null || (sample.systemSource ?? null) === (history.snapshot().systemSource ?? null);
      if (!busy && last !== null && sameSource && sameModelsAsLast(history.snapshot(), sample)) {
        if (sample.at - last < timings.historyIdleSampleMs) return;
        // Idle and unchanged: no sample, so the charts do not slide (nothing changed, nothing drawn).
        if (sameSystemAsLast(history.snapshot(), sample)) return history.touch(sample.at);
      }
      if (!history.record(sample)) return;
      const next = history.snapshot();
      if (loadedRef.current) saverRef.current?.schedule(next);
      const shown = shownRef.current;
      if (shown === null || !samePicture(shown, next)) setVersion((v) => v + 1);
    },
    [sources],
  );

  // `version` re-reads the history after a sample changed the picture or a load replaced it.
  const snapshot = useMemo(() => (historyRef.current ?? new History({ capacity })).snapshot(), [version, capacity]);
  shownRef.current = snapshot;

  useEffect(() => {
    if (loaded && snapshot.times.length > 0) saverRef.current?.schedule(snapshot);
  }, [loaded, snapshot]);

  const view = useMemo(() => ({ snapshot, warning, saveError }), [snapshot, warning, saveError]);
  return { view, record };
}
