/**
 * Writing the plugin's own files (history, rates, last action, API key, plist, wrapper) without
 * ever going through a symbolic link someone planted in their place (cache-file.ts reads them back).
 *
 * Why not write-file-atomic: it resolves the target with realpath (so a link at history.json
 * made it overwrite the link's target, as root a system file), copies the old file's mode (a
 * mode-000 file stayed unreadable), and depends on `__filename`, which an ESM bundle lacks.
 * This is the same temp-file + fsync + rename dance, with O_NOFOLLOW and an explicit mode.
 */
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export type SafeWriteOptions = {
  /** File mode, applied whatever the umask or an earlier file's mode; default 0600. */
  readonly mode?: number;
  /**
   * What to do when a symlink stands where the file should be: `replace` the link itself with
   * the new file (cache files), or `refuse` (the API key file). Never written through.
   */
  readonly onSymlink?: 'replace' | 'refuse';
  /** Create the parent folder (mode 0700) when it is missing. */
  readonly mkdirParent?: boolean;
  /** Temporary files start with a dot (SwiftBar ignores dot-files, so it never runs a half-written plugin). */
  readonly hiddenTemp?: boolean;
};

export type SafeWriteResult = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly code: string };

/** `<file>: <CODE> (<why>)`, one line, for the menu and the debug log. */
export function describeFsError(file: string, error: unknown): { message: string; code: string } {
  const e = error as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : 'error';
  const raw = error instanceof Error ? error.message : String(error);
  // Node's text repeats the code and the path ("ENOSPC: no space left on device, open '…'").
  const text = FS_REASONS[code] ?? raw.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+ '.*$/, '');
  return { message: code === 'error' ? `${file}: ${text}` : `${file}: ${code} (${text})`, code };
}

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a parent is not a folder',
  EISDIR: 'a folder stands where the file should be',
  ELOOP: 'a symbolic link stands where the file should be',
  ENOENT: 'the folder does not exist',
  EIO: 'input/output error',
};

/** Atomically replaces `file` with `data` (temp file in the same folder, fsync, rename). */
export async function writeFileSafely(file: string, data: string | Uint8Array, options: SafeWriteOptions = {}): Promise<SafeWriteResult> {
  const mode = options.mode ?? 0o600;
  const dir = path.dirname(file);
  const base = path.basename(file);
  const tmp = path.join(dir, `${options.hiddenTemp === false ? '' : '.'}${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (options.mkdirParent !== false) await mkdir(dir, { recursive: true, mode: 0o700 });
    const existing = await lstat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (existing?.isSymbolicLink() && options.onSymlink === 'refuse') {
      return { ok: false, code: 'ELOOP', message: `${file}: is a symbolic link; not written through it (remove the link)` };
    }
    if (existing?.isDirectory()) return { ok: false, code: 'EISDIR', message: `${file}: EISDIR (${FS_REASONS['EISDIR']})` };
    // O_EXCL + O_NOFOLLOW: the temp name is ours alone, and never a link someone raced in.
    const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // rename() replaces a symlink itself, never the file it points to.
    await rename(tmp, file);
    return { ok: true };
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    return { ok: false, ...describeFsError(file, error) };
  }
}

/** Like writeFileSafely, but throws an Error carrying the one-line message. */
export async function writeFileSafelyOrThrow(file: string, data: string | Uint8Array, options: SafeWriteOptions = {}): Promise<void> {
  const result = await writeFileSafely(file, data, options);
  if (!result.ok) throw Object.assign(new Error(result.message), { code: result.code });
}

/** Sets the mode of one of our files without following a symlink. */
export async function chmodOwnFile(file: string, mode: number): Promise<void> {
  const st = await lstat(file);
  if (st.isSymbolicLink()) throw Object.assign(new Error(`${file}: is a symbolic link`), { code: 'ELOOP' });
  await chmod(file, mode);
}
