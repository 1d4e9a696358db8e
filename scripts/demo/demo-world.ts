/**
 * The demo's world: the plugin's real hooks and menu, pointed at the simulator, with nothing
 * taken from this machine. Its cache and data live in a temporary folder (no history from or
 * into earlier runs), System shows only the simulator's /api/performance, the service is the
 * simulator's (down = stopped), and polling is quick so a scenario switch shows within a second.
 * Clicking an item (Enter) runs the API actions for real against the simulator and acts out the
 * service ones on it; anything that would touch the machine is only described.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MenuDeps } from '../../src/hooks/deps.js';
import { createMenuDeps } from '../../src/hooks/menu-deps.js';
import { writeLastAction } from '../../src/system/cli/action-log.js';
import { normalizeCommand, runCli } from '../../src/system/cli/cli.js';
import type { LlamaSwapSimulator, ScenarioName } from '../../src/system/simulator/index.js';
import type { CommandRunner, Platform, ServiceView } from '../../src/system/types.js';

export type DemoWorld = {
  readonly deps: MenuDeps;
  /** Runs what a click on an item with this argv would run; resolves to one line for the screen. */
  readonly click: (argv: readonly string[]) => Promise<string>;
  readonly dispose: () => void;
};

export type DemoWorldOptions = {
  /** The simulator, or null to watch a real llama-swap at `url`. */
  readonly sim: LlamaSwapSimulator | null;
  readonly url: string;
  readonly port: number;
  readonly appearance: 'light' | 'dark';
  readonly platform: Platform;
};

/** Polling fast enough that a scenario switch shows within a second; backoff capped likewise. */
export const DEMO_TIMINGS = { busyMs: 500, idleMs: 1000, backoffBaseMs: 500, backoffCapMs: 1000, slowMs: 2000, serviceMs: 500, actionPollMs: 250 } as const;

/** A runner that runs nothing: the demo never touches launchctl, open, brew or defaults. */
const NO_COMMANDS: CommandRunner = {
  run: (file) => Promise.resolve({ exitCode: 1, stdout: '', stderr: `the demo does not run ${file}` }),
};

/** Service actions the demo acts out on the simulator instead of launchd. */
const ACTED: Readonly<Record<string, (up: ScenarioName) => { scenario: ScenarioName; message: string }>> = {
  do_start: (up) => ({ scenario: up, message: 'started llama-swap (the simulator)' }),
  do_restart: (up) => ({ scenario: up, message: 'restarted llama-swap (the simulator)' }),
  do_stop: () => ({ scenario: 'down', message: 'stopped llama-swap (the simulator)' }),
};

/** API actions: run for real through the CLI against the simulator (or the watched llama-swap). */
const API_ACTIONS = new Set(['do_unload', 'do_unload_model', 'do_load_model', 'set_profile', 'clear_profile']);

/** Creates the demo's world in a fresh temporary folder (removed by dispose). */
export function createDemoWorld(options: DemoWorldOptions): DemoWorld {
  const { sim } = options;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'llama-swap-demo-'));
  const cacheDir = path.join(dataDir, 'cache');
  mkdirSync(cacheDir);
  const configFile = path.join(dataDir, 'config.yaml');
  writeFileSync(configFile, 'models: {}\n');
  const url = new URL(options.url);
  const env = {
    PATH: process.env['PATH'],
    LLAMA_SWAP_API_BASE_URL: `${url.protocol}//${url.hostname}`,
    LLAMA_SWAP_API_PORT: String(options.port),
    LLAMA_SWAP_STREAMING_MODE: 'true',
    // A click waits for llama-swap (an unload waits for running requests); polls stay quick anyway.
    LLAMA_SWAP_API_TIMEOUT_SECS: '5',
    LLAMA_SWAP_CONFIG_FILE_PATH: configFile,
    LLAMA_SWAP_LOG_FILE_PATH: path.join(dataDir, 'llama-swap.log'),
    SWIFTBAR_PLUGIN_CACHE_PATH: cacheDir,
    OS_APPEARANCE: options.appearance === 'dark' ? 'Dark' : 'Light',
  };
  const real = createMenuDeps({ env, home: dataDir, platform: options.platform });
  let up: ScenarioName = sim?.scenario() === 'down' ? 'idle' : (sim?.scenario() ?? 'idle');
  // The simulator's service: a LaunchAgent that runs while the simulator answers.
  const service = (): ServiceView => {
    const down = sim?.scenario() === 'down';
    if (!down && sim !== null) up = sim.scenario();
    return { platform: 'macos', manager: 'launchagent', installed: true, loaded: true, pid: down ? null : 4242, binaryPath: '/opt/homebrew/bin/llama-swap', configPath: configFile, configExists: true, logPath: env.LLAMA_SWAP_LOG_FILE_PATH };
  };
  const deps: MenuDeps = sim === null
    ? { ...real, timings: DEMO_TIMINGS }
    : { ...real, localHostStats: () => Promise.resolve(null), refreshGpus: undefined, processStats: () => Promise.resolve(null), detectService: () => Promise.resolve(service()), timings: DEMO_TIMINGS };

  const record = async (action: string, ok: boolean, message: string): Promise<string> => {
    await writeLastAction(cacheDir, { action, args: [], ok, message, at: Date.now() });
    return message;
  };

  const click = async (argv: readonly string[]): Promise<string> => {
    const at = argv.findIndex((word, i) => i > 0 && normalizeCommand(word) !== undefined);
    const action = at < 0 ? undefined : normalizeCommand(argv[at] ?? '');
    const args = argv.slice(at + 1);
    if (action !== undefined && API_ACTIONS.has(action)) {
      let text = '';
      const sink = { write: (t: string) => ((text += t), true) };
      await runCli([action, ...args], { runner: NO_COMMANDS, fsRoot: { home: dataDir }, platform: { name: 'linux', uid: options.platform.uid }, env, stdout: sink, stderr: sink });
      return text.trim().split('\n')[0] ?? '';
    }
    const acted = action === undefined || sim === null ? undefined : ACTED[action];
    if (acted !== undefined && sim !== null && action !== undefined) {
      const { scenario, message } = acted(up);
      sim.setScenario(scenario);
      return record(action, true, message);
    }
    return `demo: would run ${argv.join(' ')} (not run: it acts on this machine)`;
  };

  return { deps, click, dispose: () => rmSync(dataDir, { recursive: true, force: true }) };
}
