/** Runs the CLI for the current process with the real runner, platform, HOME and streams. */
import os from 'node:os';
import { runCli } from './cli.js';
import { createCommandRunner } from './command-runner.js';
import { detectPlatform } from '../host/platform.js';

/** `runCli(process.argv.slice(2), real deps)`; resolves to the exit code. */
export function runCliFromProcess(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  return runCli(argv, {
    runner: createCommandRunner(),
    fsRoot: { home: os.homedir() },
    platform: detectPlatform(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
