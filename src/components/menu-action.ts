/** Builds the background command of a menu action: argv only, never a shell string. */
import { decodedValue } from '../reconciler/escape.js';
import type { ActionInvoker, ActionName } from './model.js';
import type { CommandAction } from './primitives/props.js';

/**
 * `bash=<executable> param1=<leadingArgs…> <action> <args…> terminal=false`. Each argument (a
 * model id, a profile id) is one param, untouched; no `refresh`, the streaming plugin redraws itself.
 */
export function actionCommand(invoker: ActionInvoker, action: ActionName, ...args: readonly string[]): CommandAction {
  return { executable: invoker.executable, args: [...invoker.leadingArgs, action, ...args], terminal: false };
}

/**
 * True when SwiftBar hands `arg` back exactly. A few ids cannot survive a `paramN=` value (line
 * breaks, `~~~`, both quote kinds, a trailing backslash): the renderer would alter them, and the
 * action would name another model, so such items get no action.
 */
export function passesIntact(arg: string): boolean {
  return decodedValue(arg) === arg;
}

/** Item props for an action on a server-given id: the command, or a note when the id cannot pass. */
export function idAction(
  invoker: ActionInvoker,
  action: ActionName,
  id: string,
): { readonly bash: CommandAction } | { readonly tooltip: string } {
  return passesIntact(id)
    ? { bash: actionCommand(invoker, action, id) }
    : { tooltip: 'This id cannot be passed through a SwiftBar menu item; use the web UI' };
}
