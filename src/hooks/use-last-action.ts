/**
 * Watches `<cacheDir>/last-action.json` (written by the action process): on a new record it shows
 * the message for a while and refreshes everything at once. The folder is watched, not the file:
 * the file may not exist yet and atomic writes replace it. Without fs.watch it polls. Actions
 * this process runs (stdin clicks) are heard directly too (`deps.actionRecords`): their
 * provisional note shows in the next frame, and a record heard first is not taken again from the file.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { useEffect, useRef, useState } from 'react';
import type { LastActionRecord, MenuDeps } from './deps.js';
import type { PollSources } from './polling/poll-sources.js';

/** The message shown in the menu, or null. */
export type ShownAction = { readonly ok: boolean; readonly message: string; readonly pending?: boolean } | null;

const FILE = 'last-action.json';

/** The last action's message while it is fresh; calls `onAction` for every new record. */
export function useLastAction(deps: MenuDeps, sources: PollSources, onAction: () => void): ShownAction {
  const [shown, setShown] = useState<ShownAction>(null);
  const onActionRef = useRef(onAction);
  onActionRef.current = onAction;

  useEffect(() => {
    const { timings, clock } = sources;
    let disposed = false;
    let seenAt = Number.NEGATIVE_INFINITY;
    let hideTimer: NodeJS.Timeout | null = null;
    let pollTimer: NodeJS.Timeout | null = null;
    let watcher: FSWatcher | null = null;
    let reading = false;
    let again = false;

    /** Shows a new record; a provisional one does not count as seen (the action's first record replaces it). */
    const take = (rec: LastActionRecord, initial: boolean, provisional: boolean): void => {
      if (!provisional) seenAt = rec.at;
      deps.debug?.('action result', { ok: rec.ok, message: rec.message, ageMs: clock() - rec.at, initial, provisional: provisional || undefined });
      // A pending record (the action still waits on llama-swap) stays until its wait ends.
      const left = (rec.pendingUntil ?? rec.at + timings.actionShowMs) - clock();
      // The record that was there at start is old news, unless it is recent (one-shot runs).
      if (left > 0 && rec.quiet !== true) {
        setShown({ ok: rec.ok, message: rec.message, ...(rec.pendingUntil !== undefined ? { pending: true } : {}) });
        if (hideTimer) clearTimeout(hideTimer);
        hideTimer = setTimeout(() => setShown(null), left);
        hideTimer.unref();
      }
      if (!initial && !provisional) onActionRef.current();
    };

    const check = async (initial: boolean): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        const rec = await deps.readLastAction().catch(() => null);
        if (disposed || rec === null || !(rec.at > seenAt)) return;
        take(rec, initial, false);
      } finally {
        reading = false;
        if (again && !disposed) {
          again = false;
          void check(false);
        }
      }
    };

    const unsubscribe = deps.actionRecords?.subscribe((rec, provisional) => {
      if (disposed || (!provisional && !(rec.at > seenAt))) return;
      take(rec, false, provisional);
    });

    const poll = (): void => {
      pollTimer = setInterval(() => void check(false), timings.actionPollMs);
      pollTimer.unref();
    };

    void check(true).then(async () => {
      if (disposed) return;
      if (deps.watchActions === false) return poll();
      try {
        await mkdir(deps.config.cacheDir, { recursive: true });
        if (disposed) return;
        watcher = watch(deps.config.cacheDir, { persistent: false }, (_event, name) => {
          if (name === null || name === FILE) void check(false);
        });
        watcher.on('error', () => {
          watcher?.close();
          watcher = null;
          if (!disposed) poll();
        });
      } catch {
        poll();
      }
    });

    return () => {
      disposed = true;
      unsubscribe?.();
      watcher?.close();
      if (pollTimer) clearInterval(pollTimer);
      if (hideTimer) clearTimeout(hideTimer);
    };
  }, [deps, sources]);

  return shown;
}
