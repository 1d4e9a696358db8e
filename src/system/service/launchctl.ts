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
  /** A print that failed for another reason than "no such job" (launchctl's words and exit code). */
  readonly error: string | null;
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
export function parseLaunchctlPrint(text: string): Omit<JobInfo, 'loaded' | 'error'> {
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

/**
 * Asks launchd about one job. A failed print means "not loaded"; unless launchd said it has no such
 * job (113), the failure is kept in `error` so the menu can show it.
 */
export async function printJob(runner: CommandRunner, uid: number, label: string): Promise<JobInfo> {
  const r = await runner.run(LAUNCHCTL, ['print', serviceTarget(uid, label)]);
  if (r.exitCode !== 0) {
    const error = parseLaunchctlFailure(r).kind === 'not-found' ? null : launchctlMessage('print', r);
    return { loaded: false, pid: null, state: null, lastExitCode: null, error };
  }
  return { loaded: true, ...parseLaunchctlPrint(r.stdout), error: null };
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

/** What a failed launchctl verb said, classified by its words and error number. */
export type LaunchctlFailureKind =
  /** 113 `Could not find service "<label>" in domain for user gui: 501` (after `Bad request.`). */
  | 'not-found'
  /** 37 `<plist>: service already loaded`. */
  | 'already-loaded'
  /** 5 `Bootstrap failed: 5: Input/output error`: often still loaded, or a race after a bootout. */
  | 'io-error'
  /** 3 `Boot-out failed: 3: No such process`: nothing to boot out. */
  | 'no-such-process'
  /** 36 `Boot-out failed: 36: Operation now in progress`. */
  | 'in-progress'
  /** 64 `Unrecognized target specifier.` and the usage text (e.g. `bootout --wait` on macOS 15). */
  | 'usage'
  /** 125 `Domain does not support specified action` (gui/0 under sudo). */
  | 'domain-unsupported'
  /** 133 `<plist>: Invalid property list`. */
  | 'invalid-plist'
  /** 112 `Could not find domain for user gui: N`. */
  | 'no-domain'
  | 'other';

export type LaunchctlFailure = {
  readonly exitCode: number;
  /** The error number launchctl printed ("Bootstrap failed: 5: …"), else its exit code. */
  readonly code: number;
  readonly kind: LaunchctlFailureKind;
  /** launchctl's own words on one line (its advice and usage text left out), or "exit code N". */
  readonly words: string;
};

/** launchctl's error lines, most telling first; each pattern also finds the line inside a wrapper's message. */
const FAILURE_LINES: readonly (readonly [RegExp, LaunchctlFailureKind | null])[] = [
  [/\b(?:Bootstrap|Boot-out|Unload|Load|Enable|Disable|Kickstart) failed: (\d+): [^\n]*/, null],
  [/Could not find service [^\n]*/, 'not-found'],
  [/Could not find domain [^\n]*/, 'no-domain'],
  [/\S*: service already loaded/, 'already-loaded'],
  [/\S*: Invalid property list/, 'invalid-plist'],
  [/Unrecognized target specifier\./, 'usage'],
];

const KIND_BY_CODE: Readonly<Record<number, LaunchctlFailureKind>> = {
  3: 'no-such-process',
  5: 'io-error',
  36: 'in-progress',
  37: 'already-loaded',
  64: 'usage',
  112: 'no-domain',
  113: 'not-found',
  125: 'domain-unsupported',
  133: 'invalid-plist',
};

/**
 * Reads a failed launchctl call the way real launchctl prints it (see test/fixtures/macos/launchctl):
 * the telling line is not always the first (`Bad request.` comes before "Could not find service"),
 * and `… failed: N: reason` carries the error number even inside another tool's message.
 */
export function parseLaunchctlFailure(r: CommandResult): LaunchctlFailure {
  const text = `${r.stderr}\n${r.stdout}`;
  for (const [re, kind] of FAILURE_LINES) {
    const m = re.exec(text);
    if (!m) continue;
    const words = m[0].trim();
    const printed = m[1] === undefined ? null : Number(m[1]);
    const code = printed ?? r.exitCode;
    return { exitCode: r.exitCode, code, kind: kind ?? KIND_BY_CODE[code] ?? 'other', words };
  }
  const first = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !/^(Try re-?running|Try running|Usage:|Bad request\.)/.test(l));
  return { exitCode: r.exitCode, code: r.exitCode, kind: KIND_BY_CODE[r.exitCode] ?? 'other', words: first ?? `exit code ${r.exitCode}` };
}

/** "launchctl bootstrap failed (exit 5): Bootstrap failed: 5: Input/output error". */
export function launchctlMessage(verb: string, r: CommandResult): string {
  const f = parseLaunchctlFailure(r);
  return f.words === `exit code ${r.exitCode}` ? `launchctl ${verb} failed (exit ${r.exitCode})` : `launchctl ${verb} failed (exit ${r.exitCode}): ${f.words}`;
}

/** One line from a failed command, for messages. */
export function commandError(r: CommandResult): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  return text === '' ? `exit code ${r.exitCode}` : text;
}
