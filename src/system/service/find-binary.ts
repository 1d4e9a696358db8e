/**
 * Finds an executable (llama-swap, brew, node) on PATH and in the places Homebrew, `go install`
 * and pipx-style installs put it, which SwiftBar's minimal launchd PATH does not include.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { FileSystemRoot } from '../types.js';

export type FindBinaryOptions = {
  /** The PATH to search first (colon-separated); defaults to none. */
  readonly pathEnv?: string | undefined;
  readonly root: FileSystemRoot;
  /** Test seam: whether a path is an executable regular file. */
  readonly isExecutable?: (file: string) => boolean;
};

/** Whether `file` is a regular file this user may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The fixed places looked at after PATH, in order. */
export function wellKnownBinDirs(root: FileSystemRoot): readonly string[] {
  return [
    '/opt/homebrew/bin',
    '/usr/local/bin',
    path.join(root.home, '.local', 'bin'),
    path.join(root.home, 'go', 'bin'),
  ];
}

/** Every directory searched for `name`, PATH entries first, without duplicates. */
export function searchDirs(options: FindBinaryOptions): readonly string[] {
  const fromPath = (options.pathEnv ?? '').split(path.delimiter).filter((d) => d !== '' && path.isAbsolute(d));
  return [...new Set([...fromPath, ...wellKnownBinDirs(options.root)])];
}

/** Absolute path of the first executable `name`, or null. */
export function findBinary(name: string, options: FindBinaryOptions): string | null {
  // A name with a slash is never searched for: that would let PATH tricks pick another file.
  if (name === '' || name.includes('/')) return null;
  const check = options.isExecutable ?? isExecutableFile;
  for (const dir of searchDirs(options)) {
    const candidate = path.join(dir, name);
    if (check(candidate)) return candidate;
  }
  return null;
}

/** Finds the llama-swap binary. */
export function findLlamaSwap(options: FindBinaryOptions): string | null {
  return findBinary('llama-swap', options);
}
