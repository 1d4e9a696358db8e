/**
 * The text of the 0600 API-key file. Its first line is LLAMA_SWAP_API_KEY as it always was (the
 * wrapper reads it with `IFS= read -r`, so an empty first line means no default key); each
 * further line is one named host's key, `LLAMA_SWAP_API_KEY_<NAME>=<key>`, read by the plugin
 * itself, so per-host keys never appear in the wrapper or in a process's arguments.
 */
import { DEFAULT_KEY_VARIABLE } from './hosts-setting.js';

export type StoredKeys = {
  /** The single/default host's key; '' when none. */
  readonly defaultKey: string;
  /** Key variable → key, for the named hosts. */
  readonly hostKeys: ReadonlyMap<string, string>;
};

const HOST_KEY_LINE = new RegExp(`^(${DEFAULT_KEY_VARIABLE}_[A-Z0-9_]+)=([!-~]+)$`);

export function parseKeyFile(text: string): StoredKeys {
  const [first = '', ...rest] = text.split('\n');
  const hostKeys = new Map<string, string>();
  for (const line of rest) {
    const m = HOST_KEY_LINE.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) hostKeys.set(m[1], m[2]);
  }
  return { defaultKey: first, hostKeys };
}

export function formatKeyFile(keys: StoredKeys): string {
  const lines = [keys.defaultKey, ...[...keys.hostKeys].sort(([a], [b]) => (a < b ? -1 : 1)).map(([variable, key]) => `${variable}=${key}`)];
  return `${lines.join('\n')}\n`;
}
