/**
 * Install, uninstall, start, stop and restart llama-swap as a per-user LaunchAgent, or through
 * `brew services` when Homebrew manages it. Every operation is idempotent and returns an outcome
 * (never throws); on anything but macOS they say that launchd is needed.
 */
import { mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ActionName } from '../types.js';
import { findLlamaSwap, isExecutableFile, searchDirs } from './find-binary.js';
import { brewServices, findBrew } from './homebrew.js';
import type { BrewVerb } from './homebrew.js';
import { bootout, bootstrap, commandError, kickstart, printJob } from './launchctl.js';
import { buildLaunchAgentPlist, listenAddress } from './launch-agent-plist.js';
import { writeFileSafelyOrThrow } from '../safe-file.js';
import { launchAgentPlistPath, launchAgentsDir } from '../paths.js';
import { describePlatform } from '../host/platform.js';
import { resolveManager } from './service-state.js';
import type { ServiceDeps } from './service-state.js';

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

async function viaBrew(deps: ServiceDeps, verb: BrewVerb): Promise<ServiceOutcome> {
  const brew = findBrew(deps.isExecutable ?? isExecutableFile);
  if (brew === null) {
    return { ok: false, message: 'llama-swap runs under Homebrew services, but brew was not found in /opt/homebrew/bin or /usr/local/bin' };
  }
  const r = await brewServices(deps.runner, brew, verb);
  const done = { start: 'started', stop: 'stopped', restart: 'restarted' }[verb];
  return r.exitCode === 0
    ? { ok: true, message: `llama-swap ${done} (brew services)` }
    : { ok: false, message: `brew services ${verb} llama-swap failed: ${commandError(r)}` };
}

/** bootstrap, retried once: right after a bootout launchd may still be tearing the job down. */
async function bootstrapWithRetry(deps: ServiceDeps, plistPath: string): Promise<ServiceOutcome> {
  let r = await bootstrap(deps.runner, deps.platform.uid, plistPath);
  if (r.exitCode !== 0) {
    await (deps.sleep ?? defaultSleep)(500);
    r = await bootstrap(deps.runner, deps.platform.uid, plistPath);
  }
  return r.exitCode === 0
    ? { ok: true, message: 'llama-swap started' }
    : { ok: false, message: `launchctl bootstrap failed: ${commandError(r)}` };
}

/** Writes (or rewrites) the LaunchAgent plist and (re)loads it; refuses beside Homebrew's service. */
export async function installService(deps: ServiceDeps): Promise<ServiceOutcome> {
  const refusal = needsMacos(deps);
  if (refusal) return refusal;
  const manager = await resolveManager(deps, true);
  if (manager === 'homebrew') {
    return {
      ok: true,
      message: 'llama-swap is already a Homebrew service (homebrew.mxcl.llama-swap); not installing a duplicate LaunchAgent (to switch: brew services stop llama-swap, then install_service)',
    };
  }
  const binaryPath = findLlamaSwap({ pathEnv: deps.pathEnv, root: deps.fsRoot, isExecutable: deps.isExecutable });
  if (binaryPath === null) {
    const where = searchDirs({ pathEnv: deps.pathEnv, root: deps.fsRoot }).join(', ');
    return { ok: false, message: `llama-swap binary not found (looked in ${where}); install it with: brew install llama-swap` };
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
  const started = await bootstrapWithRetry(deps, plistPath);
  if (!started.ok) return started;
  return { ok: true, message: `${job.loaded ? 'reinstalled' : 'installed'} LaunchAgent ${config.serviceLabel} and started llama-swap` };
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
    if (r.exitCode !== 0) return { ok: false, message: `launchctl bootout failed: ${commandError(r)}` };
  }
  const existed = existsSync(plistPath);
  try {
    await rm(plistPath, { force: true });
  } catch (error) {
    return { ok: false, message: `could not remove ${plistPath}: ${(error as Error).message}` };
  }
  if (!existed && !job.loaded) {
    const brewNote = (await resolveManager(deps, false)) === 'homebrew' ? ' (llama-swap runs under brew services; use: brew services stop llama-swap)' : '';
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

/** Starts llama-swap: bootstrap when not loaded, kickstart when loaded but not running. */
export async function startService(deps: ServiceDeps): Promise<ServiceOutcome> {
  const refusal = needsMacos(deps);
  if (refusal) return refusal;
  const manager = await resolveManager(deps, true);
  if (manager === 'homebrew') return viaBrew(deps, 'start');
  if (manager === 'none') return notInstalled(deps);
  const { serviceLabel } = deps.config;
  const job = await printJob(deps.runner, deps.platform.uid, serviceLabel);
  if (!job.loaded) return bootstrapWithRetry(deps, launchAgentPlistPath(deps.fsRoot, serviceLabel));
  if (job.pid !== null) return { ok: true, message: `llama-swap is already running (pid ${job.pid})` };
  const r = await kickstart(deps.runner, deps.platform.uid, serviceLabel, false);
  return r.exitCode === 0 ? { ok: true, message: 'llama-swap started' } : { ok: false, message: `launchctl kickstart failed: ${commandError(r)}` };
}

/** Stops llama-swap by booting the job out (it stays installed; it starts again at next login). */
export async function stopService(deps: ServiceDeps): Promise<ServiceOutcome> {
  const refusal = needsMacos(deps);
  if (refusal) return refusal;
  const manager = await resolveManager(deps, true);
  if (manager === 'homebrew') return viaBrew(deps, 'stop');
  const { serviceLabel } = deps.config;
  const job = await printJob(deps.runner, deps.platform.uid, serviceLabel);
  if (!job.loaded) return { ok: true, message: 'llama-swap is not running; nothing to stop' };
  const r = await bootout(deps.runner, deps.platform.uid, serviceLabel);
  return r.exitCode === 0 ? { ok: true, message: 'llama-swap stopped' } : { ok: false, message: `launchctl bootout failed: ${commandError(r)}` };
}

/** Restarts llama-swap: `kickstart -k` when loaded, bootstrap when not. */
export async function restartService(deps: ServiceDeps): Promise<ServiceOutcome> {
  const refusal = needsMacos(deps);
  if (refusal) return refusal;
  const manager = await resolveManager(deps, true);
  if (manager === 'homebrew') return viaBrew(deps, 'restart');
  if (manager === 'none') return notInstalled(deps);
  const { serviceLabel } = deps.config;
  const job = await printJob(deps.runner, deps.platform.uid, serviceLabel);
  if (!job.loaded) return bootstrapWithRetry(deps, launchAgentPlistPath(deps.fsRoot, serviceLabel));
  const r = await kickstart(deps.runner, deps.platform.uid, serviceLabel, true);
  return r.exitCode === 0 ? { ok: true, message: 'llama-swap restarted' } : { ok: false, message: `launchctl kickstart failed: ${commandError(r)}` };
}
