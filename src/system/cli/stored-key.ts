/**
 * The API keys found the way the wrapper finds them (swiftbar-wrapper.ts): LLAMA_SWAP_API_KEY when
 * set and not empty, else the first line of the 0600 key file install-plugin wrote. So `doctor`
 * and actions run from a terminal use the key the menu uses. The file's further lines hold the
 * keys of named hosts (`LLAMA_SWAP_API_KEY_<NAME>=<key>`, see key-file.ts); each fills its
 * variable only when the environment has none.
 */
import { readOwnFile } from '../safe-file.js';
import { apiKeyFilePath } from '../paths.js';
import { parseKeyFile } from '../key-file.js';
import type { FileSystemRoot, PlatformName } from '../types.js';

type Env = Readonly<Record<string, string | undefined>>;

const unset = (v: string | undefined): boolean => v === undefined || v === '';

/** `env` with every key variable it lacks filled from the key file at `file`. */
export async function withKeysFromFile(env: Env, file: string): Promise<Env> {
  let text: string;
  try {
    // Never through a link (the key file is a secret; install-plugin refuses links there too).
    text = await readOwnFile(file);
  } catch {
    return env;
  }
  const keys = parseKeyFile(text);
  const filled: Record<string, string | undefined> = { ...env };
  if (unset(env.LLAMA_SWAP_API_KEY) && keys.defaultKey !== '') filled.LLAMA_SWAP_API_KEY = keys.defaultKey;
  for (const [variable, key] of keys.hostKeys) if (unset(env[variable])) filled[variable] = key;
  return filled;
}

/** `env` with the key variables filled from the key file install-plugin wrote, where the environment has none. */
export async function withStoredKey(env: Env, root: FileSystemRoot, platform: PlatformName): Promise<Env> {
  return withKeysFromFile(env, apiKeyFilePath(root, platform));
}
