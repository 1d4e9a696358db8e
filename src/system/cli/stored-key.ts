/**
 * The API keys found the way the wrapper finds them (swiftbar-wrapper.ts): LLAMA_SWAP_API_KEY when
 * set and not empty, else the first line of the 0600 key file install-plugin wrote. So `doctor`
 * and actions run from a terminal use the key the menu uses. The file's further lines hold the
 * keys of named hosts (`LLAMA_SWAP_API_KEY_<NAME>=<key>`, see key-file.ts); each fills its
 * variable only when the environment has none.
 */
import { readCacheFile } from '../cache-file.js';
import { apiKeyFilePath } from '../paths.js';
import { parseKeyFile } from '../key-file.js';
import type { FileSystemRoot, PlatformName } from '../types.js';

/** A key file is one line; anything this large is not one. */
const KEY_FILE_MAX_BYTES = 64 * 1024;

type Env = Readonly<Record<string, string | undefined>>;

const unset = (v: string | undefined): boolean => v === undefined || v === '';

/** `env` with every key variable it lacks filled from the key file at `file`. */
export async function withKeysFromFile(env: Env, file: string): Promise<Env> {
  // Never through a link (the key file is a secret; install-plugin refuses links there too), never
  // blocking on a FIFO, never more than a key file's worth; an unfit file is the user's: left in place.
  const read = await readCacheFile(file, { maxBytes: KEY_FILE_MAX_BYTES, setAside: false }).catch(() => null);
  if (read?.kind !== 'text') return env;
  const keys = parseKeyFile(read.text);
  const filled: Record<string, string | undefined> = { ...env };
  if (unset(env.LLAMA_SWAP_API_KEY) && keys.defaultKey !== '') filled.LLAMA_SWAP_API_KEY = keys.defaultKey;
  for (const [variable, key] of keys.hostKeys) if (unset(env[variable])) filled[variable] = key;
  return filled;
}

/** `env` with the key variables filled from the key file install-plugin wrote, where the environment has none. */
export async function withStoredKey(env: Env, root: FileSystemRoot, platform: PlatformName): Promise<Env> {
  return withKeysFromFile(env, apiKeyFilePath(root, platform));
}
