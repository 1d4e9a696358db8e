/**
 * The action CLI: `<entry> <action> [args…]`, run by menu clicks (through the SwiftBar wrapper)
 * and by hand. Loads no React, satori or resvg. Every action prints one line, records
 * `<cacheDir>/last-action.json`, and under SwiftBar on macOS posts a notification.
 */
import path from 'node:path';
import { ACTIONS, decodeIdArgs, isActionName } from './actions.js';
import { fixCommand } from './fix-command.js';
import { wrapperFromEnv } from './action-invoker.js';
import { helpText } from './help.js';
import type { ActionClient, ActionDeps, ActionOutcome } from './actions.js';
import { ACTION_PENDING_RENEW_MS, clearActionPending, markActionPending, writeLastAction, type LastAction } from './action-log.js';
import { actionWaitMs, type WaitReporter } from './action-wait.js';
import { formatDoctor, runDoctor } from './doctor.js';
import { withStoredKey } from './stored-key.js';
import { findHostConfig, isLocalApi } from '../host-config.js';
import { notifySwiftBar, redact } from '../swiftbar/notify.js';
import { PACKAGE_NAME as CLI_NAME, findProjectDir, projectVersion } from '../project-dir.js';
import { findInstalledWrapper, installPlugin, resolvePluginDir, uninstallPlugin } from '../swiftbar/swiftbar-install.js';
import type { ActionName, CommandRunner, ConfigWarning, FileSystemRoot, Platform, PluginConfig } from '../types.js';

export type TextSink = { write(text: string): unknown };

export type ConfigReader = (
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly home: string; readonly platform: Platform['name'] },
) => { readonly config: PluginConfig; readonly warnings: readonly ConfigWarning[] };

export type CliDeps = {
  readonly runner: CommandRunner;
  readonly fsRoot: FileSystemRoot;
  readonly platform: Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Builds the llama-swap client (default: H3's createLlamaSwapClient). */
  readonly clientFactory?: (config: PluginConfig) => ActionClient | Promise<ActionClient>;
  /** Reads the configuration (default: H3's readConfig). */
  readonly readConfig?: ConfigReader;
  readonly isAlive?: (pid: number) => boolean;
  readonly isExecutable?: (file: string) => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Node binary recorded in the wrapper; default process.execPath. */
  readonly execPath?: string;
  /** Project root; default: found from this module's location. */
  readonly projectDir?: string;
  /** Hears every last-action record as it is written (the plugin running an action in-process). */
  readonly onRecord?: (rec: LastAction) => void;
};

/** Commands that are not menu actions. */
export const CLI_COMMANDS = ['install-plugin', 'uninstall-plugin', 'doctor', 'help'] as const;
type CliCommand = (typeof CLI_COMMANDS)[number];

/**
 * The canonical name for a command word: actions keep the seed's `snake_case` names and commands
 * their `kebab-case` ones, but either spelling is accepted (`install-service`, `install_plugin`).
 * Undefined for anything else.
 */
export function normalizeCommand(word: string): ActionName | CliCommand | '--help' | '--version' | undefined {
  if (word === '--help' || word === '-h') return '--help';
  if (word === '--version' || word === '-V') return '--version';
  const snake = word.replace(/-/g, '_');
  if (isActionName(snake)) return snake;
  const kebab = word.replace(/_/g, '-');
  return (CLI_COMMANDS as readonly string[]).includes(kebab) ? (kebab as CliCommand) : undefined;
}

/** Whether argv[0] asks for the CLI rather than the menu (main.tsx dispatches on this). */
export function isCliCommand(word: string | undefined): boolean {
  return word !== undefined && normalizeCommand(word) !== undefined;
}

/** Usage text (the runnable command when known, else the package name). */
export function usage(cli: string = CLI_NAME): string {
  return helpText(cli);
}

/** How to run an action by hand from here: the wrapper under SwiftBar, else node on bin/. */
function handCommand(deps: CliDeps, wrapper?: string | null): string {
  return fixCommand({
    wrapper: wrapper ?? wrapperFromEnv(deps.env) ?? undefined,
    projectDir: deps.projectDir ?? findProjectDir(),
    pathEnv: deps.env.PATH,
    execPath: deps.execPath ?? process.execPath,
  });
}

type Flags = { readonly values: Readonly<Record<string, string>>; readonly error: string | null };

function parseFlags(args: readonly string[], allowed: readonly string[]): Flags {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i] ?? '';
    const m = /^--([a-z]+)(?:=(.*))?$/s.exec(a);
    if (!m || !allowed.includes(m[1] ?? '')) return { values, error: `unknown argument ${JSON.stringify(a)}` };
    const value = m[2] ?? args[i + 1];
    if (m[2] === undefined) i += 1;
    if (value === undefined || value === '') return { values, error: `--${m[1] ?? ''} needs a value` };
    values[m[1] ?? ''] = value;
  }
  return { values, error: null };
}

/** The settings, with the API key found as the wrapper finds it (its 0600 file when the environment has none). */
async function readSettings(deps: CliDeps): Promise<ReturnType<ConfigReader>> {
  const reader = deps.readConfig ?? (await import('./cli-adapters.js')).defaultReadConfig;
  const env = await withStoredKey(deps.env, deps.fsRoot, deps.platform.name);
  return reader(env, { home: deps.fsRoot.home, platform: deps.platform.name });
}

async function loadConfig(deps: CliDeps): Promise<PluginConfig> {
  return (await readSettings(deps)).config;
}

/** Actions that act on this computer (its launchd job, its files), never on a host's API. */
const THIS_COMPUTER_ACTIONS: ReadonlySet<ActionName> = new Set(['do_start', 'do_stop', 'do_restart', 'install_service', 'uninstall_service', 'view_logs', 'edit_config']);

/**
 * The settings an action runs with: with `--host NAME`, that host of LLAMA_SWAP_HOSTS (its URL, its
 * own key only, its cache folder for the record the menu watches); else the single host.
 */
async function actionConfig(deps: CliDeps, name: ActionName, host: string | undefined): Promise<{ ok: true; config: PluginConfig } | { ok: false; message: string }> {
  if (host === undefined) return { ok: true, config: await loadConfig(deps) };
  const env = await withStoredKey(deps.env, deps.fsRoot, deps.platform.name);
  const found = findHostConfig(env, await loadConfig(deps), host);
  if (found === null) return { ok: false, message: `no host ${JSON.stringify(host)} in LLAMA_SWAP_HOSTS` };
  if (THIS_COMPUTER_ACTIONS.has(name) && !isLocalApi(found.config.apiUrl)) {
    return { ok: false, message: `${name} acts on this computer's llama-swap only; ${host} is at ${found.config.apiUrl}` };
  }
  return { ok: true, config: found.config };
}

/**
 * What the actions and doctor run with. `clientConfig` builds the HTTP client (actions pass their
 * own lookup timeout, doctor the menu's); `waiting` hears about long waits.
 */
function actionDeps(deps: CliDeps, config: PluginConfig, waiting: WaitReporter, clientConfig: PluginConfig = config): ActionDeps {
  let client: Promise<ActionClient> | null = null;
  return {
    runner: deps.runner,
    fsRoot: deps.fsRoot,
    platform: deps.platform,
    config,
    pathEnv: deps.env.PATH,
    isExecutable: deps.isExecutable,
    isAlive: deps.isAlive,
    sleep: deps.sleep,
    waiting,
    client: () => {
      client ??= (async () => {
        const factory = deps.clientFactory ?? (await import('./cli-adapters.js')).defaultClient;
        return factory(clientConfig);
      })();
      return client;
    },
  };
}

/**
 * The record times of one action: strictly increasing, so the menu (which takes a record only
 * when its time is newer) never misses the result that follows a "waiting" record in the same ms.
 */
function recordClock(deps: CliDeps): () => number {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    last = Math.max((deps.now ?? Date.now)(), last + 1);
    return last;
  };
}

/** Prints what a long action waits for and records it for the menu, marked pending. */
function waitingReporter(deps: CliDeps, config: PluginConfig, action: string, args: readonly string[], clock: () => number): WaitReporter {
  return async (text, waitMs) => {
    const secret = config.apiKey;
    const message = redact(text, secret);
    deps.stdout.write(`${message}\n`);
    const at = clock();
    const rec: LastAction = { action, args: args.map((a) => redact(a, secret)), ok: true, message, at, pendingUntil: at + waitMs };
    deps.onRecord?.(rec);
    // Best effort: a record that cannot be written only leaves the menu without the note.
    await writeLastAction(config.cacheDir, rec);
  };
}

async function report(deps: CliDeps, config: PluginConfig, action: string, args: readonly string[], out: ActionOutcome, clock: () => number, quiet = false): Promise<number> {
  const secret = config.apiKey;
  const fix = out.offer !== undefined && !out.ok ? ` (to fix: ${handCommand(deps)} ${out.offer})` : '';
  const message = redact(`${out.message}${fix}`, secret);
  if (out.ok) deps.stdout.write(`${message}\n`);
  else deps.stderr.write(`${CLI_NAME}: ${action}: ${message}\n`);
  const at = clock();
  const rec: LastAction = { action, args: args.map((a) => redact(a, secret)), ok: out.ok, message, at, ...(quiet && out.ok ? { quiet: true } : {}) };
  deps.onRecord?.(rec);
  const recorded = await writeLastAction(config.cacheDir, rec);
  // The menu learns an action's result from this file: when it cannot be written, say so here.
  if (!recorded.ok) deps.stderr.write(`${CLI_NAME}: ${action}: result not recorded for the menu: ${redact(recorded.message, secret)}\n`);
  if (!(quiet && out.ok)) await notifySwiftBar(deps, { title: out.ok ? 'llama-swap' : 'llama-swap: action failed', body: message }, secret);
  return out.ok ? 0 : 1;
}

async function runAction(deps: CliDeps, name: keyof typeof ACTIONS, rawArgs: readonly string[], host?: string): Promise<number> {
  const spec = ACTIONS[name];
  // The menu sends ids that SwiftBar would alter as `--id-base64 <b64>`; still checked against llama-swap's live list.
  const decoded = decodeIdArgs(rawArgs);
  if (!decoded.ok) {
    deps.stderr.write(`${CLI_NAME}: ${name}: ${decoded.message}\n`);
    return 2;
  }
  const args = decoded.args;
  if (args.length !== spec.args) {
    deps.stderr.write(`${CLI_NAME}: ${name}: expected ${spec.args ? 'one argument' : 'no arguments'}; usage: ${spec.args ? `${name} ${spec.argsUsage}` : name}\n`);
    return 2;
  }
  const resolved = await actionConfig(deps, name, host);
  if (!resolved.ok) {
    deps.stderr.write(`${CLI_NAME}: ${name}: ${resolved.message}\n`);
    return 2;
  }
  const config = resolved.config;
  const clock = recordClock(deps);
  // Actions wait on llama-swap within their own bounds, not the menu's polling timeout.
  const clientConfig = { ...config, apiTimeoutMs: actionWaitMs('lookup', config.apiTimeoutMs) };
  const run = actionDeps(deps, config, waitingReporter(deps, config, name, args, clock), clientConfig);
  let outcome: ActionOutcome;
  await markActionPending(config.cacheDir, name);
  // A long wait renews the marker, so the menu keeps from scraping until the action ends.
  const renew = setInterval(() => void markActionPending(config.cacheDir, name), ACTION_PENDING_RENEW_MS);
  renew.unref();
  try {
    try {
      outcome = await spec.run(run, args);
    } catch (error) {
      // The system layer returns outcomes; this only catches a bug, and still tells the user.
      outcome = { ok: false, message: `unexpected error: ${(error as Error).message}` };
    }
    return await report(deps, config, name, args, outcome, clock, spec.quiet === true);
  } finally {
    clearInterval(renew);
    await clearActionPending(config.cacheDir);
  }
}

async function runPluginCommand(deps: CliDeps, command: 'install-plugin' | 'uninstall-plugin', args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, command === 'install-plugin' ? ['dir', 'name', 'entry'] : ['dir', 'name']);
  if (flags.error !== null) {
    deps.stderr.write(`${CLI_NAME}: ${command}: ${flags.error}\n`);
    return 2;
  }
  const config = await loadConfig(deps);
  const projectDir = deps.projectDir ?? findProjectDir();
  const pdeps = { ...deps, execPath: deps.execPath ?? process.execPath, projectDir, version: projectVersion(projectDir) };
  const options = { dir: flags.values.dir, name: flags.values.name, streaming: config.streaming };
  const out = command === 'install-plugin'
    ? await installPlugin(pdeps, { ...options, entry: flags.values.entry ? path.resolve(flags.values.entry) : undefined })
    : await uninstallPlugin(pdeps, options);
  const message = redact(out.message, config.apiKey);
  if (out.ok) deps.stdout.write(`${message}\n`);
  else deps.stderr.write(`${CLI_NAME}: ${command}: ${message}\n`);
  return out.ok ? 0 : 1;
}

async function runDoctorCommand(deps: CliDeps, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, ['dir']);
  if (flags.error !== null) {
    deps.stderr.write(`${CLI_NAME}: doctor: ${flags.error}\n`);
    return 2;
  }
  const { config, warnings } = await readSettings(deps);
  // Fixes name a command that runs as printed: the installed wrapper when there is one.
  const dir = await resolvePluginDir(deps, flags.values.dir);
  const wrapper = dir.ok ? await findInstalledWrapper(dir.value) : null;
  const checks = await runDoctor({ ...actionDeps(deps, config, () => Promise.resolve()), pluginDir: flags.values.dir, cli: handCommand(deps, wrapper), warnings });
  deps.stdout.write(redact(formatDoctor(checks), config.apiKey));
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

const HOST_FLAG = '--host';

async function runHostAction(argv: readonly string[], deps: CliDeps): Promise<number> {
  const [host, word, ...args] = argv;
  const command = word === undefined ? undefined : normalizeCommand(word);
  // Troubleshoot in a host's section runs doctor, which checks this computer's set-up.
  if (command === 'doctor') return runDoctorCommand(deps, args);
  if (host === undefined || host === '' || command === undefined || !isActionName(command)) {
    deps.stderr.write(`${CLI_NAME}: ${HOST_FLAG} needs a host name and a menu action; ${CLI_NAME} --help lists them\n`);
    return 2;
  }
  return runAction(deps, command, args, host);
}

/** Runs one CLI invocation (argv without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  // `--host NAME <action> …`: the menu of several hosts sends each action to its own host.
  if (argv[0] === HOST_FLAG) return runHostAction(argv.slice(1), deps);
  const [word, ...args] = argv;
  const command = word === undefined ? undefined : normalizeCommand(word);
  if (word === undefined || command === 'help' || command === '--help') {
    (word === undefined ? deps.stderr : deps.stdout).write(usage(handCommand(deps)));
    return word === undefined ? 2 : 0;
  }
  if (command === '--version') {
    deps.stdout.write(`${projectVersion(deps.projectDir ?? findProjectDir())}\n`);
    return 0;
  }
  if (command === undefined) {
    deps.stderr.write(`${CLI_NAME}: unknown action ${JSON.stringify(word)}; ${CLI_NAME} --help lists them\n`);
    return 2;
  }
  if (command === 'install-plugin' || command === 'uninstall-plugin') return runPluginCommand(deps, command, args);
  if (command === 'doctor') return runDoctorCommand(deps, args);
  return runAction(deps, command, args);
}
