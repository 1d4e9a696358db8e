/**
 * Builds the real MenuDeps for this process: the system adapters (API client, local stats,
 * service detection, action log) wired for the hooks. Only the composition root calls it.
 */
import os from 'node:os';
import { defaultInvoker } from '../system/cli/action-invoker.js';
import path from 'node:path';
import { isActionPending, readLastAction } from '../system/cli/action-log.js';
import { notifySwiftBar } from '../system/swiftbar/notify.js';
import { writeFileSafely } from '../system/safe-file.js';
import { CACHE_FILE_LIMITS, readCacheFile } from '../system/cache-file.js';
import { createCommandRunner } from '../system/cli/command-runner.js';
import { readConfig, warningLines } from '../system/config.js';
import { createDebugLog } from '../system/debug-log.js';
import { createLlamaSwapClient } from '../system/llama-swap/llama-swap-client.js';
import { trackRates } from '../system/llama-swap/metrics-rates.js';
import { detectPlatform } from '../system/host/platform.js';
import { detectService } from '../system/service/service-state.js';
import { listenerLookup } from '../system/host/listening-process.js';
import { createLocalStats } from '../system/host/system-stats.js';
import { createKnownProcesses, processTableFor } from '../system/host/known-processes.js';
import type { Platform } from '../system/types.js';
import type { MenuDeps, RateTracker } from './deps.js';
import { isLocalApi } from './model/menu-problems.js';

export type MenuDepsOptions = {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  readonly platform?: Platform;
  /** Where settings warnings are printed as well as shown in the menu. @default process.stderr */
  readonly stderr?: { write(text: string): unknown };
};

/** Past load durations per model (the loading label's estimate), in the cache folder. */
export const LOAD_TIMES_FILE = 'load-times.json';

/** Real adapters for the plugin process. */
export function createMenuDeps(options: MenuDepsOptions = {}): MenuDeps {
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const platform = options.platform ?? detectPlatform();
  const { config, warnings } = readConfig(env, { home, platform: platform.name });
  if (warnings.length > 0) (options.stderr ?? process.stderr).write(warningLines(warnings));
  const client = createLlamaSwapClient(config);
  const local = createLocalStats();
  const runner = createCommandRunner();
  // Reads only the pids of llama-swap and the models (no full process table per poll);
  // llama-swap's process is the one listening on the API port (never one found by name).
  const knownProcesses = createKnownProcesses(processTableFor(platform.name, runner), listenerLookup(platform.name, runner));
  // Process figures describe this machine: only meaningful when llama-swap runs here too.
  const localApi = isLocalApi(config.apiUrl);
  const debug = createDebugLog({ enabled: config.debug, secrets: [config.apiKey] });
  debug('start', {
    api: config.apiUrl,
    local: localApi,
    key: config.apiKey === null ? 'none' : 'set',
    streaming: config.streaming,
    history: config.historySize,
    cache: config.cacheDir,
    platform: platform.name,
    warnings: warnings.map((w) => w.variable).join(',') || undefined,
  });
  return {
    config,
    configWarnings: warnings,
    api: client,
    trackRates: trackRates as RateTracker,
    localHostStats: () => local.hostStats(),
    refreshGpus: () => local.refreshGpus(),
    processStats: async (input) => (localApi ? knownProcesses({ ...input, llamaSwapPort: config.apiPort }).catch(() => null) : null),
    detectService: () => detectService({ runner, fsRoot: { home }, platform, config }),
    readLastAction: () => readLastAction(config.cacheDir),
    // Through the bounded cache reader: anything but a small regular file is set aside and the
    // estimates start afresh (they only refine a label).
    readLoadTimes: async () => {
      const read = await readCacheFile(path.join(config.cacheDir, LOAD_TIMES_FILE), { maxBytes: CACHE_FILE_LIMITS.loadTimes }).catch(() => null);
      return read?.kind === 'text' ? read.text : null;
    },
    saveLoadTimes: async (text) => {
      await writeFileSafely(path.join(config.cacheDir, LOAD_TIMES_FILE), text, { mode: 0o600, onSymlink: 'replace' });
    },
    notify: async (n) => {
      await notifySwiftBar({ runner, platform, env }, n, config.apiKey).catch(() => false);
    },
    actionInProgress: () => isActionPending(config.cacheDir),
    invoker: defaultInvoker(env),
    debug,
  };
}
