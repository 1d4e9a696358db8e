/** Pure command-line parsing for `llama-swap-swiftbar demo` (`npm run demo`) (the shared parser; anything unknown is an error). */
import { SCENARIO_NAMES, type ScenarioName } from '../../src/system/simulator/index.js';
import { numberFlag, oneOf, parseCommandLine, type CommandLine } from '../cli-args.js';
import type { Appearance } from '../preview/colors.js';

export type DemoArgs = {
  readonly forceSimulator: boolean;
  /** Hold this scenario instead of touring. */
  readonly scenario: ScenarioName | undefined;
  readonly cycleSeconds: number;
  /** Quit after this long (for recordings and tests). */
  readonly seconds: number | undefined;
  readonly appearance: Appearance | 'auto';
  /** Simulated hosts shown as the menu of several hosts (LLAMA_SWAP_HOSTS); 1 = the one-host menu. */
  readonly hosts: number;
};

/** Most simulated hosts the demo starts. */
export const DEMO_MAX_HOSTS = 10;

export const DEMO_USAGE = `usage: llama-swap-swiftbar demo [options]   (in a clone: npm run demo -- [options])
  --simulator                     the built-in simulator even when a llama-swap answers
  --scenario ${SCENARIO_NAMES.join('|')}
                                  hold one scenario instead of touring them
  --cycle SECONDS                 seconds per scenario on the tour (default 20)
  --seconds N                     quit after N seconds
  --appearance auto|light|dark    the menu's appearance (auto follows the terminal)
  --hosts N                       N simulators as the menu of several hosts (2-10; the first tours)
  --help`;

const OPTIONS = {
  simulator: { type: 'boolean' },
  scenario: { type: 'string' },
  cycle: { type: 'string' },
  seconds: { type: 'string' },
  appearance: { type: 'string' },
  hosts: { type: 'string' },
} as const;

const HOST_COUNTS = Array.from({ length: DEMO_MAX_HOSTS }, (_, i) => String(i + 1));

/** Parses argv (without node and script); never throws. */
export function parseDemoArgs(argv: readonly string[]): CommandLine<DemoArgs> {
  return parseCommandLine(argv, {
    options: OPTIONS,
    build: (v) => ({
      forceSimulator: v.simulator === true,
      scenario: oneOf('--scenario', v.scenario, SCENARIO_NAMES),
      cycleSeconds: numberFlag('--cycle', v.cycle, { positive: true }) ?? 20,
      seconds: numberFlag('--seconds', v.seconds, { positive: true }),
      appearance: oneOf('--appearance', v.appearance, ['auto', 'light', 'dark'] as const) ?? 'auto',
      hosts: oneOf('--hosts', v.hosts, HOST_COUNTS) === undefined ? 1 : Number(v.hosts),
    }),
  });
}
