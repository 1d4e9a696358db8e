/**
 * `doctor`: the Rust plugin's troubleshooting list run by itself. Each check says what it saw
 * and, when something is wrong, what to do about it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionClient, ActionDeps } from './actions.js';
import { cjsExports } from '../cjs-interop.js';
import { findLlamaSwap, isExecutableFile } from '../service/find-binary.js';
import { runningLlamaSwapBinary } from '../service/running-binary.js';
import { printJob } from '../service/launchctl.js';
import { checkLaunchAgentPlist, listenAddress } from '../service/launch-agent-plist.js';
import { apiKeyFilePath, homebrewJob, launchAgentPlistPath } from '../paths.js';
import { BREW_INSTALL_COMMAND } from '../service/homebrew.js';
import { shWord } from './fix-command.js';
import { describePlatform } from '../host/platform.js';
import { detectServiceLayers, processAlive } from '../service/service-state.js';
import { countPluginCandidates, findInstalledWrapper, resolvePluginDir } from '../swiftbar/swiftbar-install.js';
import type { ConfigWarning, Result } from '../types.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export type DoctorCheck = {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do, when status is warn or fail. */
  readonly fix?: string;
};

/** The client, plus the optional per-model metrics probe of H3's client. */
export type DoctorClient = ActionClient & {
  readonly metrics?: (id: string) => Promise<Result<unknown>>;
};

export type DoctorDeps = Omit<ActionDeps, 'waiting'> & {
  readonly pluginDir?: string | undefined;
  /** A command that runs an action as printed (fix-command.ts): `<cli> install_service`. */
  readonly cli: string;
  /** Settings that did not parse (from readConfig). */
  readonly warnings?: readonly ConfigWarning[];
};

const check = (name: string, status: CheckStatus, detail: string, fix?: string): DoctorCheck =>
  fix === undefined ? { name, status, detail } : { name, status, detail, fix };

async function pluginCheck(deps: DoctorDeps): Promise<DoctorCheck> {
  const dir = await resolvePluginDir(deps, deps.pluginDir);
  if (!dir.ok) return check('SwiftBar plugin', deps.platform.name === 'macos' ? 'fail' : 'skip', dir.error);
  const wrapper = await findInstalledWrapper(dir.value);
  const count = countPluginCandidates(dir.value, null);
  if (count >= 50) return check('SwiftBar plugin', 'fail', `${dir.value} holds ${count} files; SwiftBar loads nothing from it`, 'move other files out of the plugin folder (keep it under 50)');
  if (wrapper === null) return check('SwiftBar plugin', 'fail', `no llama-swap wrapper in ${dir.value}`, `run: ${deps.cli} install-plugin`);
  if (!isExecutableFile(wrapper)) return check('SwiftBar plugin', 'fail', `${wrapper} is not executable`, `run: ${deps.cli} install-plugin (or chmod 755 it)`);
  return check('SwiftBar plugin', 'ok', `${wrapper} installed and executable`);
}

function serviceFileCheck(deps: DoctorDeps, manager: string, plistPath: string): DoctorCheck {
  if (manager === 'homebrew') return check('LaunchAgent', 'ok', `a Homebrew-labelled job someone made (${path.basename(plistPath, '.plist')}), controlled through launchctl`);
  if (manager === 'none') return check('LaunchAgent', 'fail', 'llama-swap is not installed as a service', `run: ${deps.cli} install_service`);
  let text = '';
  try {
    text = readFileSync(plistPath, 'utf8');
  } catch (error) {
    return check('LaunchAgent', 'fail', `cannot read ${plistPath}: ${(error as Error).message}`, `run: ${deps.cli} install_service`);
  }
  const parsed = checkLaunchAgentPlist(text);
  if (!parsed.ok) return check('LaunchAgent', 'fail', `${plistPath}: ${parsed.error}`, `run: ${deps.cli} install_service (rewrites it)`);
  const { label, programArguments: args } = parsed.value;
  const problems: string[] = [];
  if (label !== deps.config.serviceLabel) problems.push(`Label is ${label}, expected ${deps.config.serviceLabel}`);
  if (!isExecutableFile(args[0] ?? '')) problems.push(`program ${args[0] ?? '?'} is missing or not executable`);
  const listen = args[args.indexOf('--listen') + 1];
  if (!args.includes('--listen') || listen !== listenAddress(deps.config)) problems.push(`--listen is ${listen ?? 'unset'}, the plugin expects ${listenAddress(deps.config)}`);
  if (problems.length > 0) return check('LaunchAgent', 'warn', problems.join('; '), `run: ${deps.cli} install_service (rewrites it)`);
  return check('LaunchAgent', 'ok', `${plistPath} is valid`);
}

/** How to start llama-swap here: the launchd job on macOS, by hand elsewhere. */
function startAdvice(deps: DoctorDeps): string {
  const where = 'check LLAMA_SWAP_API_BASE_URL / LLAMA_SWAP_API_PORT';
  if (deps.platform.name === 'macos') return `run: ${deps.cli} do_start (or ${deps.cli} install_service first), and ${where}`;
  return `start it: llama-swap --config ${shWord(deps.config.configFilePath)} --listen ${listenAddress(deps.config)}, and ${where}`;
}

async function apiChecks(deps: DoctorDeps, client: DoctorClient): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const health = await client.health();
  if (!health.ok) {
    out.push(check('API', 'fail', health.error.message, startAdvice(deps)));
    return out;
  }
  out.push(check('API', 'ok', 'llama-swap answers /health'));
  const models = await client.models();
  if (!models.ok) {
    const unauthorized = models.error.kind === 'unauthorized';
    out.push(check('API key', 'fail', models.error.message, unauthorized ? apiKeyFix(deps) : undefined));
    return out;
  }
  out.push(check('API key', 'ok', `accepted (${models.value.length} models configured)`));
  const running = await client.running();
  if (!running.ok) return out;
  const ready = running.value.filter((m) => m.state === 'ready');
  if (ready.length === 0) {
    out.push(check('metrics', 'skip', 'no model loaded; metrics are checked on loaded models only'));
    return out;
  }
  if (client.metrics === undefined) return out;
  for (const m of ready) {
    const r = await client.metrics(m.id);
    if (r.ok) out.push(check(`metrics ${JSON.stringify(m.id)}`, 'ok', 'llama-server /metrics answers'));
    else if (r.error.kind === 'metrics-disabled') out.push(check(`metrics ${JSON.stringify(m.id)}`, 'warn', 'llama-server runs without --metrics', "add --metrics to the model's cmd in the llama-swap config"));
    else out.push(check(`metrics ${JSON.stringify(m.id)}`, 'warn', r.error.message));
  }
  return out;
}

/** The API-key fix: install-plugin writes the 0600 key file the wrapper reads (one story everywhere). */
function apiKeyFix(deps: DoctorDeps): string {
  const keyFile = apiKeyFilePath(deps.fsRoot, deps.platform.name);
  return `run: LLAMA_SWAP_API_KEY=<one of the apiKeys in ${shWord(deps.config.configFilePath)}> ${deps.cli} install-plugin (it writes ${shWord(keyFile)}, mode 0600, which the wrapper reads)`;
}

/** How to open the configuration: edit_config on macOS (TextEdit), the file's path elsewhere. */
function editAdvice(deps: DoctorDeps): string {
  return deps.platform.name === 'macos' ? `${deps.cli} edit_config opens it` : `edit ${shWord(deps.config.configFilePath)}`;
}

async function configFileCheck(deps: DoctorDeps): Promise<DoctorCheck> {
  const cfg = deps.config.configFilePath;
  let text: string;
  try {
    text = await readFile(cfg, 'utf8');
  } catch {
    const fix = deps.platform.name === 'macos'
      ? `run: ${deps.cli} edit_config (creates a template)`
      : `create ${shWord(cfg)} (example: https://github.com/mostlygeek/llama-swap/blob/main/config.example.yaml)`;
    return check('llama-swap config', 'fail', `${cfg} does not exist or cannot be read`, fix);
  }
  const { parse } = cjsExports(await import('yaml'));
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return check('llama-swap config', 'fail', `${cfg}: ${(error as Error).message.split('\n')[0] ?? 'YAML error'}`, `fix the YAML (${editAdvice(deps)})`);
  }
  const models = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).models : undefined;
  if (typeof models !== 'object' || models === null || Object.keys(models).length === 0) {
    return check('llama-swap config', 'warn', `${cfg} defines no models`, `add a model under "models:" (${editAdvice(deps)})`);
  }
  return check('llama-swap config', 'ok', `${cfg} (${Object.keys(models).length} models)`);
}

/** Runs every check in order. */
export async function runDoctor(deps: DoctorDeps): Promise<readonly DoctorCheck[]> {
  const macos = deps.platform.name === 'macos';
  const checks: DoctorCheck[] = [];
  const warnings = deps.warnings ?? [];
  checks.push(warnings.length === 0 ? check('settings', 'ok', 'LLAMA_SWAP_* variables parse') : check('settings', 'warn', warnings.map((w) => w.message).join('; '), `set them right in your shell, then run: ${deps.cli} install-plugin (it rewrites the wrapper with them)`));
  checks.push(macos ? check('platform', 'ok', 'macOS') : check('platform', 'warn', `${describePlatform(deps.platform.name)}: service control and SwiftBar need macOS; API checks still run`));
  const major = Number(process.versions.node.split('.')[0]);
  checks.push(major >= 20 ? check('node', 'ok', `node ${process.versions.node}`) : check('node', 'fail', `node ${process.versions.node}`, 'install Node.js 20 or newer'));
  checks.push(await pluginCheck(deps));
  const onPath = findLlamaSwap({ pathEnv: deps.pathEnv, root: deps.fsRoot, isExecutable: deps.isExecutable });
  // A llama-swap that runs is installed wherever it lives (lsof is macOS's way to find it).
  const running = onPath === null && macos ? await runningLlamaSwapBinary(deps, deps.config.apiPort) : null;
  const binary = onPath ?? (running === null ? null : `${running} (the llama-swap running on port ${deps.config.apiPort})`);
  checks.push(binary ? check('llama-swap binary', 'ok', binary) : check('llama-swap binary', 'fail', 'not found on PATH, /opt/homebrew/bin, /usr/local/bin, ~/.local/bin, ~/go/bin', macos ? `run: ${BREW_INSTALL_COMMAND}` : 'put a release binary from https://github.com/mostlygeek/llama-swap/releases in ~/.local/bin'));
  checks.push(await configFileCheck(deps));
  if (macos) {
    const layers = await detectServiceLayers(deps);
    checks.push(serviceFileCheck(deps, layers.manager, layers.plistPath));
    if (existsSync(launchAgentPlistPath(deps.fsRoot, deps.config.serviceLabel)) && homebrewJob(deps.fsRoot) !== null) {
      checks.push(check('duplicate service', 'warn', 'both our LaunchAgent and a Homebrew-labelled llama-swap job are installed; they compete for the port', `keep one: ${deps.cli} uninstall_service, or remove the other job`));
    }
    if (layers.manager !== 'none') {
      const job = await printJob(deps.runner, deps.platform.uid, layers.label);
      const alive = job.pid !== null && (deps.isAlive ?? processAlive)(job.pid);
      if (!job.loaded) checks.push(check('launchd job', 'fail', `${layers.label} is not loaded`, `run: ${deps.cli} do_start`));
      else if (!alive) checks.push(check('launchd job', 'fail', `${layers.label} is loaded but not running (last exit code ${job.lastExitCode ?? '?'})`, `look at the log (run: ${deps.cli} view_logs), then run: ${deps.cli} do_restart`));
      else checks.push(check('launchd job', 'ok', `${layers.label} running, pid ${job.pid ?? '?'}`));
    }
  }
  checks.push(...(await apiChecks(deps, (await deps.client()) as DoctorClient)));
  return checks;
}

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

/** One line per check, and an indented "fix" line under each problem. */
export function formatDoctor(checks: readonly DoctorCheck[]): string {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${MARK[c.status]} ${c.name}: ${c.detail}`);
    if (c.fix !== undefined && (c.status === 'fail' || c.status === 'warn')) lines.push(`    fix: ${c.fix}`);
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  lines.push(failed === 0 ? 'All checks passed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`);
  return `${lines.join('\n')}\n`;
}
