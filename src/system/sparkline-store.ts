/**
 * The sparkline image cache on disk (`<cacheDir>/sparklines.json`), so a one-shot run whose
 * charts were all drawn before never loads satori or resvg (~150 ms). Entries are opaque
 * [key, base64 PNG] pairs; `drawing` names the code that drew them (the bundle's size and
 * mtime), so a rebuilt plugin, whose charts may look different, ignores the old file.
 */
import path from 'node:path';
import { writeFileSafely } from './safe-file.js';
import { CACHE_FILE_LIMITS, readCacheFile, setAsideWarning } from './cache-file.js';

export const SPARKLINE_FILE = 'sparklines.json';
const SCHEMA = 'llama-swap-swiftbar/sparklines';
/** Entries kept on disk: a menu draws at most a few dozen charts. */
export const PERSISTED_SPARKLINES = 64;

export type SparklineEntries = ReadonlyArray<readonly [string, string]>;

type StoreFile = { readonly schema: string; readonly version: 1; readonly drawing: string; readonly entries: SparklineEntries };

const isEntry = (e: unknown): e is readonly [string, string] =>
  Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string' && /^[A-Za-z0-9+/=]*$/.test(e[1]);

export type SparklineLoad = {
  readonly entries: SparklineEntries;
  /** The menu line when the file was set aside (not a regular file, or too large); else null. */
  readonly warning: string | null;
};

/** The saved entries drawn by `drawing`; none when missing, foreign, stale or damaged. */
export async function loadSparklines(cacheDir: string, drawing: string): Promise<SparklineLoad> {
  const read = await readCacheFile(path.join(cacheDir, SPARKLINE_FILE), { maxBytes: CACHE_FILE_LIMITS.sparklines });
  if (read.kind === 'set-aside') return { entries: [], warning: setAsideWarning('Chart cache', read) };
  if (read.kind !== 'text') return { entries: [], warning: null };
  try {
    const data = JSON.parse(read.text) as Partial<StoreFile> | null;
    if (data?.schema !== SCHEMA || data.version !== 1 || data.drawing !== drawing || !Array.isArray(data.entries)) return { entries: [], warning: null };
    return { entries: data.entries.filter(isEntry).slice(-PERSISTED_SPARKLINES), warning: null };
  } catch {
    return { entries: [], warning: null };
  }
}

/** Saves the entries (newest last); the reason when the disk refused, else null. */
export async function saveSparklines(cacheDir: string, drawing: string, entries: SparklineEntries): Promise<string | null> {
  const file: StoreFile = { schema: SCHEMA, version: 1, drawing, entries: entries.slice(-PERSISTED_SPARKLINES) };
  const result = await writeFileSafely(path.join(cacheDir, SPARKLINE_FILE), JSON.stringify(file), { mode: 0o600, onSymlink: 'replace', mkdirParent: true });
  return result.ok ? null : result.message;
}
