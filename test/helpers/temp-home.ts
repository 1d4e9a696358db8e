/** A temporary HOME (mkdtemp) as a FileSystemRoot, with helpers to create files in it. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileSystemRoot, PluginConfig } from '../../src/system/types.js';

export type TempHome = FileSystemRoot & {
  /** Absolute path inside the temporary home. */
  path(...parts: string[]): string;
  /** Writes a file (creating folders); `mode` e.g. 0o755 for executables. */
  write(rel: string, content: string, mode?: number): string;
  remove(): void;
};

/** Creates a fresh temporary home folder. */
export function createTempHome(prefix = 'lsw-home-'): TempHome {
  const home = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    home,
    path: (...parts) => path.join(home, ...parts),
    write(rel, content, mode) {
      const file = path.join(home, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      if (mode !== undefined) chmodSync(file, mode);
      return file;
    },
    remove() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A PluginConfig with the documented defaults, rooted in `home`. */
export function testConfig(home: string, over: Partial<PluginConfig> = {}): PluginConfig {
  return {
    apiUrl: 'http://127.0.0.1',
    apiPort: 45786,
    apiTimeoutMs: 1000,
    apiKey: null,
    streaming: true,
    chartWidth: 60,
    chartHeight: 20,
    historySize: 300,
    debug: false,
    logFilePath: path.join(home, 'Library', 'Logs', 'LlamaSwap.log'),
    configFilePath: path.join(home, '.llamaswap', 'config.yaml'),
    serviceLabel: 'com.user.llama-swap',
    shortcut: null,
    notify: { failedStart: true, stopped: true, ttlUnload: false },
    cacheDir: path.join(home, 'Library', 'Caches', 'llama-swap-swiftbar'),
    appearance: 'light',
    ...over,
  };
}
