/**
 * The record of the last menu action, `<cacheDir>/last-action.json`, written atomically by the
 * action process and watched by the streaming plugin (which shows the message and refreshes).
 */
import { lstatSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileSafely, type SafeWriteResult } from '../safe-file.js';
import { CACHE_FILE_LIMITS, readCacheFile, setAsideWarning } from '../cache-file.js';

export type LastAction = {
  readonly action: string;
  readonly args: readonly string[];
  readonly ok: boolean;
  readonly message: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  /**
   * Set while the action still waits on llama-swap: the message says for what, and this is when
   * the wait ends at the latest (the menu shows the message until then or the next record).
   */
  readonly pendingUntil?: number;
  /** A signal only (Refresh): the menu reads everything again and shows no message. */
  readonly quiet?: boolean;
};

export const LAST_ACTION_FILE = 'last-action.json';

/**
 * Present while a menu action runs. The streaming plugin sends no `/upstream/<id>/metrics`
 * scrape meanwhile: a scrape that reaches llama-swap just after an Unload would load the model
 * straight back (seen with the real llama-swap on a loaded machine).
 */
export const ACTION_PENDING_FILE = 'action-pending';
/**
 * An older marker is a crashed action's leftover, not a running one. An action that waits longer
 * renews its marker every ACTION_PENDING_RENEW_MS.
 */
const ACTION_PENDING_MAX_AGE_MS = 30_000;
export const ACTION_PENDING_RENEW_MS = 10_000;

/** Marks an action as running (best effort: a marker that cannot be written only widens a race). */
export async function markActionPending(cacheDir: string, action: string): Promise<void> {
  await writeFileSafely(path.join(cacheDir, ACTION_PENDING_FILE), `${action}\n`, { mode: 0o600, onSymlink: 'replace' });
}

export async function clearActionPending(cacheDir: string): Promise<void> {
  await rm(path.join(cacheDir, ACTION_PENDING_FILE), { force: true }).catch(() => undefined);
}

/** True while an action's marker exists and is fresh. Synchronous: checked right before each scrape. */
export function isActionPending(cacheDir: string, now: number = Date.now()): boolean {
  const st = lstatSync(path.join(cacheDir, ACTION_PENDING_FILE), { throwIfNoEntry: false });
  return st !== undefined && st.isFile() && now - st.mtimeMs < ACTION_PENDING_MAX_AGE_MS;
}

/** Path of the record inside a cache directory. */
export function lastActionPath(cacheDir: string): string {
  return path.join(cacheDir, LAST_ACTION_FILE);
}

/** Writes the record atomically (0600: it may name model ids); says why when the disk refused. */
export function writeLastAction(cacheDir: string, rec: LastAction): Promise<SafeWriteResult> {
  return writeFileSafely(lastActionPath(cacheDir), `${JSON.stringify(rec)}\n`, { mode: 0o600, onSymlink: 'replace' });
}

function isLastAction(v: unknown): v is LastAction {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.action === 'string' &&
    Array.isArray(o.args) &&
    o.args.every((a) => typeof a === 'string') &&
    typeof o.ok === 'boolean' &&
    typeof o.message === 'string' &&
    typeof o.at === 'number' &&
    Number.isFinite(o.at) &&
    (o.pendingUntil === undefined || (typeof o.pendingUntil === 'number' && Number.isFinite(o.pendingUntil)))
  );
}

/**
 * Reads the record; null when absent or malformed. A file that had to be set aside (not a
 * regular file, or too large) comes back as a failed record saying so, shown like any result.
 */
export async function readLastAction(cacheDir: string, clock: () => number = Date.now): Promise<LastAction | null> {
  const read = await readCacheFile(lastActionPath(cacheDir), { maxBytes: CACHE_FILE_LIMITS.lastAction, clock });
  if (read.kind === 'set-aside') return { action: 'read-last-action', args: [], ok: false, message: setAsideWarning('Last action file', read), at: clock() };
  if (read.kind !== 'text') return null;
  try {
    const data: unknown = JSON.parse(read.text);
    return isLastAction(data) ? data : null;
  } catch {
    return null;
  }
}
