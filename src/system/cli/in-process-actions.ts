/**
 * Menu actions run inside the plugin process (a SwiftBar 2.1 `stdin=` click): the same CLI
 * code a `bash=` click runs through the wrapper (runCli: id decoding, checks against the live
 * lists, waits, last-action.json, notification), without starting node. Listeners hear at once
 * a provisional record saying what the click does ("Unloading "qwen"…"), then each record the
 * action writes, so the menu shows progress and outcome without waiting for the file watcher.
 */
import { decodeIdArgs } from './actions.js';
import { clearActionPending, writeLastAction, type LastAction } from './action-log.js';
import { progressText } from './action-text.js';
import { runCli, type CliDeps } from './cli.js';
import type { DebugFields } from '../debug-log.js';
import type { ActionName } from '../types.js';

/**
 * `provisional`: the click's own "in progress" note, not a record of the action; the action's
 * first record replaces it.
 */
export type ActionRecordListener = (rec: LastAction, provisional: boolean, leading: readonly string[]) => void;

export type InProcessActions = {
  /**
   * Starts an action; a click on an action already running with the same arguments is ignored.
   * `leading`: argv before the action (`--host <name>` for a named host's action), handed back
   * with each of its records so a host's menu hears only its own.
   */
  run(action: ActionName, args: readonly string[], leading?: readonly string[]): void;
  subscribe(listener: ActionRecordListener): () => void;
  /** Resolves once no action runs (tests). */
  idle(): Promise<void>;
  /**
   * The plugin is stopping (SwiftBar's SIGTERM) with actions still waiting on llama-swap: records
   * that the menu stopped waiting, so the next start does not show a stale "Loading…" for the
   * whole wait, and lifts the no-scrape marker. llama-swap itself carries on with the request.
   */
  interrupt(cacheDir: string): Promise<void>;
};

/** The longest a provisional note can stay: the longest action wait (load, 10 min) plus its checks. */
const PROVISIONAL_MS = 11 * 60_000;

type Log = (message: string, fields?: DebugFields) => void;

/** `deps` without the sinks: the action's printed lines go to `log` (the debug log). */
export function createInProcessActions(deps: Omit<CliDeps, 'stdout' | 'stderr' | 'onRecord'>, log: Log = () => undefined): InProcessActions {
  const listeners = new Set<ActionRecordListener>();
  const running = new Map<string, Promise<void>>();
  /** What each running action is doing, for interrupt(). */
  const doing = new Map<string, { readonly action: string; readonly args: readonly string[]; readonly words: string }>();
  const now = deps.now ?? Date.now;
  const publishFor = (leading: readonly string[]) => (rec: LastAction, provisional: boolean): void => {
    for (const l of [...listeners]) l(rec, provisional, leading);
  };

  return {
    run(action, args, leading = []) {
      const key = JSON.stringify([...leading, action, ...args]);
      const publish = publishFor(leading);
      if (running.has(key)) {
        log('click ignored: the same action is still running', { action });
        return;
      }
      const decoded = decodeIdArgs(args);
      const progress = progressText(action, decoded.ok ? decoded.args[0] : undefined);
      const at = now();
      if (progress !== null) publish({ action, args, ok: true, message: progress, at, pendingUntil: at + PROVISIONAL_MS }, true);
      doing.set(key, { action, args, words: progress ?? action });
      let stderr = '';
      let sawRecord = false;
      const job = runCli([...leading, action, ...args], {
        ...deps,
        stdout: { write: (text: string) => log('action output', { action, text: String(text).trim() }) },
        stderr: { write: (text: string) => void (stderr += String(text)) },
        onRecord: (rec) => {
          sawRecord = true;
          // The outcome is known: nothing left to interrupt.
          if (rec.pendingUntil === undefined) doing.delete(key);
          publish(rec, false);
        },
      })
        .then((code) => {
          log('action done', { action, code, stderr: stderr.trim() || undefined });
          // Refused before it ran (bad arguments): no record was written, so say why here.
          if (!sawRecord && code !== 0) publish({ action, args, ok: false, message: stderr.trim() || `${action} failed (exit code ${code})`, at: now() }, false);
        })
        .catch((error: unknown) => {
          log('action crashed', { action, error: String(error) });
          publish({ action, args, ok: false, message: `${action}: unexpected error: ${(error as Error).message}`, at: now() }, false);
        })
        .finally(() => {
          running.delete(key);
          doing.delete(key);
        });
      running.set(key, job);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    async interrupt(cacheDir) {
      const left = [...doing.values()];
      if (left.length === 0) return;
      const words = left.map((d) => d.words.replace(/…$/, '')).join('; ');
      const last = left[left.length - 1];
      // Not a failure: llama-swap may well finish it; the next start shows the real state.
      await writeLastAction(cacheDir, { action: last?.action ?? '', args: last?.args ?? [], ok: true, message: `${words}: the menu restarted before llama-swap answered`, at: now() });
      await clearActionPending(cacheDir);
    },
  };
}
