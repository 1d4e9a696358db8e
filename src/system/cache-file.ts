/**
 * Reading back the files the plugin keeps in its cache folder (history, rates, sparklines, last
 * action) so that no file, whatever stands there, can hang, crash or bloat the plugin: never
 * through a link, never blocking (a FIFO), never more than a size limit in memory. Anything
 * that is not a regular file within its limit is set aside (renamed next to it, never deleted:
 * it may be someone's data) and the caller starts afresh.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { describeFsError } from './safe-file.js';

export type CacheFileRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'missing' }
  /** Could not be read (permissions, I/O error); left where it is. */
  | { readonly kind: 'unreadable'; readonly code: string }
  /** Not a regular file within its limit: `why` in words ("a folder, not a file"), `movedTo` its new path (null when the rename failed, `moveError` says why). */
  | { readonly kind: 'set-aside'; readonly why: string; readonly movedTo: string | null; readonly moveError?: string }
  /** Not a regular file within its limit, left in place (`setAside: false`). */
  | { readonly kind: 'unfit'; readonly why: string };

export type CacheFileOptions = {
  /** Largest size accepted, in bytes; at most this + 1 bytes are ever read. */
  readonly maxBytes: number;
  /** Names the set-aside copy; @default Date.now */
  readonly clock?: () => number;
  /** Rename an unfit file out of the way (cache files); false leaves it (a file the user owns). @default true */
  readonly setAside?: boolean;
};

const MIB = 1024 * 1024;

/**
 * Size limits, from the largest files the plugin writes (history: measured with its own encoder,
 * test/hooks/history/history-file-limit.test.ts keeps the headroom):
 * - history.json: 10,000 samples (LLAMA_SWAP_HISTORY_SIZE's maximum), 4 system and 32 models'
 *   4 series, every value at full float precision: 23 MB (8 models: 6.4 MB); the default 300
 *   samples with 8 models: 0.2 MB.
 * - rates.json: 64 scrapes of ~120 bytes per model: ~8 KB a model, 100 models ~0.8 MB.
 * - sparklines.json: 64 entries of a key (a chart's corners, up to ~2 KB) and a PNG (~1–2 KB
 *   base64): up to ~0.3 MB, ~60 KB typically.
 * - last-action.json: one message (llama-swap's reason included) of a few KB.
 * - load-times.json: 5 load durations for at most 100 models: ~20 KB.
 */
export const CACHE_FILE_LIMITS = {
  history: 40 * MIB,
  rates: 4 * MIB,
  sparklines: 2 * MIB,
  lastAction: 256 * 1024,
  loadTimes: 256 * 1024,
} as const;

/** Every file the plugin writes into its cache folder (stale temporary files of these are removed at start). */
export const CACHE_FILE_NAMES: readonly string[] = ['history.json', 'rates.json', 'sparklines.json', 'last-action.json', 'action-pending', 'load-times.json'];

/** What a file type is called in the warning. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'a special file';
}

const mb = (bytes: number): string => (bytes < MIB ? `${Math.round(bytes / 1024)} KB` : `${Math.round(bytes / MIB)} MB`);

/** `history.json.set-aside-2026-12-05T09-52-32-123Z`: sorts by time, no characters a shell or SwiftBar minds. */
export function setAsideName(file: string, at: number): string {
  return `${file}.set-aside-${new Date(at).toISOString().replace(/[:.]/g, '-')}`;
}

async function setAside(file: string, why: string, options: CacheFileOptions): Promise<CacheFileRead> {
  if (options.setAside === false) return { kind: 'unfit', why };
  const clock = options.clock ?? Date.now;
  const target = setAsideName(file, clock());
  try {
    // rename() moves a link, FIFO or folder itself, never what a link points to.
    await rename(file, target);
    return { kind: 'set-aside', why, movedTo: target };
  } catch (error) {
    return { kind: 'set-aside', why, movedTo: null, moveError: describeFsError(path.basename(file), error).message };
  }
}

/** Reads one of our cache files as UTF-8, within `maxBytes`; sets aside anything else. Never rejects. */
export async function readCacheFile(file: string, options: CacheFileOptions): Promise<CacheFileRead> {
  const limit = options.maxBytes;
  // Looked at before opening, so a device or socket is never opened at all; fstat below
  // covers a file swapped in between.
  let st: Stats;
  try {
    st = await lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', code };
  }
  if (!st.isFile()) return setAside(file, `${kindOf(st)}, not a file`, options);
  if (st.size > limit) return setAside(file, `${mb(st.size)}, over its ${mb(limit)} limit`, options);
  let handle;
  try {
    // O_NONBLOCK: a FIFO raced in opens at once instead of waiting for a writer.
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return { kind: 'missing' };
    // ELOOP: a link; ENXIO: a socket (both raced in after the lstat).
    if (code === 'ELOOP' || code === 'ENXIO') return setAside(file, 'a special file, not a file', options);
    return { kind: 'unreadable', code };
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return await setAside(file, `${kindOf(opened)}, not a file`, options);
    // Sized from fstat; grown (up to one byte more than the limit, which tells a file that grew
    // past it from one that fits exactly) only when the file grew after fstat.
    let buffer = Buffer.allocUnsafe(Math.min(opened.size, limit) + 1);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (filled > limit) break;
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > limit) return await setAside(file, `over its ${mb(limit)} limit`, options);
    return { kind: 'text', text: buffer.toString('utf8', 0, filled) };
  } catch (error) {
    return { kind: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? 'error' };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The one menu line for a file that was set aside, e.g. "History file was a folder, not a file: set aside as history.json.set-aside-…". */
export function setAsideWarning(label: string, read: Extract<CacheFileRead, { kind: 'set-aside' }>): string {
  const where = read.movedTo !== null ? `set aside as ${path.basename(read.movedTo)}` : `not used, and it could not be set aside (${read.moveError ?? 'error'})`;
  return `${label} was ${read.why}: ${where}`;
}
