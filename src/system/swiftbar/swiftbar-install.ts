/**
 * `install-plugin` / `uninstall-plugin`: put exactly one executable wrapper into SwiftBar's
 * plugin folder (from SwiftBar's preferences, or --dir), and take exactly that file away again.
 * The API key never goes into the wrapper: it is kept in a 0600 file the wrapper reads at start.
 * From a source checkout, install first (re)builds dist/ when it is missing or older than src/,
 * so SwiftBar always runs the bundle rather than compiling TypeScript at every start; from an
 * installed npm package (no src/) the wrapper runs that package's bundle.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { lstat, mkdir, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileSafelyOrThrow } from '../safe-file.js';
import { apiKeyFilePath, expandHome, pluginSupportDir } from '../paths.js';
import { describePlatform } from '../host/platform.js';
import { CONFIG_DEFAULTS, settingsToCarry } from '../config.js';
import { parseHostsSetting } from '../hosts-setting.js';
import { formatKeyFile, parseKeyFile } from '../key-file.js';
import { WRAPPER_MARKER, defaultWrapperName, shQuote, wrapperScript } from './swiftbar-wrapper.js';
import type { CommandRunner, FileSystemRoot, Platform, Result } from '../types.js';

export type PluginInstallDeps = {
  readonly runner: CommandRunner;
  readonly fsRoot: FileSystemRoot;
  readonly platform: Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Absolute node binary that runs the installer (process.execPath). */
  readonly execPath: string;
  readonly projectDir: string;
  readonly version: string;
};

export type PluginInstallOptions = {
  readonly dir?: string | undefined;
  readonly name?: string | undefined;
  /** Entry script; default `<projectDir>/dist/main.js`. */
  readonly entry?: string | undefined;
  readonly streaming: boolean;
};

export type PluginOutcome = { readonly ok: boolean; readonly message: string; readonly path?: string };

/** SwiftBar refuses a folder with 50 candidate files; we never make it reach that. */
export const MAX_EXISTING_PLUGIN_FILES = 48;

export const DEFAULTS = '/usr/bin/defaults';

/** SwiftBar's plugin folder: --dir, else its preference `PluginDirectory` (macOS only). */
export async function resolvePluginDir(
  deps: Pick<PluginInstallDeps, 'runner' | 'fsRoot' | 'platform'>,
  dir: string | undefined,
): Promise<Result<string, string>> {
  if (dir !== undefined) {
    const abs = path.resolve(expandHome(deps.fsRoot, dir));
    return { ok: true, value: abs };
  }
  if (deps.platform.name !== 'macos') {
    return { ok: false, error: `SwiftBar runs on macOS; on ${describePlatform(deps.platform.name)} pass --dir <folder>` };
  }
  const r = await deps.runner.run(DEFAULTS, ['read', 'com.ameba.SwiftBar', 'PluginDirectory']);
  const value = r.stdout.trim();
  if (r.exitCode !== 0 || value === '') {
    return { ok: false, error: 'SwiftBar has no plugin folder yet: open SwiftBar once and choose one, or pass --dir <folder>' };
  }
  return { ok: true, value: path.resolve(expandHome(deps.fsRoot, value)) };
}

/** Files SwiftBar would consider plugins: non-hidden, recursive, not `*.json`. */
export function countPluginCandidates(dir: string, except: string | null): number {
  let n = 0;
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (!e.name.endsWith('.json') && full !== except) n += 1;
    }
  };
  walk(dir);
  return n;
}

function validName(name: string): boolean {
  return name !== '' && !name.startsWith('.') && !name.includes('/') && name !== '..';
}

/** An interval part of a SwiftBar file name (`5s`, `1.5m`, `500ms`): every dot part after the first is tried as one. */
const INTERVAL_PART = /^\d+(?:\.\d+)?(?:ms|s|m|h|d)$/;

/**
 * Why SwiftBar would misread `name` as our wrapper's file name, or null when it reads it right.
 * SwiftBar takes `{name}.{interval}.{ext}`: the plugin name is the text before the first dot and
 * every later dot part may be an interval. A space or shell-special character breaks the
 * `bash=` items that run the wrapper, and the `.sh` ending is what marks the file as ours to find
 * again (uninstall, doctor). One-shot mode needs an interval or SwiftBar runs the plugin only once.
 */
export function wrapperNameProblem(name: string, streaming: boolean): string | null {
  if (!validName(name)) return 'it must be a plain file name (no "/", not starting with ".")';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return 'use only letters, digits, ".", "-" and "_" (no spaces): SwiftBar runs the file by this name';
  if (!name.endsWith('.sh') || name === '.sh') return 'it must end in .sh';
  const parts = name.slice(0, -'.sh'.length).split('.').slice(1);
  const intervals = parts.filter((p) => INTERVAL_PART.test(p));
  // A streamable plugin ignores the interval, so only one-shot mode needs one.
  if (!streaming && intervals.length === 0) return 'one-shot mode needs a refresh interval in the name, e.g. llama-swap.5s.sh';
  return null;
}

async function isOurs(file: string): Promise<boolean> {
  try {
    return (await readFile(file, 'utf8')).includes(WRAPPER_MARKER);
  } catch {
    return false;
  }
}

/**
 * The keys install-plugin was given: LLAMA_SWAP_API_KEY, and LLAMA_SWAP_API_KEY_<NAME> of each
 * host LLAMA_SWAP_HOSTS names (a key variable of no configured host is not stored).
 */
function givenKeys(env: PluginInstallDeps['env']): { readonly defaultKey: string | null; readonly hostKeys: ReadonlyMap<string, string> } {
  const hostKeys = new Map<string, string>();
  const hosts = parseHostsSetting(env, { apiUrl: CONFIG_DEFAULTS.baseUrl });
  if (hosts.named) {
    for (const { keyVar } of hosts.hosts) {
      const key = env[keyVar]?.trim() ?? '';
      if (key !== '' && /^[!-~]+$/.test(key)) hostKeys.set(keyVar, key);
    }
  }
  const key = env.LLAMA_SWAP_API_KEY;
  return { defaultKey: key === undefined || key === '' ? null : key, hostKeys };
}

async function saveKey(deps: PluginInstallDeps): Promise<string | null> {
  const given = givenKeys(deps.env);
  const file = apiKeyFilePath(deps.fsRoot, deps.platform.name);
  if (given.defaultKey === null && given.hostKeys.size === 0) return existsSync(file) ? file : null;
  await mkdir(pluginSupportDir(deps.fsRoot, deps.platform.name), { recursive: true, mode: 0o700 });
  // The key file is a secret: never write it through a link, nor over a file someone else owns.
  const existing = await lstat(file).catch(() => null);
  if (existing && !existing.isSymbolicLink() && existing.uid !== deps.platform.uid) {
    throw new Error(`${file} belongs to another user (uid ${existing.uid}); remove it first`);
  }
  // Keys given now replace the stored ones of the same variable; the others are kept.
  const stored = existing && existing.isFile() ? parseKeyFile(await readFile(file, 'utf8').catch(() => '')) : { defaultKey: '', hostKeys: new Map<string, string>() };
  const keys = { defaultKey: given.defaultKey ?? stored.defaultKey, hostKeys: new Map([...stored.hostKeys, ...given.hostKeys]) };
  await writeFileSafelyOrThrow(file, formatKeyFile(keys), { mode: 0o600, onSymlink: 'refuse' });
  return file;
}

/** Newest modification time (ms) of the files under `dir`, recursively; 0 when there are none. */
function newestMtime(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(full) : statSync(full, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  }
  return newest;
}

/** A clone of the repository (sources beside the bundle), as opposed to an installed npm package. */
export function isSourceCheckout(projectDir: string): boolean {
  return existsSync(path.join(projectDir, 'src', 'main.tsx'));
}

/** The build command of a source checkout (tsx runs scripts/build.ts), or null when projectDir is not one. */
export function bundleBuildCommand(projectDir: string, execPath: string): { readonly file: string; readonly args: readonly string[] } | null {
  const script = path.join(projectDir, 'scripts', 'build.ts');
  if (!existsSync(script) || !isSourceCheckout(projectDir)) return null;
  return { file: execPath, args: [path.join(projectDir, 'node_modules', 'tsx', 'dist', 'cli.mjs'), script] };
}

/** True when `<projectDir>/dist/main.js` is missing or older than a file of src/ or the build script. */
export function bundleIsStale(projectDir: string): boolean {
  const bundle = statSync(path.join(projectDir, 'dist', 'main.js'), { throwIfNoEntry: false });
  if (!bundle) return true;
  const sources = Math.max(newestMtime(path.join(projectDir, 'src')), statSync(path.join(projectDir, 'scripts', 'build.ts'), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return sources > bundle.mtimeMs;
}

/** Builds dist/ when stale; a note for the install message ('' when nothing was needed). */
async function ensureBundle(deps: PluginInstallDeps): Promise<string> {
  const command = bundleBuildCommand(deps.projectDir, deps.execPath);
  if (command === null || !bundleIsStale(deps.projectDir)) return '';
  if (!existsSync(command.args[0] ?? '')) {
    return '; dist/ is missing or out of date and tsx is not installed (run npm install, then npm run build): the plugin starts slower through tsx';
  }
  const r = await deps.runner.run(command.file, command.args, { timeoutMs: 120_000 });
  if (r.exitCode === 0 && !bundleIsStale(deps.projectDir)) return '; built dist/';
  const why = (r.stderr.trim().split('\n')[0] ?? '').slice(0, 160);
  return `; could not build dist/ (${why === '' ? `exit ${r.exitCode}` : why}): run npm run build, until then the plugin starts slower through tsx`;
}

/** Writes the wrapper into SwiftBar's plugin folder (building dist/ first when a checkout's bundle is stale). */
export async function installPlugin(deps: PluginInstallDeps, options: PluginInstallOptions): Promise<PluginOutcome> {
  const name = options.name ?? defaultWrapperName(options.streaming);
  const nameProblem = wrapperNameProblem(name, options.streaming);
  if (nameProblem !== null) return { ok: false, message: `SwiftBar would misread the plugin file name ${JSON.stringify(name)}: ${nameProblem}` };
  const dir = await resolvePluginDir(deps, options.dir);
  if (!dir.ok) return { ok: false, message: dir.error };
  let createdDir = false;
  if (!existsSync(dir.value)) {
    try {
      await mkdir(dir.value, { recursive: true });
      createdDir = true;
    } catch (error) {
      return { ok: false, message: `could not create the plugin folder ${dir.value}: ${(error as Error).message}` };
    }
  } else if (!statSync(dir.value).isDirectory()) {
    return { ok: false, message: `${dir.value} is not a folder` };
  }
  const target = path.join(dir.value, name);
  if (existsSync(target) && !(await isOurs(target))) {
    return { ok: false, message: `${target} exists and was not written by llama-swap-swiftbar; choose another --name` };
  }
  const count = countPluginCandidates(dir.value, target);
  if (count > MAX_EXISTING_PLUGIN_FILES) {
    return { ok: false, message: `${dir.value} already holds ${count} files; SwiftBar stops loading plugins at 50, so nothing was written` };
  }
  const built = options.entry === undefined ? await ensureBundle(deps) : '';
  // Only valid, known settings go into the wrapper: a bad value would warn on every run.
  const settings = settingsToCarry(deps.env);
  const dropped =
    settings.dropped.length === 0 ? '' : `; left out of the wrapper: ${settings.dropped.map((d) => `${d.variable} (${d.reason})`).join(', ')}`;
  try {
    const keyFile = await saveKey(deps);
    const script = wrapperScript({
      nodeCandidates: [deps.execPath],
      entry: options.entry ?? path.join(deps.projectDir, 'dist', 'main.js'),
      projectDir: deps.projectDir,
      installedPackage: !isSourceCheckout(deps.projectDir),
      env: settings.kept,
      keyFile,
      streaming: options.streaming,
      version: deps.version,
    });
    // The temporary name starts with a dot: SwiftBar ignores dot-files, so it never runs a half-written plugin.
    await writeFileSafelyOrThrow(target, script, { mode: 0o755, onSymlink: 'replace', mkdirParent: false, hiddenTemp: true });
  } catch (error) {
    return { ok: false, message: `could not write: ${(error as Error).message}` };
  }
  return { ok: true, message: `installed SwiftBar plugin ${target}${createdDir ? ' (created the folder)' : ''}${built}${dropped}`, path: target };
}

/** Removes the wrapper (only a file this project wrote). */
export async function uninstallPlugin(
  deps: PluginInstallDeps,
  options: Omit<PluginInstallOptions, 'entry'>,
): Promise<PluginOutcome> {
  const name = options.name ?? defaultWrapperName(options.streaming);
  if (!validName(name)) return { ok: false, message: `invalid plugin file name: ${JSON.stringify(name)}` };
  const dir = await resolvePluginDir(deps, options.dir);
  if (!dir.ok) return { ok: false, message: dir.error };
  let target = path.join(dir.value, name);
  if (!existsSync(target) && options.name === undefined) {
    // Installed under the other mode's default name (or a custom one): find our marker.
    target = (await findInstalledWrapper(dir.value)) ?? target;
  }
  if (!existsSync(target)) return { ok: true, message: `no plugin at ${target}; nothing to do`, path: target };
  if (!(await isOurs(target))) {
    return { ok: false, message: `${target} was not written by llama-swap-swiftbar; left in place` };
  }
  const keyFile = await keyFileOf(deps, target);
  try {
    await rm(target);
  } catch (error) {
    return { ok: false, message: `could not remove ${target}: ${(error as Error).message}` };
  }
  const keyNote = keyFile === null ? '' : await removeKeyFile(deps, keyFile, dir.value);
  return { ok: true, message: `removed SwiftBar plugin ${target}${keyNote}`, path: target };
}

/** The key file a wrapper of ours reads, when it is the one install-plugin writes (never any other path). */
async function keyFileOf(deps: PluginInstallDeps, wrapper: string): Promise<string | null> {
  const ours = apiKeyFilePath(deps.fsRoot, deps.platform.name);
  try {
    return (await readFile(wrapper, 'utf8')).includes(`LLAMA_SWAP_KEY_FILE=${shQuote(ours)}\n`) ? ours : null;
  } catch {
    return null;
  }
}

/**
 * Removes the API key file install-plugin wrote, unless another wrapper of ours in the folder
 * still reads it, and then its folder when that is left empty. A note for the message.
 */
async function removeKeyFile(deps: PluginInstallDeps, keyFile: string, pluginDir: string): Promise<string> {
  const other = await findInstalledWrapper(pluginDir);
  if (other !== null && (await keyFileOf(deps, other)) !== null) return `; kept ${keyFile}, which ${other} still reads`;
  if (!existsSync(keyFile)) return '';
  try {
    await rm(keyFile);
  } catch (error) {
    return `; could not remove the API key file ${keyFile}: ${(error as Error).message}`;
  }
  const support = pluginSupportDir(deps.fsRoot, deps.platform.name);
  try {
    if (readdirSync(support).length === 0) await rmdir(support);
  } catch {
    // The folder is gone or unreadable: nothing more to tidy.
  }
  return ` and the API key file ${keyFile}`;
}

/** Finds an installed wrapper (default names first) in a folder; null when none. */
export async function findInstalledWrapper(dir: string): Promise<string | null> {
  const names = [defaultWrapperName(true), defaultWrapperName(false)];
  let others: string[] = [];
  try {
    others = readdirSync(dir).filter((n) => !names.includes(n) && n.endsWith('.sh'));
  } catch {
    return null;
  }
  for (const n of [...names, ...others]) {
    const file = path.join(dir, n);
    if (existsSync(file) && (await isOurs(file))) return file;
  }
  return null;
}
