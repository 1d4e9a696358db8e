/**
 * `LLAMA_SWAP_HOSTS`: the llama-swap instances one menu watches, as comma-separated `name=url`
 * (`studio=http://10.0.0.5:8080,mini=http://127.0.0.1:45786`). Unset, the menu watches the single
 * host of LLAMA_SWAP_API_BASE_URL / LLAMA_SWAP_API_PORT exactly as before, under no name. Like every
 * setting it never throws: each bad entry is left out with one warning that says why, and a value
 * with no usable entry falls back to the single host.
 */
import type { ConfigWarning } from './types.js';

/** One llama-swap the menu watches. */
export type HostSpec = {
  /** Short identifier: shown in the menu, part of the host's file names and key variable ("studio"). */
  readonly name: string;
  /** Its origin, port included unless the scheme's default ("http://10.0.0.5:8080"). */
  readonly url: string;
  /** The environment variable holding its API key: LLAMA_SWAP_API_KEY_<NAME>, or LLAMA_SWAP_API_KEY for the single host. */
  readonly keyVar: string;
};

export type HostsSetting = {
  /** At least one host, in the order written. */
  readonly hosts: readonly HostSpec[];
  /** True when LLAMA_SWAP_HOSTS named them (the menu then shows names); false for the single host. */
  readonly named: boolean;
  readonly warnings: readonly ConfigWarning[];
};

export const HOSTS_VARIABLE = 'LLAMA_SWAP_HOSTS';

/** The key variable of the single (unnamed) host: the one every earlier version read. */
export const DEFAULT_KEY_VARIABLE = 'LLAMA_SWAP_API_KEY';

/** The single host's name, used only for its files and logs, never shown in the menu. */
export const DEFAULT_HOST_NAME = 'default';

/** Longest host name: it is shown in menu lines and section headers. */
export const HOST_NAME_MAX = 24;

/** Most hosts one menu watches (each has its own event stream and polls). */
export const MAX_HOSTS = 20;

const NAME_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9-]{0,${HOST_NAME_MAX - 1}}$`);

/** `LLAMA_SWAP_API_KEY_<NAME>`: the name upper-cased, `-` as `_` (`mac-studio` → `LLAMA_SWAP_API_KEY_MAC_STUDIO`). */
export function hostKeyVariable(name: string): string {
  return `${DEFAULT_KEY_VARIABLE}_${name.toUpperCase().replaceAll('-', '_')}`;
}

/** A URL's text with any user:password@ removed, so a warning never repeats a credential. */
function withoutCredentials(text: string): string {
  return text.replace(/\/\/[^/@]*@/g, '//…@');
}

type Address = { readonly ok: true; readonly origin: string } | { readonly ok: false; readonly reason: string };

/** The same rules as LLAMA_SWAP_API_BASE_URL: http(s), a host, an optional port, nothing else. */
function parseAddress(text: string): Address {
  let url: URL;
  try {
    url = new URL(text.replace(/\/+$/, ''));
  } catch {
    return { ok: false, reason: 'not a URL (expected http(s)://host:port)' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `${url.protocol.slice(0, -1)} is not http or https` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'a user or password in the URL is not used; store the key as the host\'s API key' };
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return { ok: false, reason: 'expected http(s)://host:port without a path' };
  return { ok: true, origin: url.origin };
}

function entryWarning(entry: string, reason: string): ConfigWarning {
  const shown = withoutCredentials(entry);
  return { variable: HOSTS_VARIABLE, value: shown, message: `${HOSTS_VARIABLE} entry ${JSON.stringify(shown)}: ${reason}; left out` };
}

/** The single host of today's settings, as config.ts reads it (apiUrl already carries the port). */
function singleHost(apiUrl: string): HostSpec {
  return { name: DEFAULT_HOST_NAME, url: apiUrl, keyVar: DEFAULT_KEY_VARIABLE };
}

/**
 * The hosts to watch. `single` is the address config.ts read from LLAMA_SWAP_API_BASE_URL and
 * LLAMA_SWAP_API_PORT (PluginConfig.apiUrl): the one host when LLAMA_SWAP_HOSTS is unset or blank,
 * and the fallback when it names no usable host.
 */
export function parseHostsSetting(env: Readonly<Record<string, string | undefined>>, single: { readonly apiUrl: string }): HostsSetting {
  const value = env[HOSTS_VARIABLE]?.trim() ?? '';
  if (value === '') return { hosts: [singleHost(single.apiUrl)], named: false, warnings: [] };
  const warnings: ConfigWarning[] = [];
  const hosts: HostSpec[] = [];
  // Entries are compared by key variable (case and `-` folded) and by origin.
  const byKey = new Map<string, string>();
  const byOrigin = new Map<string, string>();
  // Blank entries (a trailing comma) are nothing to warn about.
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq < 0) {
      warnings.push(entryWarning(entry, 'expected name=url'));
      continue;
    }
    const name = entry.slice(0, eq).trim();
    const address = parseAddress(entry.slice(eq + 1).trim());
    if (!NAME_PATTERN.test(name)) {
      warnings.push(entryWarning(entry, `a name is 1–${HOST_NAME_MAX} letters, digits or -, starting with a letter or digit`));
      continue;
    }
    if (!address.ok) {
      warnings.push(entryWarning(entry, address.reason));
      continue;
    }
    const keyVar = hostKeyVariable(name);
    const sameName = byKey.get(keyVar);
    if (sameName !== undefined) {
      warnings.push(entryWarning(entry, `the name ${JSON.stringify(name)} is already used by ${JSON.stringify(sameName)} (names are compared without case)`));
      continue;
    }
    const sameOrigin = byOrigin.get(address.origin);
    if (sameOrigin !== undefined) {
      warnings.push(entryWarning(entry, `${address.origin} is already watched as ${JSON.stringify(sameOrigin)}`));
      continue;
    }
    if (hosts.length === MAX_HOSTS) {
      warnings.push(entryWarning(entry, `at most ${MAX_HOSTS} hosts are watched`));
      continue;
    }
    byKey.set(keyVar, name);
    byOrigin.set(address.origin, name);
    hosts.push({ name, url: address.origin, keyVar });
  }
  if (hosts.length === 0) {
    const message = `${HOSTS_VARIABLE} names no usable host; watching ${single.apiUrl} (LLAMA_SWAP_API_BASE_URL, LLAMA_SWAP_API_PORT)`;
    return { hosts: [singleHost(single.apiUrl)], named: false, warnings: [...warnings, { variable: HOSTS_VARIABLE, value: withoutCredentials(value), message }] };
  }
  return { hosts, named: true, warnings };
}
