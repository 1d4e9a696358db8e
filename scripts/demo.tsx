/**
 * `npm run demo`: the whole product in a terminal. Runs the real plugin (streaming) and draws
 * every frame it writes as the menu would look. It watches the configured llama-swap when one
 * answers; otherwise it starts the built-in simulator and walks through its scenarios
 * (keys 1-7 pick one, c resumes cycling, q quits).
 *
 *   npm run demo [-- --simulator] [--scenario busy] [--cycle 20] [--seconds N] [--appearance dark]
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../src/system/config.js';
import { createLlamaSwapClient } from '../src/system/llama-swap/llama-swap-client.js';
import { detectPlatform } from '../src/system/host/platform.js';
import { createLlamaSwapSimulator } from '../src/system/simulator/index.js';
import type { ScenarioName } from '../src/system/simulator/scenarios.js';
import type { Appearance } from './preview/colors.js';
import { frameToLines } from './preview/frame-lines.js';
import { createLiveDrawer, framesFromStream } from './preview/live.js';

type DemoArgs = {
  readonly forceSimulator: boolean;
  readonly scenario: ScenarioName | undefined;
  readonly cycleSeconds: number;
  readonly seconds: number | undefined;
  readonly appearance: Appearance;
};

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The order a newcomer sees: calm, work, a load, a swap, then the failures and recovery. */
const TOUR: readonly ScenarioName[] = ['idle', 'busy', 'loading', 'swapping', 'busy', 'down', 'flaky', 'garbage'];
const KEYS: readonly ScenarioName[] = ['idle', 'busy', 'loading', 'swapping', 'down', 'flaky', 'garbage'];

function parseArgs(argv: readonly string[]): DemoArgs {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scenario = value('--scenario');
  const seconds = Number(value('--seconds'));
  const cycle = Number(value('--cycle'));
  return {
    forceSimulator: argv.includes('--simulator'),
    scenario: KEYS.includes(scenario as ScenarioName) ? (scenario as ScenarioName) : undefined,
    cycleSeconds: Number.isFinite(cycle) && cycle > 0 ? cycle : 20,
    seconds: Number.isFinite(seconds) && seconds > 0 ? seconds : undefined,
    appearance: value('--appearance') === 'dark' ? 'dark' : 'light',
  };
}

/** The configured llama-swap, when one answers /health. */
async function configuredApi(): Promise<{ url: string; port: number } | null> {
  const { config } = readConfig(process.env, { home: os.homedir(), platform: detectPlatform().name });
  const health = await createLlamaSwapClient(config).health();
  return health.ok ? { url: config.apiUrl, port: config.apiPort } : null;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const real = args.forceSimulator ? null : await configuredApi();
  const sim = real === null ? await createLlamaSwapSimulator({ port: 0, scenario: args.scenario ?? 'busy' }) : null;
  const target = real ?? { url: sim?.url ?? '', port: sim?.port ?? 0 };

  let scenarioIndex = 0;
  let cycling = sim !== null && args.scenario === undefined;
  let nextSwitch = Date.now() + args.cycleSeconds * 1000;
  const setScenario = (name: ScenarioName): void => {
    sim?.setScenario(name);
    nextSwitch = Date.now() + args.cycleSeconds * 1000;
  };
  if (cycling) setScenario(TOUR[0] ?? 'busy');

  const header = (): string => {
    if (sim === null) return `llama-swap at ${target.url} · q quits`;
    const left = Math.max(0, Math.round((nextSwitch - Date.now()) / 1000));
    const mode = cycling ? `next in ${left} s` : 'held';
    return `simulator ${target.url} · scenario ${sim.scenario()} (${mode}) · 1-7 ${KEYS.join('/')} · c cycle · q quit`;
  };

  const cacheDir = path.join(REPO, '.cache', 'demo');
  mkdirSync(cacheDir, { recursive: true });
  const url = new URL(target.url);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src', 'main.tsx')], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      LLAMA_SWAP_API_BASE_URL: `${url.protocol}//${url.hostname}`,
      LLAMA_SWAP_API_PORT: String(target.port),
      LLAMA_SWAP_STREAMING_MODE: 'true',
      SWIFTBAR_PLUGIN_CACHE_PATH: cacheDir,
      OS_APPEARANCE: args.appearance === 'dark' ? 'Dark' : 'Light',
    },
  });

  const tty = process.stdout.isTTY === true;
  let lastFrame = '';
  const drawer = createLiveDrawer({
    render: (text) => {
      const [top = '', ...rest] = text.split('\n');
      const title = tty ? `\x1b[2m${top}\x1b[22m` : top;
      return [title, '', ...frameToLines(rest.join('\n'), args.appearance)];
    },
  });
  const redraw = (): void => drawer.draw(`${header()}\n${lastFrame}`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    child.kill('SIGTERM');
    await sim?.close();
    if (tty) process.stdout.write('\x1b[?7h');
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  child.once('exit', () => void stop());

  const ticker = setInterval(() => {
    if (cycling && sim !== null && Date.now() >= nextSwitch) {
      scenarioIndex = (scenarioIndex + 1) % TOUR.length;
      setScenario(TOUR[scenarioIndex] ?? 'busy');
    }
    if (lastFrame !== '') redraw();
  }, 1000);
  ticker.unref();
  if (args.seconds !== undefined) setTimeout(() => void stop(), args.seconds * 1000).unref();

  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (key: string) => {
      if (key === 'q' || key === '\u0003') return void stop();
      if (key === 'c') cycling = sim !== null;
      const picked = KEYS[Number(key) - 1];
      if (picked !== undefined && sim !== null) {
        cycling = false;
        setScenario(picked);
      }
      if (lastFrame !== '') redraw();
    });
  }

  if (tty) process.stdout.write('\x1b[?7l'); // no auto-wrap: a wrapped line would break the erase count
  if (child.stdout === null) return;
  for await (const frame of framesFromStream(child.stdout)) {
    lastFrame = frame;
    redraw();
  }
}

await main();
