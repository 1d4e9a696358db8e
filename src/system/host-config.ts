/**
 * One PluginConfig per watched host: the shared settings with that host's address, its own API key
 * (only its own variable, never another host's) and its own cache folder. The single (unnamed) host
 * keeps today's address, key and files exactly; a named host's files live in
 * `<cacheDir>/hosts/<name>/`.
 */
import path from 'node:path';
import { parseHostsSetting, type HostSpec } from './hosts-setting.js';
import type { PluginConfig } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A watched host and the settings its client, poll sources and files use. */
export type HostConfig = {
  readonly spec: HostSpec;
  readonly config: PluginConfig;
};

export type HostConfigs = {
  /** True when LLAMA_SWAP_HOSTS named the hosts (the menu shows a section per host). */
  readonly named: boolean;
  readonly hosts: readonly HostConfig[];
};

/** True when the API address is this machine, so local binary/service/config facts apply. */
export function isLocalApi(apiUrl: string): boolean {
  try {
    const host = new URL(apiUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\./.test(host);
  } catch {
    return true;
  }
}

/** The folder of a named host's history, rates and last action. */
export function hostCacheDir(cacheDir: string, name: string): string {
  return path.join(cacheDir, 'hosts', name);
}

/** The host's key from its own variable; a key that cannot go in a header is not sent (readConfig warns for the default one). */
function hostKey(env: Env, keyVar: string): string | null {
  const v = env[keyVar]?.trim() ?? '';
  return v !== '' && /^[!-~]+$/.test(v) ? v : null;
}

/** The port requests to `origin` go to (the scheme's default when the URL names none). */
function originPort(origin: string): number {
  const url = new URL(origin);
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

function namedHostConfig(env: Env, base: PluginConfig, spec: HostSpec): HostConfig {
  return {
    spec,
    config: { ...base, apiUrl: spec.url, apiPort: originPort(spec.url), apiKey: hostKey(env, spec.keyVar), cacheDir: hostCacheDir(base.cacheDir, spec.name) },
  };
}

/** Every host to watch; unset LLAMA_SWAP_HOSTS gives `base` itself as the one unnamed host. */
export function hostConfigs(env: Env, base: PluginConfig): HostConfigs {
  const setting = parseHostsSetting(env, base);
  if (!setting.named) return { named: false, hosts: setting.hosts.map((spec) => ({ spec, config: base })) };
  return { named: true, hosts: setting.hosts.map((spec) => namedHostConfig(env, base, spec)) };
}

/** The configured host called `name` (exact name), or null when LLAMA_SWAP_HOSTS names none such. */
export function findHostConfig(env: Env, base: PluginConfig, name: string): HostConfig | null {
  const { named, hosts } = hostConfigs(env, base);
  return named ? (hosts.find((h) => h.spec.name === name) ?? null) : null;
}
