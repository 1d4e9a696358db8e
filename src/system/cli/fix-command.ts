/**
 * The command a person can paste to run an action by hand, for `doctor`'s fix lines and the
 * "to fix:" hint of a failed action. `llama-swap-swiftbar` is on PATH only after a global npm
 * install (and then maybe not SwiftBar's), so the command names a file: the installed SwiftBar wrapper, which passes
 * its arguments on with the same settings and API key the menu uses, or else
 * `node <project>/bin/llama-swap-swiftbar.js`. Quoted for sh when the path needs it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { binScriptPath } from '../project-dir.js';
import { shQuote } from '../swiftbar/swiftbar-wrapper.js';

export type FixCommandInput = {
  /** The installed wrapper (SWIFTBAR_PLUGIN_PATH, or the one found in the plugin folder). */
  readonly wrapper?: string | null | undefined;
  /** Project root holding bin/llama-swap-swiftbar.js. */
  readonly projectDir: string;
  /** PATH to look for `node` on; when node is not there, the absolute node binary is printed. */
  readonly pathEnv?: string | undefined;
  /** The running node (process.execPath). */
  readonly execPath: string;
  /** Test seam: whether a file exists. */
  readonly exists?: (file: string) => boolean;
};

/** A word as sh reads it: bare when it holds only safe characters, single-quoted otherwise. */
export function shWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : shQuote(word);
}

/** `node`, when a `node` on PATH is found, else the absolute binary that runs this. */
function nodeCommand(input: FixCommandInput): string {
  const exists = input.exists ?? existsSync;
  const onPath = (input.pathEnv ?? '').split(path.delimiter).some((dir) => dir !== '' && path.isAbsolute(dir) && exists(path.join(dir, 'node')));
  return onPath ? 'node' : shWord(input.execPath);
}

/** The runnable command prefix: append the action (`<prefix> install_service`). */
export function fixCommand(input: FixCommandInput): string {
  const wrapper = input.wrapper ?? undefined;
  if (wrapper !== undefined && path.isAbsolute(wrapper)) return shWord(wrapper);
  return `${nodeCommand(input)} ${shWord(binScriptPath(input.projectDir))}`;
}
