/**
 * Tells the user how an action went: a SwiftBar notification (`open -g swiftbar://notify?...`)
 * on macOS under SwiftBar, with any secret removed from the text first.
 */
import path from 'node:path';
import { WRAPPER_PATH_VARIABLE } from '../config.js';
import type { CommandRunner, PlatformName } from '../types.js';

export const OPEN = '/usr/bin/open';

export type Notification = {
  readonly title: string;
  readonly body: string;
  /** Opened when the notification is clicked (SwiftBar hands it to NSWorkspace.open). */
  readonly href?: string;
};

/** Replaces every occurrence of `secret` (when set) by `***`. */
export function redact(text: string, secret: string | null | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('***');
}

/** The plugin id SwiftBar knows a streamable plugin by: its file name (the wrapper's own, without SWIFTBAR_PLUGIN_PATH). */
export function swiftbarPluginId(env: Readonly<Record<string, string | undefined>>): string | null {
  const p = env.SWIFTBAR_PLUGIN_PATH || env[WRAPPER_PATH_VARIABLE];
  return p ? path.basename(p) : null;
}

/** Replaces lone UTF-16 surrogates (which encodeURIComponent rejects) with U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

const enc = (v: string): string => encodeURIComponent(wellFormed(v));

/**
 * `swiftbar://notify?plugin=…&title=…&body=…[&href=…]`, every value percent-encoded (SwiftBar
 * 2.1 turns a literal `+` of title and body into a space, so `+` is sent as `%2B`).
 */
export function notifyUrl(pluginId: string, n: Notification): string {
  const q = [`plugin=${enc(pluginId)}`, `title=${enc(n.title)}`, `body=${enc(n.body)}`];
  if (n.href !== undefined) q.push(`href=${enc(n.href)}`);
  return `swiftbar://notify?${q.join('&')}`;
}

/** Sends the notification when running on macOS under SwiftBar; returns whether it was sent. */
export async function notifySwiftBar(
  deps: {
    readonly runner: CommandRunner;
    readonly platform: { readonly name: PlatformName };
    readonly env: Readonly<Record<string, string | undefined>>;
  },
  n: Notification,
  secret: string | null,
): Promise<boolean> {
  if (deps.platform.name !== 'macos' || !deps.env.SWIFTBAR) return false;
  const id = swiftbarPluginId(deps.env);
  if (id === null) return false;
  const clean = { title: redact(n.title, secret), body: redact(n.body, secret), ...(n.href === undefined ? {} : { href: n.href }) };
  const r = await deps.runner.run(OPEN, ['-g', notifyUrl(id, clean)]);
  return r.exitCode === 0;
}
