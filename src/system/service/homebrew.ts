/**
 * Homebrew and llama-swap: the formula (`brew tap mostlygeek/llama-swap && brew install llama-swap`)
 * installs the binary only. It has no `service do` block, so `brew services start llama-swap`
 * fails and no Homebrew job exists: a Homebrew-installed llama-swap runs under the plugin's own
 * LaunchAgent. A Homebrew-labelled job a user made by hand is still accepted (see paths.ts).
 */

/** How to install llama-swap with Homebrew (the tap is required: it is not in homebrew-core). */
export const BREW_INSTALL_COMMAND = 'brew tap mostlygeek/llama-swap && brew install llama-swap';

/** Where Homebrew puts the binaries it links (Apple Silicon, then Intel). */
export const HOMEBREW_BIN_DIRS: readonly string[] = ['/opt/homebrew/bin', '/usr/local/bin'];

/** Whether a llama-swap binary sits where Homebrew links it (informational: it changes nothing about control). */
export function isHomebrewBinary(binaryPath: string): boolean {
  return HOMEBREW_BIN_DIRS.some((dir) => binaryPath === `${dir}/llama-swap`) || /\/(Cellar|opt)\/llama-swap\//.test(binaryPath);
}
