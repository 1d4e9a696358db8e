/**
 * A CommandRunner for tests: records every call's argv and answers from a script of rules
 * matched on file and args (first match wins; later `on()` calls take precedence).
 */
import type { CommandOptions, CommandResult, CommandRunner } from '../../src/system/types.js';

export type RecordedCall = {
  readonly file: string;
  readonly args: readonly string[];
  readonly options: CommandOptions | undefined;
};

export type Answer = Partial<CommandResult> | ((call: RecordedCall) => Partial<CommandResult>);

export type Rule = {
  readonly file: string | RegExp;
  /** Exact args, or a prefix when `prefix` is set, or a predicate. */
  readonly args?: readonly string[] | ((args: readonly string[]) => boolean);
  readonly prefix?: boolean;
  readonly answer: Answer;
};

export type RecordingRunner = CommandRunner & {
  readonly calls: RecordedCall[];
  /** Adds a rule in front of the others. */
  on(file: string | RegExp, args: Rule['args'], answer: Answer, prefix?: boolean): RecordingRunner;
  /** Each call as one string `file arg1 arg2…`, for compact assertions. */
  lines(): string[];
  clear(): void;
};

function matches(rule: Rule, file: string, args: readonly string[]): boolean {
  const fileOk = typeof rule.file === 'string' ? rule.file === file : rule.file.test(file);
  if (!fileOk) return false;
  if (rule.args === undefined) return true;
  if (typeof rule.args === 'function') return rule.args(args);
  const want = rule.args;
  if (rule.prefix) return want.every((a, i) => args[i] === a);
  return want.length === args.length && want.every((a, i) => args[i] === a);
}

/** Creates a recording runner; unmatched commands answer `fallback` (default: exit 0, no output). */
export function createRecordingRunner(
  rules: readonly Rule[] = [],
  fallback: Partial<CommandResult> = { exitCode: 0 },
): RecordingRunner {
  const script: Rule[] = [...rules];
  const calls: RecordedCall[] = [];
  const runner: RecordingRunner = {
    calls,
    run(file, args, options) {
      const call = { file, args: [...args], options };
      calls.push(call);
      const rule = script.find((r) => matches(r, file, args));
      const partial = rule === undefined ? fallback : typeof rule.answer === 'function' ? rule.answer(call) : rule.answer;
      return Promise.resolve({ exitCode: partial.exitCode ?? 0, stdout: partial.stdout ?? '', stderr: partial.stderr ?? '' });
    },
    on(file, args, answer, prefix = false) {
      script.unshift({ file, args, answer, prefix });
      return runner;
    },
    lines() {
      return calls.map((c) => [c.file, ...c.args].join(' '));
    },
    clear() {
      calls.length = 0;
    },
  };
  return runner;
}
