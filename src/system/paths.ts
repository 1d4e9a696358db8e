/**
 * Every per-user path the system layer writes or reads, derived from FileSystemRoot.home so tests
 * can point it at a temporary folder. Log and llama-swap config paths come from PluginConfig.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FileSystemRoot, PlatformName } from './types.js';

/**
 * Labels a Homebrew-style launchd job for llama-swap would carry: `sh.brew.<formula>` (Homebrew's
 * newer label) and `homebrew.mxcl.<formula>`. llama-swap's formula (tap mostlygeek/llama-swap) has
 * no service block, so `brew services` never writes one: such a job exists only if a user made it.
 */
export const HOMEBREW_SERVICE_LABELS = ['sh.brew.llama-swap', 'homebrew.mxcl.llama-swap'] as const;

/** `~/Library/LaunchAgents`. */
export function launchAgentsDir(root: FileSystemRoot): string {
  return path.join(root.home, 'Library', 'LaunchAgents');
}

/** `~/Library/LaunchAgents/<label>.plist`. */
export function launchAgentPlistPath(root: FileSystemRoot, label: string): string {
  return path.join(launchAgentsDir(root), `${label}.plist`);
}

/** The Homebrew-labelled llama-swap job whose plist exists in ~/Library/LaunchAgents, or null. */
export function homebrewJob(root: FileSystemRoot): { readonly label: string; readonly plistPath: string } | null {
  for (const label of HOMEBREW_SERVICE_LABELS) {
    const plistPath = launchAgentPlistPath(root, label);
    if (existsSync(plistPath)) return { label, plistPath };
  }
  return null;
}

/** Folder for this plugin's own secrets (the API key file), outside SwiftBar's plugin folder. */
export function pluginSupportDir(root: FileSystemRoot, platform: PlatformName): string {
  return platform === 'macos'
    ? path.join(root.home, 'Library', 'Application Support', 'llama-swap-swiftbar')
    : path.join(root.home, '.config', 'llama-swap-swiftbar');
}

/**
 * The one story about the API key, told alike by the menu, doctor, the CLI and the README:
 * install-plugin stores LLAMA_SWAP_API_KEY in a 0600 key file (apiKeyFilePath) the wrapper reads.
 */
export const API_KEY_ADVICE =
  'run install-plugin with LLAMA_SWAP_API_KEY set to one of the apiKeys of the llama-swap configuration (it stores the key in a 0600 file that the wrapper reads)';

/** The 0600 file the wrapper reads LLAMA_SWAP_API_KEY from. */
export function apiKeyFilePath(root: FileSystemRoot, platform: PlatformName): string {
  return path.join(pluginSupportDir(root, platform), 'api-key');
}

/** Expands a leading `~` or `~/` against the given home. */
export function expandHome(root: FileSystemRoot, p: string): string {
  if (p === '~') return root.home;
  if (p.startsWith('~/')) return path.join(root.home, p.slice(2));
  return p;
}
