/** Which operating system we run on, and the numeric uid for launchctl's `gui/<uid>` domain. */
import type { Platform, PlatformName } from '../types.js';

/** Maps a Node `process.platform` value to the three cases the plugin distinguishes. */
export function platformName(nodePlatform: string): PlatformName {
  if (nodePlatform === 'darwin') return 'macos';
  if (nodePlatform === 'linux') return 'linux';
  return 'other';
}

/** Detects the current platform; `getuid` is absent on Windows, where uid is -1. */
export function detectPlatform(
  proc: { readonly platform: string; readonly getuid?: (() => number) | undefined } = process,
): Platform {
  return { name: platformName(proc.platform), uid: typeof proc.getuid === 'function' ? proc.getuid() : -1 };
}

/** Human name for messages ("macOS", "Linux", "win32"). */
export function describePlatform(name: PlatformName, nodePlatform: string = process.platform): string {
  if (name === 'macos') return 'macOS';
  if (name === 'linux') return 'Linux';
  return nodePlatform;
}
