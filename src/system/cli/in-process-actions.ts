/**
 * Menu actions run inside the plugin process (a SwiftBar 2.1 `stdin=` click): the same CLI
 * code a `bash=` click runs through the wrapper (runCli: id decoding, checks against the live
 * lists, waits, last-action.json, notification), without starting node. Listeners hear at once
 * a provisional record saying what the click does ("Unloading "qwen"…"), then each record the
 * action writes, so the menu shows progress and outcome without waiting for the file watcher.
 */
import { decodeIdArgs } from './actions.js';
import type { LastAction } from './action-log.js';
import { progressText } from './action-text.js';
import { runCli, type CliDeps } from './cli.js';
import type { DebugFields } from '../debug-log.js';
import type { ActionName } from '../types.js';

/**
 * `provisional`: the click's own "in progress" note, not a record of the action; the action's
 * first record replaces it.
 */
export type ActionRecordListener = (rec: LastAction, provisional: boolean) => void;

export type InProcessActions = {
  /** Starts an action; a click on an action already running with the same arguments is ignored. */
  run(action: ActionName, args: readonly string[]): void;
  subscribe(listener: ActionRecordListener): () => void;
  /** Resolves once no action runs (shutdown, tests). */
  idle(): Promise<void>;
};

/** The longest a provisional note can stay: the longest action wait (load, 10 min) plus its checks. */
const PROVISIONAL_MS = 11 * 60_000;

type Log = (message: string, fields?: DebugFields) => void;

/** `deps` without the sinks: the action's printed lines go to `log` (the debug log). */
export function createInProcessActions(deps: Omit<CliDeps, 'stdout' | 'stderr' | 'onRecord'>, log: Log = () => undefined): InProcessActions {
  const listeners = new Set<ActionRecordListener>();
  const running = new Map<string, Promise<void>>();
  const now = deps.now ?? Date.now;
  const publish = (rec: LastAction, provisional: boolean): void => {
    for (const l of [...listeners]) l(rec, provisional);
  };

  return {
    run(action, args) {
      const key = JSON.stringify([action, ...args]);
      if (running.has(key)) {
        log('click ignored: the same action is still running', { action });
        return;
      }
      const decoded = decodeIdArgs(args);
      const progress = progressText(action, decoded.ok ? decoded.args[0] : undefined);
      const at = now();
      if (progress !== null) publish({ action, args, ok: true, message: progress, at, pendingUntil: at + PROVISIONAL_MS }, true);
      let stderr = '';
      let sawRecord = false;
      const job = runCli([action, ...args], {
        ...deps,
        stdout: { write: (text: string) => log('action output', { action, text: String(text).trim() }) },
        stderr: { write: (text: string) => void (stderr += String(text)) },
        onRecord: (rec) => {
          sawRecord = true;
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
        .finally(() => running.delete(key));
      running.set(key, job);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}
