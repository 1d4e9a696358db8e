/**
 * Runs the plugin the way a user's SwiftBar does: `install-plugin --dir <tmp>` (through
 * bin/llama-swap-swiftbar.js, which runs the built dist/) writes the wrapper into a temporary
 * SwiftBar plugin folder under a temporary HOME; the wrapper is then started with SwiftBar's
 * own environment and nothing else (`env -i`-like: HOME, PATH=/usr/bin:/bin, the SWIFTBAR_*
 * variables of test/fixtures/swiftbar/env-from-plugin-2.0.1-sequoia.txt), so the settings and
 * the API key reach the plugin only through the wrapper. Frames are cut at `~~~` lines and
 * structure-checked; a clicked item runs its own `bash=` + `paramN=` as SwiftBar does with
 * runInBash=false (argv, no shell, the plugin's environment).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFrame, splitFrames, type ParsedFrame, type ParsedItem } from '../../../src/reconciler/parse.js';
import { checkFrame, type FrameProblem } from '../../helpers/frame-checker.js';

/** How to start the plugin. */
export type PluginProcessOptions = {
  /** llama-swap's base URL with its port, e.g. `http://127.0.0.1:45786`. */
  readonly apiUrl: string;
  /** LLAMA_SWAP_API_TIMEOUT_SECS; default 0.5. */
  readonly timeoutSecs?: number;
  /**
   * Settings: LLAMA_SWAP_* variables are given to `install-plugin` (which writes them into the
   * wrapper, the key into its 0600 file); others are added to the plugin's own environment.
   * A value of undefined removes a default.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Arguments after the wrapper; default none (streaming). */
  readonly args?: readonly string[];
  /** Reuse a cache folder (history.json) instead of a fresh temporary one. */
  readonly cacheDir?: string;
  /** Keep every frame (default); false keeps only the newest, for long runs (soak). */
  readonly retainFrames?: boolean;
  /** Whose environment: SwiftBar 2.0.1 (captured, the default) or 2.1.0 (from its source; clicks arrive on stdin). */
  readonly swiftbar?: SwiftBarVersion;
};

/** The SwiftBar versions test/fixtures/swiftbar/ has an environment for. */
export type SwiftBarVersion = '2.0.1' | '2.1.0';

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
  /** The temporary HOME (the API key file lives under it). */
  readonly home: string;
  /** The installed wrapper that SwiftBar would run. */
  readonly wrapper: string;
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
  /** Runs a menu item's action as SwiftBar would (its `bash` with `param1..N` as argv). */
  click(item: ParsedItem): Promise<ActionRun>;
  /** Clicks a `stdin=` item as SwiftBar 2.1 does: its value plus a newline on the plugin's stdin. */
  clickStdin(item: ParsedItem): void;
  /** Writes raw bytes to the plugin's stdin (hostile input). */
  writeStdin(data: string | Buffer): Promise<void>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** SIGTERM (then SIGKILL after `graceMs`), resolving with the exit status. */
  stop(graceMs?: number): Promise<ExitStatus>;
  /** Stops the process if needed and removes the cache folder unless it was given. */
  dispose(): Promise<void>;
};

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(REPO_ROOT, 'bin', 'llama-swap-swiftbar.js');
const SWIFTBAR_ENV_FIXTURES: Readonly<Record<SwiftBarVersion, string>> = {
  '2.0.1': join(REPO_ROOT, 'test', 'fixtures', 'swiftbar', 'env-from-plugin-2.0.1-sequoia.txt'),
  '2.1.0': join(REPO_ROOT, 'test', 'fixtures', 'swiftbar', 'env-swiftbar-2.1.0-from-source.txt'),
};

/** The `param*` keys of an item in SwiftBar's order (natural sort on the number). */
export function actionArgv(item: ParsedItem): string[] {
  const keys = Object.keys(item.params).filter((k) => k.startsWith('param'));
  const num = (k: string): number => Number(/\d+/.exec(k)?.[0] ?? '-1');
  return keys.sort((a, b) => num(a) - num(b) || a.localeCompare(b)).map((k) => item.params[k] ?? '');
}

/** What `env -i HOME=… PATH=/usr/bin:/bin` leaves: no LLAMA_SWAP_*, no node on a custom PATH. */
export function minimalEnv(home: string): Record<string, string> {
  return { HOME: home, PATH: '/usr/bin:/bin', TMPDIR: tmpdir(), LANG: 'en_US.UTF-8' };
}

/** SwiftBar's variables for one plugin (names from a real SwiftBar 2.0.1, or 2.1.0's source), rooted in `home`. */
export function swiftBarEnv(home: string, wrapper: string, cacheDir: string, version: SwiftBarVersion = '2.0.1'): Record<string, string> {
  const real = Object.fromEntries(
    readFileSync(SWIFTBAR_ENV_FIXTURES[version], 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const name = wrapper.slice(wrapper.lastIndexOf('/') + 1);
  return {
    ...real,
    SWIFTBAR_PLUGIN_PATH: wrapper,
    SWIFTBAR_PLUGIN_CACHE_PATH: cacheDir,
    SWIFTBAR_PLUGIN_DATA_PATH: join(home, 'Library', 'Application Support', 'SwiftBar', 'Plugins', name),
    SWIFTBAR_PLUGINS_PATH: wrapper.slice(0, wrapper.lastIndexOf('/')),
    SWIFTBAR_PLUGIN_REFRESH_REASON: 'FirstLaunch',
  };
}

/**
 * `node bin/llama-swap-swiftbar.js install-plugin --dir <folder>` as a user runs it (with the
 * settings in its environment); returns the wrapper's path. Throws with the CLI's output on failure.
 */
export function installWrapper(home: string, settings: Readonly<Record<string, string>>, extraArgs: readonly string[] = []): string {
  const dir = join(home, 'SwiftBar');
  mkdirSync(dir, { recursive: true });
  const out = execFileSync(process.execPath, [BIN, 'install-plugin', '--dir', dir, ...extraArgs], {
    env: { ...minimalEnv(home), ...settings }, cwd: home, encoding: 'utf8', timeout: 120_000,
  });
  const match = /installed SwiftBar plugin (\S+)/.exec(out);
  if (!match?.[1]) throw new Error(`install-plugin did not report a wrapper:\n${out}`);
  return match[1];
}

/**
 * `node bin/llama-swap-swiftbar.js <args>` as a user types it in a terminal: their HOME, a plain
 * PATH and the settings they exported, not SwiftBar's environment nor the wrapper's.
 */
export function runBin(home: string, args: readonly string[], settings: Readonly<Record<string, string>> = {}): Promise<ActionRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...minimalEnv(home), ...settings }, cwd: home, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, argv: [process.execPath, BIN, ...args] });
    });
  });
}

/** A plugin installed into a temporary HOME's SwiftBar folder, not running. */
export type InstalledPlugin = {
  readonly home: string;
  /** The wrapper install-plugin wrote (what SwiftBar runs). */
  readonly wrapper: string;
  /** SWIFTBAR_PLUGIN_CACHE_PATH. */
  readonly cacheDir: string;
  /** The environment SwiftBar gives the plugin and its menu actions. */
  readonly env: Readonly<Record<string, string>>;
  /** Runs the wrapper once with `args` (an action, `--once`, `doctor`…) as SwiftBar or a user would. */
  run(args: readonly string[]): Promise<ActionRun>;
  /** Removes the temporary HOME (unless a cache folder was given, it lives there too). */
  dispose(): void;
};

/** Installs the plugin as a user does, with the settings of `options` (see PluginProcessOptions.env). */
export function installPlugin(options: PluginProcessOptions): InstalledPlugin {
  const home = mkdtempSync(join(tmpdir(), 'lss-e2e-home-'));
  const cacheDir = options.cacheDir ?? join(home, 'cache');
  const settings: Record<string, string> = {
    LLAMA_SWAP_API_BASE_URL: options.apiUrl,
    LLAMA_SWAP_API_TIMEOUT_SECS: String(options.timeoutSecs ?? 0.5),
  };
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env ?? {})) {
    const into = k.startsWith('LLAMA_SWAP_') ? settings : extra;
    if (v === undefined) delete into[k];
    else into[k] = v;
  }
  const wrapper = installWrapper(home, settings);
  const env: Record<string, string> = { ...minimalEnv(home), ...swiftBarEnv(home, wrapper, cacheDir, options.swiftbar), ...extra };
  const run = (args: readonly string[]): Promise<ActionRun> =>
    new Promise((resolve) => {
      execFile(wrapper, [...args], { env, cwd: home, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, argv: [wrapper, ...args] });
      });
    });
  return { home, wrapper, cacheDir, env, run, dispose: () => rmSync(home, { recursive: true, force: true }) };
}

/** Installs the plugin (or reuses `installed`) and starts the wrapper; frames are collected from the first byte on. */
export function startPluginProcess(options: PluginProcessOptions & { readonly installed?: InstalledPlugin }): PluginProcess {
  const installed = options.installed ?? installPlugin(options);
  const { home, wrapper, cacheDir, env } = installed;
  // SwiftBar execs the plugin file itself (runInBash=false), from its own working directory.
  const child = spawn(wrapper, [...(options.args ?? [])], { cwd: home, env, stdio: ['pipe', 'pipe', 'pipe'] });
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
    const argv = actionArgv(item);
    return new Promise((resolve) => {
      execFile(bash, argv, { env, cwd: home, timeout: 30_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, argv: [bash, ...argv] });
      });
    });
  };

  const writeStdin = (data: string | Buffer): Promise<void> =>
    new Promise((resolve, reject) => child.stdin.write(data, (error) => (error ? reject(error) : resolve())));

  // StreamablePlugin.writeStdin (SwiftBar 2.1): the item's `stdin=` value plus "\n", UTF-8.
  const clickStdin = (item: ParsedItem): void => {
    const value = item.params.stdin;
    if (value === undefined) throw new Error(`item ${JSON.stringify(item.title)} has no stdin=`);
    child.stdin.write(`${value}\n`);
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
    home,
    wrapper,
    env,
    frames,
    frameCount: () => count,
    malformed,
    latest: () => parsed[parsed.length - 1],
    stderr: () => stderrText,
    waitForFrame,
    click,
    clickStdin,
    writeStdin,
    exited,
    stop,
    dispose: async () => {
      await stop(2000);
      // A reused installation belongs to the caller.
      if (options.installed === undefined) installed.dispose();
    },
  };
}
