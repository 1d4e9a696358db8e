/**
 * Service state in layers: plist present → launchd job loaded (and its PID) → process alive →
 * API answering. Also decides whose launchd job runs llama-swap: our LaunchAgent, a Homebrew-labelled
 * job a user made, or none.
 */
import { existsSync } from 'node:fs';
import { findLlamaSwap } from './find-binary.js';
import { printJob } from './launchctl.js';
import { homebrewJob, launchAgentPlistPath } from '../paths.js';
import type { CommandRunner, FileSystemRoot, Platform, PluginConfig, ServiceView } from '../types.js';

export type ServiceDeps = {
  readonly runner: CommandRunner;
  readonly fsRoot: FileSystemRoot;
  readonly platform: Platform;
  readonly config: PluginConfig;
  /** PATH used to find llama-swap. */
  readonly pathEnv?: string | undefined;
  readonly isExecutable?: (file: string) => boolean;
  /** Whether a PID is alive; defaults to `process.kill(pid, 0)`. */
  readonly isAlive?: (pid: number) => boolean;
  /** Pause between bootout and bootstrap; injectable so tests do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
};

export type Manager = ServiceView['manager'];

export type ServiceLayers = ServiceView & {
  readonly label: string;
  readonly plistPath: string;
  /** Layer 3: the job's PID answers `kill(pid, 0)`. */
  readonly processAlive: boolean;
  /** Layer 4: the caller's health answer; null when not asked. */
  readonly apiAnswering: boolean | null;
};

/** Default liveness probe: signal 0 checks existence; EPERM still means it exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The launchd job that runs llama-swap: who made it, its label and its plist. */
export type ManagedJob = { readonly manager: Manager; readonly label: string; readonly plistPath: string };

/**
 * Who runs llama-swap. Our own LaunchAgent wins; then a Homebrew-labelled job (sh.brew.llama-swap or
 * homebrew.mxcl.llama-swap) if a user made one: llama-swap's formula has no service, so brew is
 * never asked. 'none' carries our label (what install_service would create).
 */
export function resolveJob(deps: Pick<ServiceDeps, 'platform' | 'fsRoot' | 'config'>): ManagedJob {
  const ours = { label: deps.config.serviceLabel, plistPath: launchAgentPlistPath(deps.fsRoot, deps.config.serviceLabel) };
  if (deps.platform.name !== 'macos') return { manager: 'none', ...ours };
  if (existsSync(ours.plistPath)) return { manager: 'launchagent', ...ours };
  const theirs = homebrewJob(deps.fsRoot);
  if (theirs !== null) return { manager: 'homebrew', ...theirs };
  return { manager: 'none', ...ours };
}

/** All four layers; `health` (layer 4) is asked whatever the others say (llama-swap may run by hand). */
export async function detectServiceLayers(
  deps: ServiceDeps,
  options: { readonly health?: () => Promise<boolean> } = {},
): Promise<ServiceLayers> {
  const { manager, label, plistPath } = resolveJob(deps);
  const binaryPath = findLlamaSwap({ pathEnv: deps.pathEnv, root: deps.fsRoot, isExecutable: deps.isExecutable });
  const base = {
    platform: deps.platform.name,
    manager,
    binaryPath,
    configPath: deps.config.configFilePath,
    configExists: existsSync(deps.config.configFilePath),
    logPath: deps.config.logFilePath,
    label,
    plistPath,
  };
  let installed = false;
  let loaded = false;
  let pid: number | null = null;
  let alive = false;
  let launchctlError: string | null = null;
  if (deps.platform.name === 'macos' && manager !== 'none') {
    installed = true;
    const job = await printJob(deps.runner, deps.platform.uid, label);
    loaded = job.loaded;
    launchctlError = job.error;
    if (job.pid !== null && (deps.isAlive ?? processAlive)(job.pid)) {
      pid = job.pid;
      alive = true;
    }
  }
  const apiAnswering = options.health ? await options.health() : null;
  return { ...base, installed, loaded, pid, launchctlError, processAlive: alive, apiAnswering };
}

/** The service part of the menu model. */
export async function detectService(deps: ServiceDeps): Promise<ServiceView> {
  const l = await detectServiceLayers(deps);
  return {
    platform: l.platform,
    manager: l.manager,
    installed: l.installed,
    loaded: l.loaded,
    pid: l.pid,
    binaryPath: l.binaryPath,
    configPath: l.configPath,
    configExists: l.configExists,
    logPath: l.logPath,
    launchctlError: l.launchctlError ?? null,
  };
}
