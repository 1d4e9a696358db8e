/**
 * What systeminformation reads on macOS, fed real output (test/fixtures/macos/vm_stat, provenance
 * in ../../fixtures/macos/SOURCES.md). si.mem() on darwin runs `sysctl -n vm.pagesize` and
 * `vm_stat | egrep …`; this file loads systeminformation's memory module as on a Mac (platform
 * darwin) with child_process answering from the samples, then checks that the figures the plugin
 * shows (active = app + wired + compressed memory) come out in bytes with the page size the
 * sample's header states (16 KiB on Apple Silicon, 4 KiB on Intel).
 *
 * Runs in its own process (vitest pool: forks), so patching process.platform and child_process
 * here touches no other test file.
 */
import type * as ChildProcess from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'macos', 'vm_stat');
const require = createRequire(import.meta.url);

type ExecCallback = (error: Error | null, stdout: string, stderr: string) => void;
type Mem = { readonly total: number; readonly active: number; readonly reclaimable: number };

/** The figure vm_stat prints for a key ("Pages wired down:   241641." → 241641). */
function pages(text: string, key: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${key}:`));
  return Number((line ?? '').split(':')[1]?.trim().replace(/\.$/, '') ?? Number.NaN);
}

/** Loads systeminformation's memory module as on a Mac whose vm_stat prints `sample`. */
function memoryModuleOn(sample: string): { mem(): Promise<Mem> } {
  const cp = require('node:child_process') as typeof ChildProcess & Record<string, unknown>;
  const original = { exec: cp.exec, execSync: cp.execSync, platform: process.platform };
  const pageSize = /page size of (\d+) bytes/.exec(sample)?.[1] ?? '';
  Object.defineProperty(process, 'platform', { value: 'darwin' });
  // `sysctl -n vm.pagesize` prints the size vm_stat's header states (no separate capture exists).
  cp.execSync = ((cmd: string) => {
    if (cmd.startsWith('sysctl -n vm.pagesize')) return Buffer.from(`${pageSize}\n`);
    throw new Error(`unexpected command ${cmd}`);
  }) as typeof cp.execSync;
  cp.exec = ((cmd: string, ...rest: unknown[]) => {
    const cb = rest.find((r) => typeof r === 'function') as ExecCallback;
    const egrep = /egrep "([^"]+)"/.exec(cmd);
    if (cmd.startsWith('vm_stat') && egrep) {
      const patterns = (egrep[1] ?? '').split('|');
      const out = sample.split('\n').filter((l) => patterns.some((p) => l.includes(p)));
      setImmediate(() => cb(null, `${out.join('\n')}\n`, ''));
    } else {
      // No real capture of `sysctl -n vm.swapusage`: answer as a failed command.
      setImmediate(() => cb(new Error('no sample'), '', ''));
    }
    return {} as ReturnType<typeof cp.exec>;
  }) as typeof cp.exec;
  try {
    const modulePath = require.resolve('systeminformation/lib/memory.js');
    delete require.cache[modulePath];
    return require(modulePath) as { mem(): Promise<Mem> };
  } finally {
    // The module captured exec/execSync at load; restore the platform for everything else.
    Object.defineProperty(process, 'platform', { value: original.platform });
    setImmediate(() => {
      cp.exec = original.exec;
      cp.execSync = original.execSync;
    });
  }
}

describe('systeminformation mem() on macOS, real vm_stat output', () => {
  const samples = readdirSync(DIR).filter((f) => f.startsWith('vm_stat-')).sort();
  it('has samples', () => expect(samples.length).toBeGreaterThanOrEqual(3));

  it.each(samples)('%s', async (file) => {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    const pageSize = /-(\d+)k-/.exec(file)?.[1];
    expect(pageSize, 'page size in the file name').toBeDefined();
    const bytesPerPage = Number(pageSize) * 1024;
    expect(text).toContain(`page size of ${bytesPerPage} bytes`);
    const mem = await memoryModuleOn(text).mem();
    const active =
      (pages(text, 'Anonymous pages') - pages(text, 'Pages purgeable') + pages(text, 'Pages wired down') + pages(text, 'Pages occupied by compressor')) *
      bytesPerPage;
    expect(Number.isFinite(active)).toBe(true);
    expect(mem.active).toBe(active);
    expect(mem.reclaimable).toBe(pages(text, 'Pages inactive') * bytesPerPage);
    expect(mem.active % bytesPerPage).toBe(0);
  });
});
