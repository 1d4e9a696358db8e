/**
 * The menu actions (seed names kept). Each returns an outcome; the CLI prints it, notifies
 * SwiftBar and records it. Service and open actions need macOS; API actions work anywhere.
 * Model and profile ids are checked against llama-swap's live lists before use.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileSafelyOrThrow } from '../safe-file.js';
import { installService, needsMacos, restartService, startService, stopService, uninstallService } from '../service/launch-agent.js';
import type { ServiceOutcome } from '../service/launch-agent.js';
import { OPEN } from '../swiftbar/notify.js';
import { describePlatform } from '../host/platform.js';
import type { ServiceDeps } from '../service/service-state.js';
import type { WaitReporter } from './action-wait.js';
import { apiFailure, showId } from './action-text.js';
import { loadModel, unloadAll, unloadModel } from './model-actions.js';
import type { LoadAnswer } from '../llama-swap/client-types.js';
import type { ActionName, ConfiguredModel, InflightRequest, PluginConfig, Profiles, Result, RunningModel } from '../types.js';

/** The part of H3's llama-swap client the actions use. */
export type ActionClient = {
  models(): Promise<Result<readonly ConfiguredModel[]>>;
  running(): Promise<Result<readonly RunningModel[]>>;
  /** Both unloads are answered once the models stopped; `timeoutMs` bounds that wait. */
  unloadAll(timeoutMs?: number): Promise<Result<unknown>>;
  unloadModel(id: string, timeoutMs?: number): Promise<Result<unknown>>;
  /** Waits up to `waitMs` for the model to be ready: 'started' when it was still loading. */
  loadModel(id: string, waitMs?: number): Promise<Result<LoadAnswer>>;
  /** Requests in flight now (`/api/events` snapshot). */
  inflight(): Promise<Result<readonly InflightRequest[]>>;
  cancelInflight(id: string): Promise<Result<unknown>>;
  profiles(): Promise<Result<Profiles>>;
  setProfile(id: string | null): Promise<Result<unknown>>;
  health(): Promise<Result<unknown>>;
};

export type ActionDeps = ServiceDeps & {
  /** Built lazily: service actions never load the HTTP client. */
  readonly client: () => Promise<ActionClient>;
  /** Told before a long wait on llama-swap (load, unload). */
  readonly waiting: WaitReporter;
};

export type ActionOutcome = ServiceOutcome;

type ActionSpec = {
  /** Positional arguments required. */
  readonly args: 0 | 1;
  /** The argument, as usage shows it (`<model id>`); '' without one. */
  readonly argsUsage: string;
  /** What the action does, for --help. */
  readonly summary: string;
  readonly run: (deps: ActionDeps, args: readonly string[]) => Promise<ActionOutcome>;
  /** Only a signal to the running plugin: no notification, nothing shown in the menu. */
  readonly quiet?: boolean;
};

/**
 * The menu passes an id SwiftBar cannot carry intact in a `paramN=` value (line breaks, `~~~`,
 * both quote kinds, a trailing backslash) as `--id-base64 <standard base64 of its UTF-8>`.
 */
export const ID_BASE64_FLAG = '--id-base64';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Action arguments with `--id-base64 <b64>` decoded back into the id; bad base64 or UTF-8 is an error, never a guess. */
export function decodeIdArgs(args: readonly string[]): { readonly ok: true; readonly args: readonly string[] } | { readonly ok: false; readonly message: string } {
  if (args[0] !== ID_BASE64_FLAG) return { ok: true, args };
  const encoded = args[1];
  if (args.length !== 2 || encoded === undefined || encoded === '' || !STRICT_BASE64.test(encoded)) {
    return { ok: false, message: `${ID_BASE64_FLAG} needs exactly one standard base64 value` };
  }
  try {
    const id = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
    return id === '' ? { ok: false, message: `${ID_BASE64_FLAG}: the id is empty` } : { ok: true, args: [id] };
  } catch {
    return { ok: false, message: `${ID_BASE64_FLAG}: the value is not UTF-8 text` };
  }
}

export { showId } from './action-text.js';

/** Web UI address: base URL, with the port unless the URL already has one, and `/ui/`. */
export function uiUrl(config: Pick<PluginConfig, 'apiUrl' | 'apiPort'>): string {
  try {
    const url = new URL(config.apiUrl);
    if (url.port === '') url.port = String(config.apiPort);
    return `${url.origin}/ui/`;
  } catch {
    return `http://127.0.0.1:${config.apiPort}/ui/`;
  }
}

/** The configuration written by edit_config when none exists: valid, with a commented example. */
export const CONFIG_TEMPLATE = `# llama-swap configuration, created by llama-swap-swiftbar.
# Reference: https://github.com/mostlygeek/llama-swap/blob/main/config.example.yaml
healthCheckTimeout: 500
logLevel: info
startPort: 10001
# Add your models, for example:
#   "qwen2.5-coder-7b":
#     cmd: llama-server --port \${PORT} -m /path/to/model.gguf --metrics
#     ttl: 300
models: {}
`;

function macOnly(deps: ActionDeps, what: string): ActionOutcome | null {
  if (deps.platform.name === 'macos') return null;
  return { ok: false, message: `${what} needs macOS; this is ${describePlatform(deps.platform.name)}` };
}

/**
 * Runs `open <options> -- <file>`: a path from the settings that begins with `-` is never read
 * as an option (and a relative one is made absolute first).
 */
async function openFile(deps: ActionDeps, options: readonly string[], file: string, done: string): Promise<ActionOutcome> {
  return openWith(deps, [...options, '--', path.resolve(file)], done);
}

async function openWith(deps: ActionDeps, args: readonly string[], done: string): Promise<ActionOutcome> {
  const r = await deps.runner.run(OPEN, args);
  if (r.exitCode === 0) return { ok: true, message: done };
  return { ok: false, message: `open failed: ${(r.stderr.trim() || `exit code ${r.exitCode}`).split('\n')[0] ?? ''}` };
}

/** llama-swap's in-flight ids are decimal counters; anything else is refused before any request. */
const REQUEST_ID = /^[0-9]{1,20}$/;

async function cancelRequest(deps: ActionDeps, id: string): Promise<ActionOutcome> {
  if (!REQUEST_ID.test(id)) return { ok: false, message: `not a request id: ${showId(id)}` };
  const client = await deps.client();
  const inflight = await client.inflight();
  if (!inflight.ok) return apiFailure('could not list the requests in flight', inflight.error);
  const request = inflight.value.find((r) => r.id === id);
  if (request === undefined) return { ok: true, message: `request ${id} has already finished; nothing to cancel` };
  const r = await client.cancelInflight(id);
  if (!r.ok && r.error.kind === 'not-found') return { ok: true, message: `request ${id} has already finished; nothing to cancel` };
  return r.ok ? { ok: true, message: `cancelled request ${id} (${showId(request.model)})` } : apiFailure(`could not cancel request ${id}`, r.error);
}

/**
 * Makes `id` the active profile. Any id means exactly that profile, "none" included (llama-swap
 * gives no name a special meaning); clearing is its own action, clear_profile.
 */
async function setProfile(deps: ActionDeps, id: string): Promise<ActionOutcome> {
  const client = await deps.client();
  const profiles = await client.profiles();
  if (!profiles.ok) return apiFailure('could not list profiles', profiles.error);
  if (!profiles.value.profiles.some((p) => p.id === id)) {
    return { ok: false, message: `unknown profile ${showId(id)} (clear_profile clears the active profile)` };
  }
  const r = await client.setProfile(id);
  if (!r.ok) return apiFailure('could not switch profile', r.error);
  return { ok: true, message: `profile ${showId(id)} active` };
}

/** No active profile: llama-swap's `{"name": null}`. */
async function clearProfile(deps: ActionDeps): Promise<ActionOutcome> {
  const client = await deps.client();
  const r = await client.setProfile(null);
  if (!r.ok) return apiFailure('could not clear the profile', r.error);
  return { ok: true, message: 'profile cleared' };
}

async function editConfig(deps: ActionDeps): Promise<ActionOutcome> {
  const refusal = macOnly(deps, `opening ${deps.config.configFilePath} in TextEdit`);
  if (refusal) return refusal;
  const file = deps.config.configFilePath;
  let created = false;
  if (!existsSync(file)) {
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileSafelyOrThrow(file, CONFIG_TEMPLATE, { mode: 0o644, onSymlink: 'refuse' });
      created = true;
    } catch (error) {
      return { ok: false, message: `could not create ${file}: ${(error as Error).message}` };
    }
  }
  return openFile(deps, ['-t'], file, created ? `created ${file} from a template and opened it` : `opened ${file}`);
}

async function viewLogs(deps: ActionDeps): Promise<ActionOutcome> {
  const refusal = macOnly(deps, `opening ${deps.config.logFilePath} in Console`);
  if (refusal) return refusal;
  const log = deps.config.logFilePath;
  if (!existsSync(log)) return { ok: false, message: `no log yet at ${log} (the service writes it once started)` };
  return openFile(deps, ['-a', 'Console'], log, `opened ${log} in Console`);
}

async function openUi(deps: ActionDeps): Promise<ActionOutcome> {
  const url = uiUrl(deps.config);
  return macOnly(deps, `opening the web UI (${url})`) ?? openWith(deps, [url], `opened ${url}`);
}

async function serviceAction(deps: ActionDeps, op: (d: ServiceDeps) => Promise<ServiceOutcome>): Promise<ActionOutcome> {
  return needsMacos(deps) ?? op(deps);
}

/** Every action, by name (the seed's names; `-` spellings are accepted too, see normalizeCommand). */
export const ACTIONS: Readonly<Record<ActionName, ActionSpec>> = {
  do_start: { args: 0, argsUsage: '', summary: 'start llama-swap (macOS: its launchd job)', run: (d) => serviceAction(d, startService) },
  do_stop: { args: 0, argsUsage: '', summary: 'stop llama-swap', run: (d) => serviceAction(d, stopService) },
  do_restart: { args: 0, argsUsage: '', summary: 'restart llama-swap', run: (d) => serviceAction(d, restartService) },
  install_service: { args: 0, argsUsage: '', summary: 'install and load the LaunchAgent (also for a Homebrew-installed llama-swap)', run: (d) => serviceAction(d, installService) },
  uninstall_service: { args: 0, argsUsage: '', summary: 'unload and remove the LaunchAgent', run: (d) => serviceAction(d, uninstallService) },
  do_unload: { args: 0, argsUsage: '', summary: 'unload every model (waits for llama-swap to stop them, up to 2 min)', run: unloadAll },
  do_unload_model: { args: 1, argsUsage: '<model id>', summary: 'unload one loaded model (id checked against the live list; waits up to 2 min)', run: (d, a) => unloadModel(d, a[0] ?? '') },
  do_load_model: { args: 1, argsUsage: '<model id>', summary: 'load a configured model (id checked against the live list; waits until it is ready, up to 10 min)', run: (d, a) => loadModel(d, a[0] ?? '') },
  do_cancel_request: { args: 1, argsUsage: '<request id>', summary: 'cancel one request in flight (id checked against llama-swap\'s live in-flight list)', run: (d, a) => cancelRequest(d, a[0] ?? '') },
  set_profile: { args: 1, argsUsage: '<profile id>', summary: 'make that profile active (checked against the live list; any id, "none" too)', run: (d, a) => setProfile(d, a[0] ?? '') },
  clear_profile: { args: 0, argsUsage: '', summary: 'clear the active profile (no profile active)', run: clearProfile },
  open_ui: { args: 0, argsUsage: '', summary: "open llama-swap's web UI in the browser (macOS)", run: openUi },
  view_logs: { args: 0, argsUsage: '', summary: "open llama-swap's log in Console (macOS)", run: viewLogs },
  refresh: {
    args: 0,
    argsUsage: '',
    summary: 'make the running menu read everything again now (it watches the record this writes; no restart)',
    quiet: true,
    run: () => Promise.resolve({ ok: true, message: 'refreshed' }),
  },
  edit_config: { args: 0, argsUsage: '', summary: "open llama-swap's configuration in TextEdit, creating it if missing (macOS)", run: editConfig },
};

/** Help's note on spellings. */
export const ACTION_ALIASES_NOTE = 'names take - or _ alike: install_plugin = install-plugin, install-service = install_service';

/** Whether a word names an action. */
export function isActionName(word: string): word is ActionName {
  return Object.prototype.hasOwnProperty.call(ACTIONS, word);
}
