/**
 * The record of the last menu action, `<cacheDir>/last-action.json`, written atomically by the
 * action process and watched by the streaming plugin (which shows the message and refreshes).
 */
import path from 'node:path';
import { readOwnFile, writeFileSafely, type SafeWriteResult } from '../safe-file.js';

export type LastAction = {
  readonly action: string;
  readonly args: readonly string[];
  readonly ok: boolean;
  readonly message: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
};

export const LAST_ACTION_FILE = 'last-action.json';

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
    Number.isFinite(o.at)
  );
}

/** Reads the record; null when absent or malformed. */
export async function readLastAction(cacheDir: string): Promise<LastAction | null> {
  try {
    const data: unknown = JSON.parse(await readOwnFile(lastActionPath(cacheDir)));
    return isLastAction(data) ? data : null;
  } catch {
    return null;
  }
}
