import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBinary, findLlamaSwap, isExecutableFile, searchDirs } from '../../../src/system/service/find-binary.js';
import { createTempHome } from '../../helpers/temp-home.js';
import type { TempHome } from '../../helpers/temp-home.js';

let home: TempHome;
beforeEach(() => { home = createTempHome(); });
afterEach(() => home.remove());

describe('findBinary', () => {
  it('searches PATH first, then Homebrew, /usr/local, ~/.local/bin, ~/go/bin', () => {
    expect(searchDirs({ pathEnv: '/a:relative:/b:/a', root: home })).toEqual(['/a', '/b', '/opt/homebrew/bin', '/usr/local/bin', home.path('.local', 'bin'), home.path('go', 'bin')]);
  });

  it('finds an executable in PATH before the well-known places', () => {
    const inPath = home.write('p/llama-swap', '#!/bin/sh\n', 0o755);
    home.write('go/bin/llama-swap', '#!/bin/sh\n', 0o755);
    const only = (f: string): boolean => f.startsWith(home.home) && isExecutableFile(f);
    expect(findLlamaSwap({ pathEnv: home.path('p'), root: home, isExecutable: only })).toBe(inPath);
    expect(findLlamaSwap({ pathEnv: '', root: home, isExecutable: only })).toBe(home.path('go', 'bin', 'llama-swap'));
  });

  it('skips files that are not executable, and directories', () => {
    home.write('.local/bin/llama-swap', 'not executable', 0o644);
    home.write('go/bin/llama-swap/inner', 'x');
    const only = (f: string): boolean => f.startsWith(home.home) && isExecutableFile(f);
    expect(findLlamaSwap({ pathEnv: '', root: home, isExecutable: only })).toBeNull();
  });

  it('never searches names with a slash', () => {
    expect(findBinary('../llama-swap', { root: home, isExecutable: () => true })).toBeNull();
    expect(findBinary('', { root: home, isExecutable: () => true })).toBeNull();
  });

  it('uses the injected check', () => {
    expect(findBinary('brew', { root: home, isExecutable: (f) => f === '/usr/local/bin/brew' })).toBe('/usr/local/bin/brew');
  });
});
