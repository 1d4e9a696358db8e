/**
 * The real CommandRunner: `execFile` with an argv array (never a shell), a timeout, and no
 * throwing: a program that cannot start answers exitCode -1 with the reason in stderr. Programs
 * get the base environment of child-env.ts plus the call's own entries: no settings, no API key.
 */
import { execFile } from 'node:child_process';
import { childEnv } from '../child-env.js';
import type { CommandOptions, CommandResult, CommandRunner } from '../types.js';

/** Default timeout for one command; launchctl and open answer in well under a second. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 15_000;

type ExecError = Error & { code?: number | string | null; killed?: boolean; signal?: string | null };

function exitCodeOf(error: ExecError): number {
  // A numeric code is the program's exit status; a string code (ENOENT, EACCES) means it never ran.
  if (typeof error.code === 'number') return error.code;
  return -1;
}

/** Creates a CommandRunner backed by `child_process.execFile`. */
export function createCommandRunner(defaults: { readonly timeoutMs?: number } = {}): CommandRunner {
  return {
    run(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
      const timeout = options.timeoutMs ?? defaults.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
      const env = { ...childEnv(process.env), ...options.env };
      return new Promise((resolve) => {
        try {
          execFile(
            file,
            [...args],
            { timeout, env, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024, windowsHide: true },
            (error, stdout, stderr) => {
              if (!error) {
                resolve({ exitCode: 0, stdout, stderr });
                return;
              }
              const e = error as ExecError;
              if (e.killed || e.signal) {
                const why = e.killed ? `timed out after ${timeout} ms` : `killed by ${String(e.signal)}`;
                resolve({ exitCode: -1, stdout, stderr: `${stderr}${stderr ? '\n' : ''}${file}: ${why}` });
                return;
              }
              const code = exitCodeOf(e);
              const text = code === -1 ? `${file}: ${e.message}` : stderr;
              resolve({ exitCode: code, stdout: stdout ?? '', stderr: text });
            },
          );
        } catch (error) {
          // execFile throws synchronously on invalid arguments (e.g. a NUL byte in argv).
          resolve({ exitCode: -1, stdout: '', stderr: `${file}: ${(error as Error).message}` });
        }
      });
    },
  };
}
