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
import type { ActionInvoker, ConfigWarning, HostStats, Platform, PluginConfig } from '../system/types.js';
import { hostConfigs } from '../system/host-config.js';
import { apiKeyFilePath } from '../system/paths.js';
import { withKeysFromFile } from '../system/cli/stored-key.js';
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

/** The adapters every host shares: this computer's figures, its processes and its service. */
type SharedAdapters = {
  readonly local: ReturnType<typeof createLocalStats>;
  readonly runner: ReturnType<typeof createCommandRunner>;
  readonly knownProcesses: ReturnType<typeof createKnownProcesses>;
};

function sharedAdapters(platform: Platform): SharedAdapters {
  const runner = createCommandRunner();
  // Reads only the pids of llama-swap and the models (no full process table per poll);
  // llama-swap's process is the one listening on the API port (never one found by name).
  const knownProcesses = createKnownProcesses(processTableFor(platform.name, runner), listenerLookup(platform.name, runner));
  return { local: createLocalStats(), runner, knownProcesses };
}

type HostDepsInput = {
  readonly config: PluginConfig;
  readonly warnings: readonly ConfigWarning[];
  readonly shared: SharedAdapters;
  readonly home: string;
  readonly platform: Platform;
  readonly invoker: ActionInvoker;
  /** The plugin's environment (SwiftBar's variables: the notifications' plugin id). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The host's name in logs (only a named host has one): its section never shows this computer's figures as its own. */
  readonly host?: string;
};

/** The deps of one host: its own client (its own key only), files and invoker; this computer's adapters shared. */
function hostDeps({ config, warnings, shared, home, platform, invoker, env, host }: HostDepsInput): MenuDeps {
  const client = createLlamaSwapClient(config);
  // Process figures describe this machine: only meaningful when llama-swap runs here too.
  const localApi = isLocalApi(config.apiUrl);
  const debug = createDebugLog({ enabled: config.debug, secrets: [config.apiKey] });
  debug('start', {
    ...(host === undefined ? {} : { host }),
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
    ...(host === undefined
      ? { localHostStats: () => shared.local.hostStats(), refreshGpus: () => shared.local.refreshGpus() }
      : { localHostStats: () => Promise.resolve(null) }),
    processStats: async (input) => (localApi ? shared.knownProcesses({ ...input, llamaSwapPort: config.apiPort }).catch(() => null) : null),
    detectService: () => detectService({ runner: shared.runner, fsRoot: { home }, platform, config }),
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
      await notifySwiftBar({ runner: shared.runner, platform, env }, n, config.apiKey).catch(() => false);
    },
    actionInProgress: () => isActionPending(config.cacheDir),
    invoker,
    debug,
  };
}

/** Real adapters for the plugin process (the single host of LLAMA_SWAP_API_BASE_URL/PORT). */
export function createMenuDeps(options: MenuDepsOptions = {}): MenuDeps {
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const platform = options.platform ?? detectPlatform();
  return singleHostDeps(readConfig(env, { home, platform: platform.name }), env, home, platform, options.stderr);
}

/** The single host's deps from settings already read (their warnings printed here). */
function singleHostDeps(read: ReturnType<typeof readConfig>, env: Readonly<Record<string, string | undefined>>, home: string, platform: Platform, stderr: MenuDepsOptions['stderr']): MenuDeps {
  const { config, warnings } = read;
  if (warnings.length > 0) (stderr ?? process.stderr).write(warningLines(warnings));
  return hostDeps({ config, warnings, shared: sharedAdapters(platform), home, platform, invoker: defaultInvoker(env), env });
}

/** One watched host and its deps. */
export type HostMenuDeps = { readonly name: string; readonly deps: MenuDeps };

export type HostsMenuDeps = {
  /** True when LLAMA_SWAP_HOSTS named the hosts: the menu shows a section per host. */
  readonly named: boolean;
  readonly hosts: readonly HostMenuDeps[];
  /** The plugin's cache folder (named hosts keep their files in its hosts/ folder). */
  readonly cacheDir: string;
  readonly streaming: boolean;
  readonly appearance: PluginConfig['appearance'];
  /** This computer's figures, shown once beside the hosts (named hosts never fall back to them). */
  readonly thisComputer: () => Promise<HostStats | null>;
  readonly platform: Platform['name'];
};

/** Menu items of a named host's section run `--host <name> <action> …`: the action goes only there. */
export function hostInvoker(invoker: ActionInvoker, name: string): ActionInvoker {
  return { executable: invoker.executable, leadingArgs: [...invoker.leadingArgs, '--host', name] };
}

/**
 * Real adapters for every host LLAMA_SWAP_HOSTS names (or the single host when unset, exactly as
 * createMenuDeps). Named hosts' keys come from their own variables, else from the key file
 * install-plugin wrote (the wrapper names it in LLAMA_SWAP_KEY_FILE).
 */
export async function createHostsMenuDeps(options: MenuDepsOptions = {}): Promise<HostsMenuDeps> {
  const given = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const platform = options.platform ?? detectPlatform();
  const read = readConfig(given, { home, platform: platform.name });
  const { config, warnings } = read;
  const setting = hostConfigs(given, config);
  // Made on first use: the single host's deps have their own, and never ask for this computer apart.
  let made: SharedAdapters | null = null;
  const shared = (): SharedAdapters => (made ??= sharedAdapters(platform));
  const common = { cacheDir: config.cacheDir, streaming: config.streaming, appearance: config.appearance, thisComputer: () => shared().local.hostStats(), platform: platform.name };
  if (!setting.named) return { named: false, hosts: [{ name: setting.hosts[0]?.spec.name ?? '', deps: singleHostDeps(read, given, home, platform, options.stderr) }], ...common };
  if (warnings.length > 0) (options.stderr ?? process.stderr).write(warningLines(warnings));
  const keyFile = given.LLAMA_SWAP_KEY_FILE ?? apiKeyFilePath({ home }, platform.name);
  const env = await withKeysFromFile(given, keyFile);
  const invoker = defaultInvoker(env);
  const hosts = hostConfigs(env, config).hosts.map(({ spec, config: hostConfig }) => ({
    name: spec.name,
    deps: hostDeps({ config: hostConfig, warnings, shared: shared(), home, platform, invoker: hostInvoker(invoker, spec.name), env: given, host: spec.name }),
  }));
  return { named: true, hosts, ...common };
}
