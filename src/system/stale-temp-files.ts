/**
 * Removes the temporary files writeFileSafely leaves behind when the plugin is killed mid-save
 * (`.history.json.<pid>.<hex>.tmp`): only files of exactly that shape, for names we write,
 * whose writer is gone (or which are older than any save could take). Nothing else is touched.
 */
import { opendir, lstat, rm } from 'node:fs/promises';
import path from 'node:path';

export type StaleTempOptions = {
  /** The file names we write in the folder (history.json, rates.json…). */
  readonly names: readonly string[];
  /** A temporary file older than this is stale even if its pid runs (pids are reused). @default 5 min */
  readonly maxAgeMs?: number;
  /** @default Date.now */
  readonly clock?: () => number;
  /** Whether a process runs; @default signal 0 (EPERM counts as running). */
  readonly isAlive?: (pid: number) => boolean;
  /** Entries looked at, at most (a folder flooded with files does not stall the start). @default 10000 */
  readonly maxEntries?: number;
};

const TEMP = /^\.(.+)\.(\d{1,10})\.[0-9a-f]{8}\.tmp$/;

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes stale temporary files of ours in `dir`; the names removed (never rejects). */
export async function removeStaleTempFiles(dir: string, options: StaleTempOptions): Promise<string[]> {
  const maxAge = options.maxAgeMs ?? 5 * 60_000;
  const now = (options.clock ?? Date.now)();
  const isAlive = options.isAlive ?? processRuns;
  const maxEntries = options.maxEntries ?? 10_000;
  const removed: string[] = [];
  let seen = 0;
  try {
    const folder = await opendir(dir);
    for await (const entry of folder) {
      if ((seen += 1) > maxEntries) break;
      const match = TEMP.exec(entry.name);
      if (!match || !entry.isFile() || !options.names.includes(match[1] ?? '')) continue;
      const pid = Number(match[2]);
      const file = path.join(dir, entry.name);
      const st = await lstat(file).catch(() => null);
      if (st === null || !st.isFile()) continue;
      const old = now - st.mtimeMs > maxAge;
      if (!old && (pid === process.pid || isAlive(pid))) continue;
      await rm(file, { force: true }).then(
        () => removed.push(entry.name),
        () => undefined,
      );
    }
  } catch {
    // No folder yet, or unreadable: nothing to clean.
  }
  return removed;
}
