/**
 * The API key found the way the wrapper finds it (swiftbar-wrapper.ts): LLAMA_SWAP_API_KEY when
 * set and not empty, else the first line of the 0600 key file install-plugin wrote. So `doctor`
 * and actions run from a terminal use the key the menu uses.
 */
import { readCacheFile } from '../cache-file.js';
import { apiKeyFilePath } from '../paths.js';
import type { FileSystemRoot, PlatformName } from '../types.js';

/** A key file is one line; anything this large is not one. */
const KEY_FILE_MAX_BYTES = 64 * 1024;

type Env = Readonly<Record<string, string | undefined>>;

/** `env` with LLAMA_SWAP_API_KEY filled from the key file when the environment has none. */
export async function withStoredKey(env: Env, root: FileSystemRoot, platform: PlatformName): Promise<Env> {
  const set = env.LLAMA_SWAP_API_KEY;
  if (set !== undefined && set !== '') return env;
  // Never through a link (the key file is a secret; install-plugin refuses links there too), never
  // blocking on a FIFO, never more than a key's worth; an unfit file is the user's: left in place.
  const read = await readCacheFile(apiKeyFilePath(root, platform), { maxBytes: KEY_FILE_MAX_BYTES, setAside: false });
  if (read.kind !== 'text') return env;
  // `IFS= read -r` in the wrapper: the first line, as is.
  const key = read.text.split('\n')[0] ?? '';
  return key === '' ? env : { ...env, LLAMA_SWAP_API_KEY: key };
}
