/**
 * Runs the real plugin (`node --import tsx src/main.tsx`) as a child process, the way SwiftBar
 * runs a streamable plugin: reads its stdout, cuts it into frames at `~~~` lines, checks every
 * frame's structure, and runs a clicked item's `bash=` + `paramN=` exactly as SwiftBar does with
 * runInBash=false (argv, no shell) and the plugin's environment.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseFrame, splitFrames, type ParsedFrame, type ParsedItem } from '../../../src/reconciler/parse.js';
import { checkFrame, type FrameProblem } from '../../helpers/frame-checker.js';

/** How to start the plugin. */
export type PluginProcessOptions = {
  /** llama-swap's base URL with its port, e.g. `http://127.0.0.1:45786`. */
  readonly apiUrl: string;
  /** LLAMA_SWAP_API_TIMEOUT_SECS; default 0.5. */
  readonly timeoutSecs?: number;
  /** Extra or overriding variables (a value of undefined removes one). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Arguments after src/main.tsx; default none (streaming). */
  readonly args?: readonly string[];
  /** Reuse a cache folder (history.json) instead of a fresh temporary one. */
  readonly cacheDir?: string;
  /** Keep every frame (default); false keeps only the newest, for long runs (soak). */
  readonly retainFrames?: boolean;
};

/** One malformed frame: its index in the stream, its problems and its text. */
export type MalformedFrame = { readonly index: number; readonly problems: readonly FrameProblem[]; readonly text: string };

/** What an action run printed and how it ended. */
export type ActionRun = { readonly code: number | null; readonly stdout: string; readonly stderr: string; readonly argv: readonly string[] };

export type ExitStatus = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** A running plugin process. */
export type PluginProcess = {
  readonly child: ChildProcess;
  readonly pid: number;
  /** SWIFTBAR_PLUGIN_CACHE_PATH of this run. */
  readonly cacheDir: string;
  /** The environment the plugin (and every action) runs with. */
  readonly env: Readonly<Record<string, string>>;
  /** Raw frames in arrival order (only the newest when retainFrames is false). */
  readonly frames: readonly string[];
  /** Frames received so far. */
  frameCount(): number;
  /** Frames that failed the structure check (tests expect none). */
  readonly malformed: readonly MalformedFrame[];
  /** The newest frame, parsed. */
  latest(): ParsedFrame | undefined;
  stderr(): string;
  /**
   * Resolves with the first frame (counting from `fromIndex`, default: frames already seen are
   * checked too) that matches; rejects once any frame was malformed, on exit, or after `timeoutMs`.
   */
  waitForFrame(predicate: (frame: ParsedFrame, raw: string) => boolean, timeoutMs: number, label?: string, fromIndex?: number): Promise<ParsedFrame>;
  /** Runs a menu item's action as SwiftBar would (its `bash` with `param1..N` as argv; see staleBundle). */
  click(item: ParsedItem): Promise<ActionRun>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** SIGTERM (then SIGKILL after `graceMs`), resolving with the exit status. */
  stop(graceMs?: number): Promise<ExitStatus>;
  /** Stops the process if needed and removes the cache folder unless it was given. */
  dispose(): Promise<void>;
};

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(REPO_ROOT, 'src', 'main.tsx');
const BIN = join(REPO_ROOT, 'bin', 'llama-swap-swiftbar.js');
// Absolute, because `--import tsx` would resolve from the child's working directory.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Menu actions run bin/llama-swap-swiftbar.js, which prefers the bundle in dist/ when present.
 * A bundle older than the sources would make click tests exercise stale code, so click() then
 * takes bin's other branch itself (the sources through tsx, same arguments).
 */
export function staleBundle(): string | null {
  const bundle = join(REPO_ROOT, 'dist', 'main.js');
  if (!existsSync(bundle)) return null;
  const built = statSync(bundle).mtimeMs;
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = join(dir, e.name);
    return Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
  return newest(join(REPO_ROOT, 'src')) > built ? `${bundle} is older than src/` : null;
}

/** The `param*` keys of an item in SwiftBar's order (natural sort on the number). */
export function actionArgv(item: ParsedItem): string[] {
  const keys = Object.keys(item.params).filter((k) => k.startsWith('param'));
  const num = (k: string): number => Number(/\d+/.exec(k)?.[0] ?? '-1');
  return keys.sort((a, b) => num(a) - num(b) || a.localeCompare(b)).map((k) => item.params[k] ?? '');
}

/** A minimal, hermetic environment: no SWIFTBAR_PLUGIN_PATH, no LLAMA_SWAP_* from the outside. */
function baseEnv(home: string): Record<string, string> {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot'];
  const env: Record<string, string> = { HOME: home, TMPDIR: tmpdir() };
  for (const k of keep) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return env;
}

/** Starts the plugin; frames are collected from the first byte on. */
export function startPluginProcess(options: PluginProcessOptions): PluginProcess {
  const home = mkdtempSync(join(tmpdir(), 'lss-e2e-home-'));
  const cacheDir = options.cacheDir ?? join(home, 'cache');
  const env: Record<string, string> = {
    ...baseEnv(home),
    LLAMA_SWAP_API_BASE_URL: options.apiUrl,
    LLAMA_SWAP_API_TIMEOUT_SECS: String(options.timeoutSecs ?? 0.5),
    SWIFTBAR_PLUGIN_CACHE_PATH: cacheDir,
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, ...(options.args ?? [])], {
    cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'],
  });
  const frames: string[] = [];
  const parsed: ParsedFrame[] = [];
  const malformed: MalformedFrame[] = [];
  const waiters = new Set<() => void>();
  let stderrText = '';
  let pending = '';
  let exitStatus: ExitStatus | null = null;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };

  const retain = options.retainFrames ?? true;
  let count = 0;
  const accept = (text: string): void => {
    const problems = checkFrame(text);
    if (problems.length > 0 && malformed.length < 100) malformed.push({ index: count, problems, text });
    count++;
    if (!retain) {
      frames.length = 0;
      parsed.length = 0;
    }
    frames.push(text);
    parsed.push(parseFrame(text));
  };
  child.stdout.on('data', (chunk: Buffer) => {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      malformed.push({ index: count, problems: [{ line: 0, code: 'invalid-utf8', message: 'stdout is not UTF-8' }], text: '' });
      text = chunk.toString('utf8');
    }
    pending += text;
    // Everything up to the last complete `~~~` line is made of whole frames.
    const end = pending.startsWith('~~~\n') ? 4 : pending.lastIndexOf('\n~~~\n') + 5;
    if (end < 5 && !pending.startsWith('~~~\n')) return;
    const complete = pending.slice(0, end);
    pending = pending.slice(end);
    for (const frame of splitFrames(complete)) accept(frame);
    wake();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderrText += chunk.toString('utf8');
  });
  // A closed stdin (EPIPE on a write we never make) must not crash the test runner.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = { code, signal };
      resolve(exitStatus);
      wake();
    });
  });

  const waitForFrame = (predicate: (frame: ParsedFrame, raw: string) => boolean, timeoutMs: number, label = 'a matching frame', fromIndex = 0): Promise<ParsedFrame> =>
    new Promise((resolve, reject) => {
      let next = fromIndex;
      const finish = (fn: () => void): void => {
        clearTimeout(timer);
        waiters.delete(check);
        fn();
      };
      const check = (): void => {
        if (malformed.length > 0) {
          const bad = malformed[0];
          finish(() => reject(new Error(`malformed frame #${bad?.index ?? -1} while waiting for ${label}: ${JSON.stringify(bad?.problems)}\n${bad?.text ?? ''}`)));
          return;
        }
        for (; next < parsed.length; next++) {
          const frame = parsed[next];
          if (frame && predicate(frame, frames[next] ?? '')) {
            const found = frame;
            finish(() => resolve(found));
            return;
          }
        }
        if (exitStatus) finish(() => reject(new Error(`plugin exited (${JSON.stringify(exitStatus)}) before ${label}; stderr:\n${stderrText}`)));
      };
      const timer = setTimeout(() => {
        const last = frames[frames.length - 1] ?? '(no frame yet)';
        finish(() => reject(new Error(`no frame with ${label} within ${timeoutMs} ms (${frames.length} frames); last frame:\n${last.replace(/image=[A-Za-z0-9+/=]{64,}/g, 'image=<png>')}\nstderr:\n${stderrText}`)));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  const click = (item: ParsedItem): Promise<ActionRun> => {
    const bash = item.params.bash;
    if (bash === undefined) return Promise.reject(new Error(`item ${JSON.stringify(item.title)} has no bash=`));
    let file = bash;
    let argv = actionArgv(item);
    // bin/ would run a stale bundle: take its other branch (node --import tsx src/main.tsx, same args).
    if (argv[0] === BIN && staleBundle() !== null) {
      file = process.execPath;
      argv = ['--import', TSX_LOADER, MAIN, ...argv.slice(1)];
    }
    return new Promise((resolve) => {
      execFile(file, argv, { env, cwd: REPO_ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, argv: [bash, ...argv] });
      });
    });
  };

  const stop = async (graceMs = 5000): Promise<ExitStatus> => {
    if (exitStatus) return exitStatus;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const status = await exited;
    clearTimeout(timer);
    return status;
  };

  return {
    child,
    pid: child.pid ?? -1,
    cacheDir,
    env,
    frames,
    frameCount: () => count,
    malformed,
    latest: () => parsed[parsed.length - 1],
    stderr: () => stderrText,
    waitForFrame,
    click,
    exited,
    stop,
    dispose: async () => {
      await stop(2000);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
