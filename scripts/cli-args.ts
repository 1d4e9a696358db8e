/**
 * The scripts' one argument parser (preview, demo, simulator): Node's util.parseArgs in strict
 * mode, so an unknown flag or a flag missing its value is an error, never ignored; `--help`/`-h`
 * on every script; errors in one short line (util.parseArgs' own messages run to three lines).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A bad command line; its message is one line for the user, printed above the usage. */
export class UsageError extends Error {}

type Values<O extends ParseArgsOptionsConfig> = {
  readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

export type CommandLine<A> =
  | { readonly kind: 'run'; readonly args: A }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly error: string };

export type CommandSpec<O extends ParseArgsOptionsConfig, A> = {
  readonly options: O;
  /** Positional arguments allowed (none by default). */
  readonly positionals?: number;
  /** Turns the flags into the script's arguments; throws UsageError for a bad value. */
  readonly build: (values: Values<O>, positionals: readonly string[]) => A;
};

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** Rewrites util.parseArgs' messages ("Unknown option '--x'. To specify a positional…") to one line. */
function shortMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'(-[^']*)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${flag}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--[a-z0-9-]+/i.exec(message)?.[0] ?? flag;
    return /argument missing/.test(message) ? `${name} needs a value` : `${name} takes no value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trimEnd();
  return message.split('\n')[0] ?? message;
}

/** Parses argv (without node and script); never throws. */
export function parseCommandLine<O extends ParseArgsOptionsConfig, A>(argv: readonly string[], spec: CommandSpec<O, A>): CommandLine<A> {
  try {
    const parsed = parseArgs({ args: [...argv], options: { ...spec.options, ...HELP }, strict: true, allowPositionals: true });
    const values = parsed.values as Record<string, string | boolean | undefined>;
    const { positionals } = parsed;
    if (values['help'] === true) return { kind: 'help' };
    const allowed = spec.positionals ?? 0;
    if (positionals.length > allowed) return { kind: 'error', error: `unexpected argument ${positionals[allowed] ?? ''}` };
    return { kind: 'run', args: spec.build(values as Values<O>, positionals) };
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'error', error: error.message };
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) return { kind: 'error', error: shortMessage(error) };
    throw error;
  }
}

export type UsageIo = { readonly stdout: (text: string) => void; readonly stderr: (text: string) => void };

const PROCESS_IO: UsageIo = { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) };

/**
 * The arguments to run with, or the exit code when there is nothing to run: 0 after printing the
 * usage for --help, 2 after printing the error and the usage to stderr.
 */
export function argsOrExitCode<A>(line: CommandLine<A>, usage: string, io: UsageIo = PROCESS_IO): { readonly args: A } | { readonly exitCode: number } {
  if (line.kind === 'run') return { args: line.args };
  if (line.kind === 'help') {
    io.stdout(`${usage}\n`);
    return { exitCode: 0 };
  }
  io.stderr(`${line.error}\n${usage}\n`);
  return { exitCode: 2 };
}

/** For a script run as a process: its arguments, or it exits as argsOrExitCode says. */
export function argsOrExit<A>(line: CommandLine<A>, usage: string): A {
  const settled = argsOrExitCode(line, usage);
  if ('exitCode' in settled) process.exit(settled.exitCode);
  return settled.args;
}

/** A flag's value when it is one of `allowed`; undefined when absent; a UsageError otherwise. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

/** A flag's number (positive or an integer when asked), undefined when absent; a UsageError for anything else. */
export function numberFlag(flag: string, value: string | undefined, rule: { readonly positive?: boolean; readonly integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const bad = value.trim() === '' || !Number.isFinite(n) || n < 0 || (rule.positive === true && n === 0) || (rule.integer === true && !Number.isInteger(n));
  const what = `${rule.positive === true ? 'a positive' : 'a'} ${rule.integer === true ? 'whole number' : 'number'}`;
  if (bad) throw new UsageError(`${flag} needs ${what} (got ${JSON.stringify(value)})`);
  return n;
}
