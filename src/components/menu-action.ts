/** Builds the background command of a menu action: argv only, never a shell string. */
import { decodedValue } from '../reconciler/escape.js';
import type { ActionInvoker, ActionName } from '../system/types.js';
import type { CommandAction } from '../reconciler/element-props.js';

/**
 * `bash=<executable> param1=<leadingArgs…> <action> <args…> terminal=false`. Each argument (a
 * model id, a profile id) is one param, untouched; no `refresh`, the streaming plugin redraws itself.
 */
export function actionCommand(invoker: ActionInvoker, action: ActionName, ...args: readonly string[]): CommandAction {
  return { executable: invoker.executable, args: [...invoker.leadingArgs, action, ...args], terminal: false };
}

/** Props of a clickable action item: the command, and the in-process handler where the invoker has one. */
export type ClickProps = { readonly bash: CommandAction; readonly onClick?: () => void };

/**
 * The command of `actionCommand` plus `onClick`, which runs the same action with the same
 * arguments in the plugin process. The renderer writes one of the two per line, never both.
 */
export function clickAction(invoker: ActionInvoker, action: ActionName, ...args: readonly string[]): ClickProps {
  const bash = actionCommand(invoker, action, ...args);
  const run = invoker.run;
  return run === undefined ? { bash } : { bash, onClick: () => run(action, args) };
}

/** Mirrors ID_BASE64_FLAG in src/system/cli/actions.ts (the CLI decodes it). */
export const ID_BASE64_FLAG = '--id-base64';

/**
 * True when SwiftBar hands `arg` back exactly. A few ids cannot survive a `paramN=` value (line
 * breaks, `~~~`, both quote kinds, a trailing backslash): the renderer would alter them.
 */
export function passesIntact(arg: string): boolean {
  return decodedValue(arg) === arg;
}

/** Standard base64 of the UTF-8 bytes: only `A–Z a–z 0–9 + / =`, which SwiftBar passes as they are. */
export function base64Id(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64');
}

/**
 * Item props for an action on a server-given id. An id SwiftBar would alter (or one that reads as
 * the flag itself) goes as `--id-base64 <b64>`, so the action still names exactly that model.
 */
export function idAction(invoker: ActionInvoker, action: ActionName, id: string): ClickProps {
  const args = passesIntact(id) && id !== ID_BASE64_FLAG ? [id] : [ID_BASE64_FLAG, base64Id(id)];
  return clickAction(invoker, action, ...args);
}

/** The id an action's arguments name (after the action word): the inverse of idAction, for stories and previews. */
export function idFromArgs(args: readonly string[]): string | undefined {
  if (args[0] !== ID_BASE64_FLAG) return args.length === 1 ? args[0] : undefined;
  return args.length === 2 && args[1] !== undefined ? Buffer.from(args[1], 'base64').toString('utf8') : undefined;
}
