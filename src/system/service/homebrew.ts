/**
 * `brew services` for a llama-swap installed with Homebrew: detection (its plist, or
 * `brew services info llama-swap --json`) and start/stop/restart through brew itself, so we
 * never install a second LaunchAgent beside Homebrew's.
 */
import { existsSync } from 'node:fs';
import { homebrewPlistPath } from '../paths.js';
import type { CommandResult, CommandRunner, FileSystemRoot } from '../types.js';

export type BrewServiceInfo = {
  readonly name: string;
  readonly running: boolean;
  readonly loaded: boolean;
  readonly registered: boolean;
  readonly pid: number | null;
  readonly status: string;
};

export type BrewVerb = 'start' | 'stop' | 'restart';

/** Where Homebrew's own binary lives (Apple Silicon, then Intel). */
export const BREW_LOCATIONS: readonly string[] = ['/opt/homebrew/bin/brew', '/usr/local/bin/brew'];

/** Absolute path of brew, or null. */
export function findBrew(isExecutable: (file: string) => boolean): string | null {
  return BREW_LOCATIONS.find((p) => isExecutable(p)) ?? null;
}

/** Whether Homebrew's llama-swap service plist exists (cheap; used on every menu refresh). */
export function homebrewPlistExists(root: FileSystemRoot): boolean {
  return existsSync(homebrewPlistPath(root));
}

function bool(v: unknown): boolean {
  return v === true;
}

/** Parses `brew services info <formula> --json`; null when it is not the expected shape. */
export function parseBrewServicesInfo(text: string): BrewServiceInfo | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const first: unknown = Array.isArray(data) ? data[0] : data;
  if (typeof first !== 'object' || first === null) return null;
  const o = first as Record<string, unknown>;
  if (typeof o.name !== 'string') return null;
  return {
    name: o.name,
    running: bool(o.running),
    loaded: bool(o.loaded),
    registered: bool(o.registered),
    pid: typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 ? o.pid : null,
    status: typeof o.status === 'string' ? o.status : 'unknown',
  };
}

/** Asks brew about the llama-swap service; null when brew fails or the formula is not installed. */
export async function brewServicesInfo(runner: CommandRunner, brew: string): Promise<BrewServiceInfo | null> {
  const r = await runner.run(brew, ['services', 'info', 'llama-swap', '--json'], { timeoutMs: 30_000 });
  if (r.exitCode !== 0) return null;
  return parseBrewServicesInfo(r.stdout);
}

/** Whether brew's answer means Homebrew manages (or has managed) this service. */
export function brewManages(info: BrewServiceInfo | null): boolean {
  return info !== null && (info.registered || info.loaded || info.running);
}

/** `brew services start|stop|restart llama-swap`. */
export function brewServices(runner: CommandRunner, brew: string, verb: BrewVerb): Promise<CommandResult> {
  return runner.run(brew, ['services', verb, 'llama-swap'], { timeoutMs: 60_000 });
}
