/** MenuDeps for hook tests: a temp cache folder, fixed service view, the real rate tracker. */
import type { LlamaSwapApi, MenuDeps } from '../../../src/hooks/deps.js';
import { readLastAction } from '../../../src/system/cli/action-log.js';
import { trackRates } from '../../../src/system/llama-swap/metrics-rates.js';
import type { HostStats, PluginConfig, ServiceView } from '../../../src/system/types.js';
import { testConfig as baseConfig } from '../../helpers/temp-home.js';

/** The shared test config, rooted in `cacheDir`, with the API URL carrying its port as readConfig gives it. */
export function testConfig(cacheDir: string, over: Partial<PluginConfig> = {}): PluginConfig {
  return baseConfig(cacheDir, {
    apiUrl: 'http://127.0.0.1:45786',
    logFilePath: `${cacheDir}/LlamaSwap.log`,
    configFilePath: `${cacheDir}/config.yaml`,
    cacheDir,
    appearance: 'dark',
    ...over,
  });
}

export const SERVICE: ServiceView = {
  platform: 'linux',
  manager: 'none',
  installed: false,
  loaded: false,
  pid: null,
  binaryPath: '/usr/local/bin/llama-swap',
  configPath: '/tmp/config.yaml',
  configExists: true,
  logPath: '/tmp/LlamaSwap.log',
};

export const LOCAL_HOST: HostStats = {
  source: 'local',
  timestamp: 0,
  cpuPercent: 25,
  cpuPerCore: [25, 25],
  memUsedBytes: 4e9,
  memTotalBytes: 16e9,
  swapUsedBytes: null,
  swapTotalBytes: null,
  loadAvg1: null,
  gpus: [],
};

export function testDeps(api: LlamaSwapApi, cacheDir: string, over: Partial<MenuDeps> = {}): MenuDeps {
  return {
    config: testConfig(cacheDir),
    configWarnings: [],
    api,
    trackRates,
    localHostStats: () => Promise.resolve(LOCAL_HOST),
    processStats: () => Promise.resolve(null),
    detectService: () => Promise.resolve(SERVICE),
    readLastAction: () => readLastAction(cacheDir),
    invoker: { executable: '/bin/true', leadingArgs: [] },
    clock: () => Date.now(),
    // Fake timers fake Date, not performance: the monotonic clock follows virtual time too.
    monotonic: () => Date.now(),
    ...over,
  };
}
