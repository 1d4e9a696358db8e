/**
 * The real llama.cpp `llama-server` for the ground-truth suite: where scripts/install-llama-server.sh
 * put it (outside the clone, named in .cache/llama-server/location), the GGUF writer beside it,
 * and direct reads of its own /metrics (not through llama-swap, so they never count as use of a
 * model).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMetrics } from '../../../src/system/llama-swap/metrics-parser.js';
import type { LlamaMetrics } from '../../../src/system/types.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MARKER_DIR = join(REPO_ROOT, '.cache', 'llama-server');

export type RealLlamaServer = {
  /** The llama-server binary. */
  readonly bin: string;
  /** make-tiny-gguf.py, with llama.cpp's gguf-py where it looks for it. */
  readonly ggufTool: string;
};

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** $LLAMA_SERVER_DIR, else the folder the install script recorded. */
export function findRealLlamaServer(): RealLlamaServer | null {
  let dir = process.env['LLAMA_SERVER_DIR'] ?? null;
  if (dir === null) {
    try {
      dir = readFileSync(join(MARKER_DIR, 'location'), 'utf8').trim();
    } catch {
      return null;
    }
  }
  const bin = join(dir, 'bin', 'llama-server');
  const ggufTool = join(dir, 'tools', 'make-tiny-gguf.py');
  return executable(bin) && existsSync(ggufTool) ? { bin, ggufTool } : null;
}

/** Run, skip (one console line) or fail (CI=true: a missing build is a failure, never a skip). */
export function realLlamaServerGate(): { readonly server: RealLlamaServer | null; readonly failure: string | null } {
  const server = findRealLlamaServer();
  if (server) return { server, failure: null };
  let reason = 'no llama-server build';
  try {
    reason = readFileSync(join(MARKER_DIR, 'unavailable.txt'), 'utf8').trim() || reason;
  } catch {
    // No reason recorded: the install script was not run.
  }
  if (process.env['CI'] === 'true') return { server, failure: `CI=true but ${reason}: .ci/run must run \`bash scripts/install-llama-swap.sh\` (it builds llama-server too)` };
  console.log(`ground-truth suite skipped: ${reason}; enable with \`bash scripts/install-llama-swap.sh\``);
  return { server, failure: null };
}

/** Writes a random-weight GGUF (make-tiny-gguf.py's options, e.g. ['--n-embd', '512']). */
export async function writeModel(server: RealLlamaServer, out: string, options: readonly string[] = []): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile('python3', [server.ggufTool, '--out', out, ...options], { timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`make-tiny-gguf.py failed: ${stderr || error.message}`));
      else resolve();
    });
  });
}

/** llama-server's own /metrics, read at its port. */
export async function serverMetrics(port: number): Promise<LlamaMetrics> {
  return parseMetrics(await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) })).text());
}

/**
 * The llama-server command line for llama-swap's `cmd` (`{PORT}` filled in by the harness). One
 * thread: on 2 shared cores, two ggml threads spin at each barrier while the other core is taken,
 * and generation fell from ~150 to ~2 t/s with both cores busy; one thread just runs slower.
 */
export function llamaServerArgv(server: RealLlamaServer, model: string, slots: number, ctx: number): string[] {
  return [server.bin, '--host', '127.0.0.1', '--port', '{PORT}', '-m', model, '--metrics', '-c', String(ctx), '-np', String(slots), '-t', '1', '-tb', '1', '--no-webui'];
}
