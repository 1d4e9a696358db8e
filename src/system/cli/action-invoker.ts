/**
 * How menu items run actions. Under SwiftBar the item calls the wrapper itself
 * (`bash=<SWIFTBAR_PLUGIN_PATH> param1=<action> …`): it is an absolute executable, SwiftBar
 * execs it directly (runInBash=false), and it re-exports the same LLAMA_SWAP_* settings and
 * API key the menu uses, which a bare `node` call would not get (it would ask another port).
 * Without SWIFTBAR_PLUGIN_PATH the wrapper's own path (WRAPPER_PATH_VARIABLE, which it exports
 * about itself) serves the same; only outside any wrapper (demo, dev) does the item call node
 * on the entry script.
 */
import type { ActionInvoker } from '../types.js';
import { binScriptPath, findProjectDir } from '../project-dir.js';
import { WRAPPER_PATH_VARIABLE } from '../config.js';

export type InvokerEntry =
  | { readonly pluginPath: string }
  | { readonly nodePath: string; readonly scriptPath: string; readonly nodeArgs?: readonly string[] };

/** The executable and leading arguments a menu item needs to run a CLI action. */
export function actionInvoker(entry: InvokerEntry): ActionInvoker {
  if ('pluginPath' in entry) return { executable: entry.pluginPath, leadingArgs: [] };
  return { executable: entry.nodePath, leadingArgs: [...(entry.nodeArgs ?? []), entry.scriptPath] };
}

/** The wrapper this process runs under: SWIFTBAR_PLUGIN_PATH, else the path the wrapper exported; null outside one. */
export function wrapperFromEnv(env: Readonly<Record<string, string | undefined>>): string | null {
  for (const p of [env.SWIFTBAR_PLUGIN_PATH, env[WRAPPER_PATH_VARIABLE]]) {
    if (p !== undefined && p.startsWith('/')) return p;
  }
  return null;
}

/** The wrapper this process runs under (see wrapperFromEnv), else `fallback`. */
export function invokerFromEnv(env: Readonly<Record<string, string | undefined>>, fallback: InvokerEntry): ActionInvoker {
  const p = wrapperFromEnv(env);
  return actionInvoker(p !== null ? { pluginPath: p } : fallback);
}

/** The invoker for this process: the SwiftBar wrapper, else node on the project's bin launcher. */
export function defaultInvoker(env: Readonly<Record<string, string | undefined>>, nodePath: string = process.execPath): ActionInvoker {
  return invokerFromEnv(env, { nodePath, scriptPath: binScriptPath(findProjectDir()) });
}
