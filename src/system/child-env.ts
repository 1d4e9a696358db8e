/**
 * The environment of the programs we start. A child gets only what any program needs to run
 * (where programs are, who and where the user is, the locale), never our settings and never the
 * API key: `/proc/<pid>/environ` (or `ps eww`) shows a child's environment to the user's other
 * programs, and none of our children talks to llama-swap.
 */

/** Variables a program may need to start and behave as in the user's session. */
export const BASE_CHILD_VARIABLES: readonly string[] = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR',
  'LANG', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ',
  // macOS: the text encoding `open`, `osascript` and `defaults` assume for arguments.
  '__CF_USER_TEXT_ENCODING',
];

/** Variables that hold a secret: removed from this process's own environment once read. */
export const SECRET_VARIABLES: readonly string[] = ['LLAMA_SWAP_API_KEY'];

/** The variables of `env` named in `names` (set ones only), nothing else. */
export function childEnv(env: Readonly<Record<string, string | undefined>>, names: readonly string[] = BASE_CHILD_VARIABLES): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Removes the secrets from `env` (this process's `process.env`, after the settings were read):
 * libraries that start programs of their own (systeminformation) pass the whole environment on.
 */
export function forgetSecrets(env: Record<string, string | undefined>): void {
  for (const name of SECRET_VARIABLES) delete env[name];
}
