#!/usr/bin/env node
// CLI entry: the bundled build when present (fast start), else the TypeScript sources via tsx.
// In a source checkout (src/ next to dist/), a dist/ older than a source file is not run: the
// sources are, through tsx, and stderr says so (SwiftBar's wrapper runs dist/main.js directly,
// and an installed package has no src/, so neither pays for the check).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundled = path.join(root, 'dist', 'main.js');
const sources = path.join(root, 'src');

/** Newest modification time (ms) of the files under `dir` (about 10 ms for src/'s 200 files). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : (statSync(full, { throwIfNoEntry: false })?.mtimeMs ?? 0));
  }
  return newest;
}

/** Mirrors bundleIsStale in src/system/swiftbar/swiftbar-install.ts: a source or the build script is newer. */
function distIsStale() {
  if (!existsSync(path.join(sources, 'main.tsx'))) return false;
  const built = statSync(bundled).mtimeMs;
  const build = statSync(path.join(root, 'scripts', 'build.ts'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return Math.max(newestMtime(sources), build) > built;
}

/** tsx's loader, resolved from this project (not the caller's working directory); null when not installed. */
function tsxLoader() {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return null;
  }
}

const stale = existsSync(bundled) && distIsStale();
const tsx = !existsSync(bundled) || stale ? tsxLoader() : null;
if (stale) {
  process.stderr.write(
    tsx === null
      ? 'llama-swap-swiftbar: dist/ is older than src/ and tsx is not installed: running the old dist/ (npm run build)\n'
      : 'llama-swap-swiftbar: dist/ is older than src/: running the sources through tsx (npm run build refreshes dist/)\n',
  );
}

if (existsSync(bundled) && tsx === null) {
  await import(pathToFileURL(bundled).href);
} else {
  const child = spawn(process.execPath, ['--import', tsx ?? 'tsx', path.join(sources, 'main.tsx'), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
