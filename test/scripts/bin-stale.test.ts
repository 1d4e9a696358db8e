import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, runNode, type ScriptRun } from './run-script.js';

/** A copy of bin/ in a tiny project whose dist/ and src/ each say which one ran. */
function project(dir: string): void {
  mkdirSync(path.join(dir, 'bin'));
  cpSync(path.join(REPO, 'bin', 'llama-swap-swiftbar.js'), path.join(dir, 'bin', 'llama-swap-swiftbar.js'));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'dist', 'main.js'), "console.log('dist');\n");
  mkdirSync(path.join(dir, 'src', 'components'), { recursive: true });
  writeFileSync(path.join(dir, 'src', 'main.tsx'), "console.log('src');\n");
  writeFileSync(path.join(dir, 'src', 'components', 'Menu.tsx'), 'export {};\n');
}

function runBin(dir: string): Promise<ScriptRun> {
  return runNode([path.join(dir, 'bin', 'llama-swap-swiftbar.js')]);
}

const at = (file: string, seconds: number): void => utimesSync(file, seconds, seconds);

describe('bin/llama-swap-swiftbar.js and a stale dist/', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bin-stale-'));
    project(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the sources and says so when a file under src/ is newer than dist/', async () => {
    at(path.join(dir, 'src', 'main.tsx'), 1_000);
    at(path.join(dir, 'dist', 'main.js'), 2_000);
    at(path.join(dir, 'src', 'components', 'Menu.tsx'), 3_000); // edited after the build
    const run = await runBin(dir);
    expect(run.stdout).toBe('src\n');
    expect(run.stderr).toContain('dist/ is older than src/: running the sources through tsx (npm run build refreshes dist/)');
  });

  it('runs dist/ quietly when it is newer than every source', async () => {
    at(path.join(dir, 'src', 'main.tsx'), 1_000);
    at(path.join(dir, 'src', 'components', 'Menu.tsx'), 1_000);
    at(path.join(dir, 'dist', 'main.js'), 2_000);
    const run = await runBin(dir);
    expect(run).toMatchObject({ code: 0, stdout: 'dist\n', stderr: '' });
  });

  it('an installed package (no src/) runs dist/ without looking for sources', async () => {
    rmSync(path.join(dir, 'src'), { recursive: true });
    const run = await runBin(dir);
    expect(run).toMatchObject({ code: 0, stdout: 'dist\n', stderr: '' });
  });
});
