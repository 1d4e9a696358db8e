/**
 * The API key found the way the wrapper finds it (swiftbar-wrapper.ts): LLAMA_SWAP_API_KEY when
 * set and not empty, else the first line of the 0600 key file install-plugin wrote. So `doctor`
 * and actions run from a terminal use the key the menu uses.
 */
import { readOwnFile } from '../safe-file.js';
import { apiKeyFilePath } from '../paths.js';
import type { FileSystemRoot, PlatformName } from '../types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `env` with LLAMA_SWAP_API_KEY filled from the key file when the environment has none. */
export async function withStoredKey(env: Env, root: FileSystemRoot, platform: PlatformName): Promise<Env> {
  const set = env.LLAMA_SWAP_API_KEY;
  if (set !== undefined && set !== '') return env;
  let text: string;
  try {
    // Never through a link (the key file is a secret; install-plugin refuses links there too).
    text = await readOwnFile(apiKeyFilePath(root, platform));
  } catch {
    return env;
  }
  // `IFS= read -r` in the wrapper: the first line, as is.
  const key = text.split('\n')[0] ?? '';
  return key === '' ? env : { ...env, LLAMA_SWAP_API_KEY: key };
}
