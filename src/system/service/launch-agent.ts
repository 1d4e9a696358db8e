/**
 * Install, uninstall, start, stop and restart llama-swap as a per-user LaunchAgent (also when the
 * binary came from Homebrew: its formula has no service), or a Homebrew-labelled job a user made,
 * always through launchctl. Every operation is idempotent and returns an outcome (never throws);
 * every launchctl failure carries launchctl's own words and exit code; off macOS they say that
 * launchd is needed.
 */
import { mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ActionName } from '../types.js';
import { findLlamaSwap, searchDirs } from './find-binary.js';
import { runningLlamaSwapBinary } from './running-binary.js';
import { BREW_INSTALL_COMMAND, isHomebrewBinary } from './homebrew.js';
import { bootout, bootstrap, kickstart, launchctlMessage, parseLaunchctlFailure, printJob, type JobInfo } from './launchctl.js';
import { buildLaunchAgentPlist, listenAddress } from './launch-agent-plist.js';
import { writeFileSafelyOrThrow } from '../safe-file.js';
import { launchAgentPlistPath, launchAgentsDir } from '../paths.js';
import { describePlatform } from '../host/platform.js';
import { resolveJob } from './service-state.js';
import type { ManagedJob, ServiceDeps } from './service-state.js';

export type ServiceOutcome = {
  readonly ok: boolean;
  readonly message: string;
  /** An action that would fix a failure (e.g. install_service when nothing is installed). */
  readonly offer?: ActionName;
};

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The refusal every service action gives off macOS. */
export function needsMacos(deps: Pick<ServiceDeps, 'platform'>): ServiceOutcome | null {
  if (deps.platform.name === 'macos') return null;
  return {
    ok: false,
    message: `service control needs macOS (launchd); this is ${describePlatform(deps.platform.name)}`,
  };
}

/**
 * bootstrap; a failure with 5 (Input/output error: often the label is still loaded, or launchd is
 * still tearing it down after a bootout) is retried once after a bootout of the label.
 */
async function bootstrapWithRetry(deps: ServiceDeps, job: Pick<ManagedJob, 'label' | 'plistPath'>): Promise<ServiceOutcome> {
  let r = await bootstrap(deps.runner, deps.platform.uid, job.plistPath);
  if (r.exitCode !== 0 && parseLaunchctlFailure(r).code === 5) {
    await bootout(deps.runner, deps.platform.uid, job.label);
    await (deps.sleep ?? defaultSleep)(500);
    r = await bootstrap(deps.runner, deps.platform.uid, job.plistPath);
  }
  return r.exitCode === 0 ? { ok: true, message: 'llama-swap started' } : { ok: false, message: launchctlMessage('bootstrap', r) };
}

/** Writes (or rewrites) the LaunchAgent plist and (re)loads it; refuses beside Homebrew's service. */
export async function installService(deps: ServiceDeps): Promise<ServiceOutcome> {
  const refusal = needsMacos(deps);
  if (refusal) return refusal;
  const existing = resolveJob(deps);
  if (existing.manager === 'homebrew') {
    return {
      ok: true,
      message: `llama-swap already runs as ${existing.label} (${existing.plistPath}); not installing a second LaunchAgent (to switch: remove that job, then install_service)`,
    };
  }
  const binaryPath =
    findLlamaSwap({ pathEnv: deps.pathEnv, root: deps.fsRoot, isExecutable: deps.isExecutable }) ??
    // Run by hand from elsewhere: the running program is the one to install.
    (await runningLlamaSwapBinary(deps, deps.config.apiPort));
  if (binaryPath === null) {
    const where = searchDirs({ pathEnv: deps.pathEnv, root: deps.fsRoot }).join(', ');
    return { ok: false, message: `llama-swap binary not found (looked in ${where}); install it with: ${BREW_INSTALL_COMMAND}` };
  }
  const { config } = deps;
  if (!existsSync(config.configFilePath)) {
    return { ok: false, message: `llama-swap configuration not found: ${config.configFilePath}; create it first`, offer: 'edit_config' };
  }
  const plistPath = launchAgentPlistPath(deps.fsRoot, config.serviceLabel);
  const xml = buildLaunchAgentPlist({
    label: config.serviceLabel,
    binaryPath,
    configPath: config.configFilePath,
    listen: listenAddress(config),
    logPath: config.logFilePath,
  });
  try {
    await mkdir(launchAgentsDir(deps.fsRoot), { recursive: true });
    await mkdir(path.dirname(config.logFilePath), { recursive: true });
    await writeFileSafelyOrThrow(plistPath, xml, { mode: 0o644, onSymlink: 'replace' });
  } catch (error) {
    return { ok: false, message: `could not write ${plistPath}: ${(error as Error).message}` };
  }
  const job = await printJob(deps.runner, deps.platform.uid, config.serviceLabel);
  if (job.loaded) await bootout(deps.runner, deps.platform.uid, config.serviceLabel);
  const started = await bootstrapWithRetry(deps, { label: config.serviceLabel, plistPath });
  if (!started.ok) return started;
  const brewNote = isHomebrewBinary(binaryPath) ? ` (Homebrew's ${binaryPath})` : '';
  return { ok: true, message: `${job.loaded ? 'reinstalled' : 'installed'} LaunchAgent ${config.serviceLabel} and started llama-swap${brewNote}` };
}

/** Unloads the job and deletes its plist; fine when nothing is installed. */
export async function uninstallService(deps: ServiceDeps): Promise<ServiceOutcome> {
  const refusal = needsMacos(deps);
  if (refusal) return refusal;
  const { serviceLabel } = deps.config;
  const plistPath = launchAgentPlistPath(deps.fsRoot, serviceLabel);
  const job = await printJob(deps.runner, deps.platform.uid, serviceLabel);
  if (job.loaded) {
    const r = await bootout(deps.runner, deps.platform.uid, serviceLabel);
    if (r.exitCode !== 0) return { ok: false, message: launchctlMessage('bootout', r) };
  }
  const existed = existsSync(plistPath);
  try {
    await rm(plistPath, { force: true });
  } catch (error) {
    return { ok: false, message: `could not remove ${plistPath}: ${(error as Error).message}` };
  }
  if (!existed && !job.loaded) {
    const other = resolveJob(deps);
    const brewNote = other.manager === 'homebrew' ? ` (llama-swap runs as ${other.label}, which this plugin did not install; left alone)` : '';
    return { ok: true, message: `LaunchAgent ${serviceLabel} was not installed; nothing to do${brewNote}` };
  }
  return { ok: true, message: `uninstalled LaunchAgent ${serviceLabel}` };
}

function notInstalled(deps: ServiceDeps): ServiceOutcome {
  return {
    ok: false,
    message: `llama-swap is not installed as a service (no ${launchAgentPlistPath(deps.fsRoot, deps.config.serviceLabel)}); run install_service`,
    offer: 'install_service',
  };
}

/**
 * Start and restart alike: refused off macOS, "not installed" without a job, bootstrapped when
 * launchd does not know the job; `whenLoaded` decides what a loaded job needs.
 */
async function withLoadedJob(deps: ServiceDeps, whenLoaded: (label: string, info: JobInfo) => Promise<ServiceOutcome>): Promise<ServiceOutcome> {
  const refusal = needsMacos(deps);
  if (refusal) return refusal;
  const job = resolveJob(deps);
  if (job.manager === 'none') return notInstalled(deps);
  const info = await printJob(deps.runner, deps.platform.uid, job.label);
  return info.loaded ? whenLoaded(job.label, info) : bootstrapWithRetry(deps, job);
}

/** Starts llama-swap: bootstrap when not loaded, kickstart when loaded but not running. */
export function startService(deps: ServiceDeps): Promise<ServiceOutcome> {
  return withLoadedJob(deps, async (label, info) => {
    if (info.pid !== null) return { ok: true, message: `llama-swap is already running (pid ${info.pid})` };
    const r = await kickstart(deps.runner, deps.platform.uid, label, false);
    return r.exitCode === 0 ? { ok: true, message: 'llama-swap started' } : { ok: false, message: launchctlMessage('kickstart', r) };
  });
}

/** Stops llama-swap by booting the job out (it stays installed; it starts again at next login). */
export async function stopService(deps: ServiceDeps): Promise<ServiceOutcome> {
  const refusal = needsMacos(deps);
  if (refusal) return refusal;
  const job = resolveJob(deps);
  const info = await printJob(deps.runner, deps.platform.uid, job.label);
  if (!info.loaded) return { ok: true, message: 'llama-swap is not running; nothing to stop' };
  const r = await bootout(deps.runner, deps.platform.uid, job.label);
  return r.exitCode === 0 ? { ok: true, message: 'llama-swap stopped' } : { ok: false, message: launchctlMessage('bootout', r) };
}

/** Restarts llama-swap: `kickstart -k` when loaded, bootstrap when not. */
export function restartService(deps: ServiceDeps): Promise<ServiceOutcome> {
  return withLoadedJob(deps, async (label) => {
    const r = await kickstart(deps.runner, deps.platform.uid, label, true);
    return r.exitCode === 0 ? { ok: true, message: 'llama-swap restarted' } : { ok: false, message: launchctlMessage('kickstart', r) };
  });
}
