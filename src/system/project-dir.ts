/** Where this project lives on disk, found from the running module (source or bundle). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'llama-swap-swiftbar';

function readPackage(dir: string): { name?: unknown; version?: unknown } | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return null;
  }
}

/** The nearest folder upwards holding our package.json (src/system/ or dist/ both work). */
export function findProjectDir(start: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    if (readPackage(dir)?.name === PACKAGE_NAME) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(start, '..', '..');
    dir = up;
  }
}

/** The version in the project's package.json. */
export function projectVersion(dir: string): string {
  const v = readPackage(dir)?.version;
  return typeof v === 'string' ? v : '0.0.0';
}

/** The CLI launcher, which runs dist/main.js when built and the sources through tsx otherwise. */
export function binScriptPath(projectDir: string): string {
  return path.join(projectDir, 'bin', 'llama-swap-swiftbar.js');
}
