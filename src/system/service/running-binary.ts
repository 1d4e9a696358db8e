/**
 * llama-swap's program found through the llama-swap that runs: the process listening on the API
 * port, and the executable its command line names. A llama-swap started from a folder on no PATH
 * SwiftBar knows (and not in Homebrew's) is still installed: this is where.
 */
import { lsofListener } from '../host/listening-process.js';
import { executableOf, psTable } from '../host/known-processes.js';
import { isExecutableFile } from './find-binary.js';
import type { CommandRunner } from '../types.js';

export type RunningBinaryDeps = {
  readonly runner: CommandRunner;
  readonly isExecutable?: (file: string) => boolean;
};

/** The executable of the process listening on `port` (macOS: lsof, then ps), or null. */
export async function runningLlamaSwapBinary(deps: RunningBinaryDeps, port: number): Promise<string | null> {
  const pid = await lsofListener(deps.runner)(port).catch(() => null);
  if (pid === null) return null;
  const [reading] = await psTable(deps.runner).read([pid]).catch(() => []);
  const file = reading === undefined ? null : executableOf(reading.command);
  return file !== null && (deps.isExecutable ?? isExecutableFile)(file) ? file : null;
}
