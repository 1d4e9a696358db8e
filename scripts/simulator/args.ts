/**
 * Pure command-line parsing for `npm run simulator` and its `llama-server` sub-command (the
 * shared parser: anything unknown is an error). The sub-command is a model's `cmd` under a real
 * llama-swap, so it takes llama-server's spellings (`-m`, `-a`, `-c`, `-np`, `--parallel`).
 */
import { SCENARIO_NAMES, type ScenarioName } from '../../src/system/simulator/scenarios.js';
import { numberFlag, oneOf, parseCommandLine, UsageError, type CommandLine } from '../cli-args.js';

export type SimulatorArgs = {
  readonly host: string;
  readonly port: number;
  readonly scenario: ScenarioName;
  /** Seconds per scenario when cycling; 0 holds one. */
  readonly cycle: number;
  readonly apiKey: string | null;
  readonly loadMs: number;
  /** The embedder runs alongside the chat models instead of llama-swap's default one-at-a-time group. */
  readonly together: boolean;
  readonly apiLayout: 'pinned' | 'newer';
  readonly logToStdout: 'proxy' | 'upstream' | 'both' | 'none';
};

export type LlamaServerArgs = {
  readonly host: string;
  readonly port: number;
  readonly alias: string;
  readonly modelPath?: string;
  readonly metrics: boolean;
  readonly slots: number;
  readonly tps: number;
  readonly promptTps: number;
  readonly nCtx: number;
  readonly loadMs: number;
};

export type SimulatorCommand = { readonly command: 'simulator'; readonly args: SimulatorArgs } | { readonly command: 'llama-server'; readonly args: LlamaServerArgs };

export const SIMULATOR_USAGE = `usage: npm run simulator -- [options]
  --port N                 default 45786 (0: any free port)
  --host ADDRESS           default 127.0.0.1
  --scenario NAME          ${SCENARIO_NAMES.join('|')} (default idle)
  --cycle SECONDS          move to the next scenario every SECONDS
  --api-key KEY            require this key, as llama-swap's apiKeys does
  --load-ms N              how long a model takes to load (default 1500)
  --together               the embedder runs alongside the chat models (no one-at-a-time group)
  --llama-swap-api pinned|newer   newer: logs at /api/events/logs and uptimes in modelStatus
  --log-to-stdout proxy|upstream|both|none
  --help

       npm run simulator -- llama-server [options]   a stand-in llama-server for a llama-swap model's cmd
  --port N  --host ADDRESS  -m/--model PATH  -a/--alias NAME  --metrics|--no-metrics
  --slots/--parallel/-np N  --tps N  --prompt-tps N  -c/--ctx-size N  --load-ms N`;

const SIMULATOR_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  scenario: { type: 'string' },
  cycle: { type: 'string' },
  'api-key': { type: 'string' },
  'load-ms': { type: 'string' },
  together: { type: 'boolean' },
  'llama-swap-api': { type: 'string' },
  'log-to-stdout': { type: 'string' },
} as const;

const LLAMA_SERVER_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  model: { type: 'string', short: 'm' },
  alias: { type: 'string', short: 'a' },
  metrics: { type: 'boolean' },
  'no-metrics': { type: 'boolean' },
  slots: { type: 'string' },
  parallel: { type: 'string' },
  tps: { type: 'string' },
  'prompt-tps': { type: 'string' },
  'ctx-size': { type: 'string', short: 'c' },
  'load-ms': { type: 'string' },
} as const;

const port = (value: string | undefined, fallback: number): number => {
  const n = numberFlag('--port', value, { integer: true }) ?? fallback;
  if (n > 65535) throw new UsageError(`--port needs a port number up to 65535 (got ${n})`);
  return n;
};

function parseSimulator(argv: readonly string[]): CommandLine<SimulatorArgs> {
  return parseCommandLine(argv, {
    options: SIMULATOR_OPTIONS,
    build: (v) => ({
      host: v.host ?? '127.0.0.1',
      port: port(v.port, 45786),
      scenario: oneOf('--scenario', v.scenario, SCENARIO_NAMES) ?? 'idle',
      cycle: numberFlag('--cycle', v.cycle) ?? 0,
      apiKey: v['api-key'] ?? null,
      loadMs: numberFlag('--load-ms', v['load-ms']) ?? 1500,
      together: v.together === true,
      apiLayout: oneOf('--llama-swap-api', v['llama-swap-api'], ['pinned', 'newer'] as const) ?? 'pinned',
      logToStdout: oneOf('--log-to-stdout', v['log-to-stdout'], ['proxy', 'upstream', 'both', 'none'] as const) ?? 'proxy',
    }),
  });
}

function parseLlamaServer(argv: readonly string[]): CommandLine<LlamaServerArgs> {
  // llama-server's one multi-letter short flag; util.parseArgs would read `-np` as `-n p`.
  const words = argv.map((w) => (w === '-np' ? '--parallel' : w.startsWith('-np=') ? `--parallel=${w.slice(4)}` : w));
  return parseCommandLine(words, {
    options: LLAMA_SERVER_OPTIONS,
    build: (v) => {
      const modelPath = v.model;
      const alias = v.alias ?? (modelPath !== undefined ? (modelPath.split('/').pop() ?? 'model').replace(/\.gguf$/, '') : 'stub-model');
      return {
        host: v.host ?? '127.0.0.1',
        port: port(v.port, 8080),
        alias,
        ...(modelPath === undefined ? {} : { modelPath }),
        metrics: v.metrics === true && v['no-metrics'] !== true,
        slots: numberFlag('--slots', v.slots ?? v.parallel, { positive: true, integer: true }) ?? 4,
        tps: numberFlag('--tps', v.tps) ?? 40,
        promptTps: numberFlag('--prompt-tps', v['prompt-tps']) ?? 600,
        nCtx: numberFlag('--ctx-size', v['ctx-size'], { positive: true, integer: true }) ?? 4096,
        loadMs: numberFlag('--load-ms', v['load-ms']) ?? 1500,
      };
    },
  });
}

/** Parses argv (without node and script): the simulator, or `llama-server …`; never throws. */
export function parseSimulatorArgs(argv: readonly string[]): CommandLine<SimulatorCommand> {
  if (argv[0] === 'llama-server') {
    const line = parseLlamaServer(argv.slice(1));
    return line.kind === 'run' ? { kind: 'run', args: { command: 'llama-server', args: line.args } } : line;
  }
  const line = parseSimulator(argv);
  return line.kind === 'run' ? { kind: 'run', args: { command: 'simulator', args: line.args } } : line;
}
