import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';

/** How one configured model's stand-in llama-server behaves (scripts/simulator.ts llama-server). */
export type StubModel = {
  /**
   * The upstream: the project's llama-server stand-in (default), or upstream llama-swap's own
   * `cmd/fake-model` (OpenAI-style, no llama.cpp `/metrics`, no timings), built beside llama-swap.
   */
  readonly kind?: 'llama-server' | 'fake-model';
  /**
   * A command of its own instead (the real llama.cpp llama-server, say): `{PORT}` is replaced by
   * the port this model gets, as argv words (each quoted for llama-swap's shell-like split).
   */
  readonly argv?: readonly string[];
  /** fake-model only: tokens per answer (its --tokens); default 50. */
  readonly tokens?: number;
  /** Serve `/metrics` (llama-server's `--metrics`); default true. */
  readonly metrics?: boolean;
  /** Milliseconds `/health` answers 503 before turning ready; default 100. */
  readonly loadMs?: number;
  readonly tps?: number;
  readonly slots?: number;
  readonly ttl?: number;
  readonly aliases?: readonly string[];
  readonly name?: string;
  readonly description?: string;
  readonly unlisted?: boolean;
};

/** A peer (`peers:` in llama-swap's configuration): another llama-swap it forwards `models` to. */
export type PeerOptions = {
  /** The peer's base URL (a second real llama-swap's `url`). */
  readonly proxy: string;
  /** Model ids the peer serves; llama-swap lists them as `<peer id>/<model>`. */
  readonly models: readonly string[];
  /** Injected into forwarded requests as the peer's key. */
  readonly apiKey?: string;
};

/** What to put in the temporary llama-swap configuration. */
export type RealLlamaSwapOptions = {
  readonly models: Readonly<Record<string, StubModel>>;
  readonly apiKeys?: readonly string[];
  /** Written verbatim under `profiles:` (its shape differs between llama-swap versions). */
  readonly profiles?: Readonly<Record<string, unknown>>;
  /** Peers by id, written under `peers:`. */
  readonly peers?: Readonly<Record<string, PeerOptions>>;
  /** Extra top-level configuration keys (e.g. `groups`, `performance`), written verbatim. */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
  /** Milliseconds to wait for llama-swap's `/health`; default 15 000. */
  readonly startTimeoutMs?: number;
  /** Listen on this port (a client may already be polling it); default a free one. */
  readonly port?: number;
};

/** A running llama-swap process with stand-in models. */
export type RealLlamaSwap = {
  readonly url: string;
  readonly port: number;
  readonly configPath: string;
  /** The port each model's stand-in listens on, by model id. */
  readonly modelPorts: Readonly<Record<string, number>>;
  /** llama-swap's own process id (SIGSTOP/SIGCONT it to hang and resume it). */
  readonly pid: number;
  /** Everything llama-swap wrote to stdout and stderr so far. */
  logs(): string;
  /** SIGTERM, then SIGKILL to llama-swap's whole process group (its models) after a timeout. */
  stop(): Promise<void>;
};

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SIMULATOR = join(REPO_ROOT, 'scripts', 'simulator.ts');
// Absolute, because `--import tsx` would resolve from the child's working directory.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CACHE_DIR = join(REPO_ROOT, '.cache', 'llama-swap');
const UNAVAILABLE_MARKER = join(CACHE_DIR, 'unavailable.txt');
const STOP_GRACE_MS = 8_000;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The llama-swap binary to test: $LLAMA_SWAP_BIN, then .cache/llama-swap/<commit>/bin, then PATH. */
export function findLlamaSwapBinary(): string | null {
  const fromEnv = process.env['LLAMA_SWAP_BIN'];
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  if (existsSync(CACHE_DIR)) {
    const built = readdirSync(CACHE_DIR)
      .map((commit) => join(CACHE_DIR, commit, 'bin', 'llama-swap'))
      .filter(isExecutable)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    if (built[0]) return built[0];
  }
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'llama-swap'))) return join(dir, 'llama-swap');
  }
  return null;
}

/** Why the install script could not provide llama-swap here (no Go, source not served), if it said so. */
export function llamaSwapUnavailableReason(): string | null {
  try {
    return readFileSync(UNAVAILABLE_MARKER, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** How the e2e suite should treat a missing binary: run, skip (one console line), or fail (CI). */
export function realLlamaSwapGate(): { readonly bin: string | null; readonly failure: string | null } {
  const bin = findLlamaSwapBinary();
  if (bin) return { bin, failure: null };
  // CI always has llama-swap's source beside the clone: there, a missing binary is a failure, never a skip.
  if (process.env['CI'] === 'true') {
    return { bin, failure: `CI=true but no llama-swap binary (${llamaSwapUnavailableReason() ?? 'install script not run'}): .ci/run must run \`bash scripts/install-llama-swap.sh\` before the tests` };
  }
  const reason = llamaSwapUnavailableReason();
  if (reason) {
    console.log(`real llama-swap e2e tests skipped: ${reason}; enable with \`bash scripts/install-llama-swap.sh\` or LLAMA_SWAP_BIN=/path/to/llama-swap`);
    return { bin, failure: null };
  }
  console.log('real llama-swap e2e tests skipped: no llama-swap binary; enable with `bash scripts/install-llama-swap.sh` (or set LLAMA_SWAP_BIN)');
  return { bin, failure: null };
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Double-quotes one argument for llama-swap's shell-like `cmd` splitting. */
function quote(arg: string): string {
  return `"${arg.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** upstream's fake-model: $FAKE_MODEL_BIN, else beside the llama-swap binary under test. */
export function findFakeModelBinary(llamaSwapBin = findLlamaSwapBinary()): string | null {
  const fromEnv = process.env['FAKE_MODEL_BIN'];
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  if (llamaSwapBin === null) return null;
  const sibling = join(dirname(llamaSwapBin), 'fake-model');
  return isExecutable(sibling) ? sibling : null;
}

function fakeModelCommand(port: number, model: StubModel): string {
  const bin = findFakeModelBinary();
  if (bin === null) throw new Error('no fake-model binary beside llama-swap: run `bash scripts/install-llama-swap.sh` (or set FAKE_MODEL_BIN)');
  const args = [quote(bin), '--listen', `127.0.0.1:${port}`, '--tokens', String(model.tokens ?? 50), '--load', `${model.loadMs ?? 100}ms`];
  if (model.tps !== undefined) args.push('--tps', String(model.tps));
  return args.join(' ');
}

function stubCommand(id: string, port: number, model: StubModel): string {
  if (model.argv !== undefined) return model.argv.map((a) => quote(a.replaceAll('{PORT}', String(port)))).join(' ');
  if (model.kind === 'fake-model') return fakeModelCommand(port, model);
  const args = [
    quote(process.execPath), '--import', quote(TSX_LOADER), quote(SIMULATOR), 'llama-server',
    '--port', String(port), '--alias', quote(id),
    '--load-ms', String(model.loadMs ?? 100),
  ];
  if (model.metrics ?? true) args.push('--metrics');
  if (model.tps !== undefined) args.push('--tps', String(model.tps));
  if (model.slots !== undefined) args.push('--slots', String(model.slots));
  return args.join(' ');
}

function peersConfig(peers: Readonly<Record<string, PeerOptions>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(peers).map(([id, p]) => [id, { proxy: p.proxy, models: [...p.models], ...(p.apiKey !== undefined ? { apiKey: p.apiKey } : {}) }]),
  );
}

async function buildConfig(options: RealLlamaSwapOptions): Promise<{ config: Record<string, unknown>; ports: Record<string, number> }> {
  const models: Record<string, unknown> = {};
  const ports: Record<string, number> = {};
  for (const [id, model] of Object.entries(options.models)) {
    // Own free port per model, so parallel suites never fight over llama-swap's startPort range.
    const port = await freePort();
    ports[id] = port;
    models[id] = {
      cmd: stubCommand(id, port, model),
      proxy: `http://127.0.0.1:${port}`,
      ...(model.ttl !== undefined ? { ttl: model.ttl } : {}),
      ...(model.aliases ? { aliases: [...model.aliases] } : {}),
      ...(model.name !== undefined ? { name: model.name } : {}),
      ...(model.description !== undefined ? { description: model.description } : {}),
      ...(model.unlisted !== undefined ? { unlisted: model.unlisted } : {}),
    };
  }
  const config: Record<string, unknown> = {
    healthCheckTimeout: 15,
    logLevel: 'info',
    models,
    ...(options.apiKeys ? { apiKeys: [...options.apiKeys] } : {}),
    ...(options.profiles ? { profiles: options.profiles } : {}),
    ...(options.peers ? { peers: peersConfig(options.peers) } : {}),
    ...options.extraConfig,
  };
  return { config, ports };
}

function childEnv(): NodeJS.ProcessEnv {
  // The stand-ins are plain node processes: vitest's worker settings must not leak into them.
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key.startsWith('VITEST') || key === 'TINYPOOL_WORKER_ID') continue;
    env[key] = value;
  }
  return env;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Waits (bounded) until no process of the group is left, so callers may assert on ports and pids. */
async function groupGone(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline) {
    try {
      process.kill(-child.pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`llama-swap exited (${child.exitCode ?? child.signalCode}) before /health answered:\n${logs()}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`llama-swap did not answer /health within ${timeoutMs} ms:\n${logs()}`);
}

/** Starts the real llama-swap on a free 127.0.0.1 port with stand-in llama-servers as its models. */
export async function startRealLlamaSwap(options: RealLlamaSwapOptions, bin = findLlamaSwapBinary()): Promise<RealLlamaSwap> {
  if (!bin) throw new Error('no llama-swap binary: run `bash scripts/install-llama-swap.sh`');
  const dir = mkdtempSync(join(tmpdir(), 'llama-swap-e2e-'));
  const configPath = join(dir, 'config.yaml');
  const { config, ports } = await buildConfig(options);
  writeFileSync(configPath, stringify(config));
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // Own process group (detached): the models inherit it, so one group kill reaches them all.
  const child = spawn(bin, ['--config', configPath, '--listen', `127.0.0.1:${port}`], {
    cwd: REPO_ROOT, env: childEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const logs = (): string => output;

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      await exited(child);
      clearTimeout(timer);
      // llama-swap stops its models itself; this catches any it left behind.
      killGroup(child, 'SIGKILL');
      await groupGone(child);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    await waitForHealth(url, child, options.startTimeoutMs ?? 15_000, logs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, configPath, modelPorts: ports, pid: child.pid ?? -1, logs, stop };
}

/** The ids llama-swap's `/running` lists (with `key` when it asks for one). */
export async function runningIds(sw: RealLlamaSwap, key?: string): Promise<string[]> {
  const body = (await (await fetch(`${sw.url}/running`, { headers: key === undefined ? {} : { authorization: `Bearer ${key}` } })).json()) as { running: { model: string }[] };
  return body.running.map((r) => r.model);
}
