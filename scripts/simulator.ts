/**
 * Runs the llama-swap simulator, or (with the `llama-server` sub-command) a stand-in llama-server
 * that the real llama-swap can use as a model's `cmd`.
 *
 *   tsx scripts/simulator.ts [--port 45786] [--host 127.0.0.1] [--scenario busy] [--cycle 20] [--api-key K] [--load-ms 1500] [--together]
 *                            [--llama-swap-api pinned|newer] [--log-to-stdout proxy|upstream|both|none]
 *   (--together: the embedder runs alongside the chat models instead of llama-swap's default one-at-a-time group;
 *    --llama-swap-api newer: the later llama-swap's API, logs at /api/events/logs and uptimes in modelStatus)
 *   tsx scripts/simulator.ts llama-server --port N [--metrics] [--slots 4] [--tps 40] [--load-ms 1500] [-a alias]
 */
import { startLlamaServer } from '../src/system/simulator/llama-server/llama-server-stub.js';

type Args = { readonly flags: Map<string, string>; readonly switches: Set<string> };

const SWITCHES = new Set(['--metrics', '--no-metrics', '--together']);

function parseArgs(argv: readonly string[]): Args {
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags.set(arg.slice(0, eq), arg.slice(eq + 1));
    } else if (SWITCHES.has(arg) || i + 1 >= argv.length || (argv[i + 1] ?? '').startsWith('--')) {
      switches.add(arg);
    } else {
      flags.set(arg, argv[i + 1] ?? '');
      i++;
    }
  }
  return { flags, switches };
}

function num(args: Args, names: readonly string[], fallback: number): number {
  for (const name of names) {
    const raw = args.flags.get(name);
    if (raw !== undefined && raw !== '' && Number.isFinite(Number(raw))) return Number(raw);
  }
  return fallback;
}

function str(args: Args, names: readonly string[]): string | undefined {
  for (const name of names) {
    const raw = args.flags.get(name);
    if (raw !== undefined) return raw;
  }
  return undefined;
}

function onSignals(close: () => Promise<void>): void {
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function runLlamaServer(args: Args): Promise<void> {
  const modelPath = str(args, ['-m', '--model']);
  const alias = str(args, ['-a', '--alias']) ?? (modelPath ? (modelPath.split('/').pop() ?? 'model').replace(/\.gguf$/, '') : 'stub-model');
  const server = await startLlamaServer({
    host: str(args, ['--host']) ?? '127.0.0.1',
    port: num(args, ['--port'], 8080),
    alias,
    ...(modelPath ? { modelPath } : {}),
    metrics: args.switches.has('--metrics'),
    slots: num(args, ['--slots', '--parallel', '-np'], 4),
    tps: num(args, ['--tps'], 40),
    promptTps: num(args, ['--prompt-tps'], 600),
    nCtx: num(args, ['--ctx-size', '-c'], 4096),
    loadMs: num(args, ['--load-ms'], 1500),
  });
  console.log(`llama-server (simulated) ${alias} listening on ${server.url}`);
  onSignals(() => server.close());
}

async function runSimulator(args: Args): Promise<void> {
  // Loaded lazily so the llama-server sub-command starts with as little code as possible.
  const { createLlamaSwapSimulator } = await import('../src/system/simulator/llama-swap-sim.js');
  const { isScenarioName, SCENARIO_NAMES } = await import('../src/system/simulator/scenarios.js');
  const { EXAMPLE_GROUPS } = await import('../src/system/simulator/sim-config.js');
  const scenario = str(args, ['--scenario']) ?? 'idle';
  if (!isScenarioName(scenario)) {
    console.error(`unknown scenario "${scenario}"; one of: ${SCENARIO_NAMES.join(', ')}`);
    process.exit(2);
  }
  const cycle = num(args, ['--cycle'], 0);
  const apiLayout = str(args, ['--llama-swap-api']) ?? 'pinned';
  if (apiLayout !== 'pinned' && apiLayout !== 'newer') {
    console.error(`unknown --llama-swap-api "${apiLayout}"; one of: pinned, newer`);
    process.exit(2);
  }
  const logToStdout = str(args, ['--log-to-stdout']) ?? 'proxy';
  if (logToStdout !== 'proxy' && logToStdout !== 'upstream' && logToStdout !== 'both' && logToStdout !== 'none') {
    console.error(`unknown --log-to-stdout "${logToStdout}"; one of: proxy, upstream, both, none`);
    process.exit(2);
  }
  const sim = await createLlamaSwapSimulator({
    host: str(args, ['--host']) ?? '127.0.0.1',
    port: num(args, ['--port'], 45786),
    apiKey: str(args, ['--api-key']) ?? null,
    scenario,
    ...(cycle > 0 ? { cycle: cycle } : {}),
    loadMs: num(args, ['--load-ms'], 1500),
    ...(args.switches.has('--together') ? { groups: EXAMPLE_GROUPS } : {}),
    apiLayout,
    logToStdout,
  });
  const api = apiLayout === 'newer' ? ', newer llama-swap API' : '';
  console.log(`llama-swap simulator (scenario ${scenario}${cycle > 0 ? `, cycling every ${cycle}s` : ''}${api}) on ${sim.url}`);
  onSignals(() => sim.close());
}

const argv = process.argv.slice(2);
const run = argv[0] === 'llama-server' ? runLlamaServer(parseArgs(argv.slice(1))) : runSimulator(parseArgs(argv));
run.catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
