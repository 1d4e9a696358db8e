/**
 * launchctl verbs for the per-user GUI domain (`gui/<uid>`), and a parser for `launchctl print`.
 * Only current verbs: bootstrap, bootout, kickstart, print (load/unload are deprecated).
 */
import type { CommandResult, CommandRunner } from '../types.js';

export type JobInfo = {
  /** The job is known to launchd in this domain. */
  readonly loaded: boolean;
  /** PID when the job's process is running. */
  readonly pid: number | null;
  /** `state = ...` as printed (running, waiting, not running, ...), null when not loaded. */
  readonly state: string | null;
  /** `last exit code = ...` when printed. */
  readonly lastExitCode: string | null;
};

export const LAUNCHCTL = '/bin/launchctl';

/** `gui/<uid>`. */
export function guiDomain(uid: number): string {
  return `gui/${uid}`;
}

/** `gui/<uid>/<label>`. */
export function serviceTarget(uid: number, label: string): string {
  return `gui/${uid}/${label}`;
}

/** Parses the top level of `launchctl print gui/<uid>/<label>` output (nested blocks skipped). */
export function parseLaunchctlPrint(text: string): Omit<JobInfo, 'loaded'> {
  let pid: number | null = null;
  let state: string | null = null;
  let lastExitCode: string | null = null;
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  // The first line is "gui/501/label = {"; nested blocks (endpoints, arguments, ...) repeat keys.
  const start = lines[0]?.endsWith('= {') ? 1 : 0;
  let depth = 0;
  for (const line of lines.slice(start)) {
    if (line.endsWith('{')) {
      depth += 1;
      continue;
    }
    if (line.startsWith('}')) {
      depth -= 1;
      continue;
    }
    if (depth !== 0) continue;
    const m = /^([a-z][a-z ]*?) = (.*)$/.exec(line);
    if (!m) continue;
    const key = m[1];
    const value = (m[2] ?? '').trim();
    if (key === 'pid' && /^\d+$/.test(value)) pid = Number(value);
    else if (key === 'state' && state === null) state = value;
    else if (key === 'last exit code' && lastExitCode === null) lastExitCode = value;
  }
  if (state !== null && state !== 'running') pid = null;
  return { pid, state, lastExitCode };
}

/** Asks launchd about one job. Any failure to print means "not loaded". */
export async function printJob(runner: CommandRunner, uid: number, label: string): Promise<JobInfo> {
  const r = await runner.run(LAUNCHCTL, ['print', serviceTarget(uid, label)]);
  if (r.exitCode !== 0) return { loaded: false, pid: null, state: null, lastExitCode: null };
  return { loaded: true, ...parseLaunchctlPrint(r.stdout) };
}

/** `launchctl bootstrap gui/<uid> <plist>`: loads (and, with RunAtLoad, starts) the job. */
export function bootstrap(runner: CommandRunner, uid: number, plistPath: string): Promise<CommandResult> {
  return runner.run(LAUNCHCTL, ['bootstrap', guiDomain(uid), plistPath]);
}

/** `launchctl bootout gui/<uid>/<label>`: stops and unloads the job. */
export function bootout(runner: CommandRunner, uid: number, label: string): Promise<CommandResult> {
  return runner.run(LAUNCHCTL, ['bootout', serviceTarget(uid, label)]);
}

/** `launchctl kickstart [-k] gui/<uid>/<label>`: starts it, killing a running instance first with -k. */
export function kickstart(runner: CommandRunner, uid: number, label: string, kill: boolean): Promise<CommandResult> {
  return runner.run(LAUNCHCTL, ['kickstart', ...(kill ? ['-k'] : []), serviceTarget(uid, label)]);
}

/** One line from a failed command, for messages. */
export function commandError(r: CommandResult): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  return text === '' ? `exit code ${r.exitCode}` : text;
}
