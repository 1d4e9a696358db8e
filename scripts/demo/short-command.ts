/**
 * A click's argv in the few words a person needs: the program's name and what follows it. The
 * demo's items run `/abs/path/to/node /abs/path/to/bin/llama-swap-swiftbar.js do_unload_model id`;
 * at 80 columns the two paths alone would fill the footer and cut the action and its id off.
 */
import path from 'node:path';
import { normalizeCommand } from '../../src/system/cli/cli.js';

/** `llama-swap-swiftbar do_unload_model id` for the above; an argv without a known action keeps its words, the program by name. */
export function shortCommand(argv: readonly string[]): string {
  const at = argv.findIndex((word, i) => i > 0 && !word.startsWith('-') && normalizeCommand(word) !== undefined);
  const program = at > 0 ? (argv[at - 1] ?? '') : (argv[0] ?? '');
  const name = path.basename(program).replace(/\.(c|m)?(js|ts|tsx)$/, '');
  return [name, ...argv.slice(at > 0 ? at : 1)].join(' ');
}
