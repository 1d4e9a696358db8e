/**
 * Runs the llama-swap simulator, or (with the `llama-server` sub-command) a stand-in llama-server
 * that the real llama-swap can use as a model's `cmd`. `--help` lists the flags (scripts/simulator/args.ts).
 *
 *   tsx scripts/simulator.ts [--port 45786] [--host 127.0.0.1] [--scenario busy] [--cycle 20] [--api-key K] [--load-ms 1500] [--together]
 *                            [--llama-swap-api pinned|newer] [--log-to-stdout proxy|upstream|both|none]
 *   tsx scripts/simulator.ts llama-server --port N [--metrics] [--slots 4] [--tps 40] [--load-ms 1500] [-a alias]
 */
import { startLlamaServer } from '../src/system/simulator/llama-server/llama-server-stub.js';
import { argsOrExit } from './cli-args.js';
import { parseSimulatorArgs, SIMULATOR_USAGE, type LlamaServerArgs, type SimulatorArgs } from './simulator/args.js';

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

async function runLlamaServer(args: LlamaServerArgs): Promise<void> {
  const server = await startLlamaServer(args);
  console.log(`llama-server (simulated) ${args.alias} listening on ${server.url}`);
  onSignals(() => server.close());
}

async function runSimulator(args: SimulatorArgs): Promise<void> {
  // Loaded lazily so the llama-server sub-command starts with as little code as possible.
  const { createLlamaSwapSimulator } = await import('../src/system/simulator/llama-swap-sim.js');
  const { EXAMPLE_GROUPS } = await import('../src/system/simulator/sim-config.js');
  const { scenario, cycle, apiLayout } = args;
  const sim = await createLlamaSwapSimulator({
    host: args.host,
    port: args.port,
    apiKey: args.apiKey,
    scenario,
    ...(cycle > 0 ? { cycle } : {}),
    loadMs: args.loadMs,
    ...(args.together ? { groups: EXAMPLE_GROUPS } : {}),
    apiLayout,
    logToStdout: args.logToStdout,
  });
  const api = apiLayout === 'newer' ? ', newer llama-swap API' : '';
  console.log(`llama-swap simulator (scenario ${scenario}${cycle > 0 ? `, cycling every ${cycle}s` : ''}${api}) on ${sim.url}`);
  onSignals(() => sim.close());
}

const parsed = argsOrExit(parseSimulatorArgs(process.argv.slice(2)), SIMULATOR_USAGE);
const run = parsed.command === 'llama-server' ? runLlamaServer(parsed.args) : runSimulator(parsed.args);
run.catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
