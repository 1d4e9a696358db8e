import { describe, expect, it } from 'vitest';
import { BASE_CHILD_VARIABLES, childEnv, forgetSecrets } from '../../src/system/child-env.js';

describe('child environment', () => {
  it('keeps only the base variables that are set', () => {
    const env = { PATH: '/usr/bin', HOME: '/h', LANG: undefined, LLAMA_SWAP_API_KEY: 'sk-x', LLAMA_SWAP_API_PORT: '1', SWIFTBAR_PLUGIN_PATH: '/w.sh', NODE_OPTIONS: '--inspect' };
    expect(childEnv(env)).toEqual({ PATH: '/usr/bin', HOME: '/h' });
    expect(BASE_CHILD_VARIABLES.some((n) => n.startsWith('LLAMA_SWAP_'))).toBe(false);
  });

  it('takes the names it is given', () => {
    expect(childEnv({ A: '1', B: '2' }, ['B'])).toEqual({ B: '2' });
  });

  it('forgetSecrets removes the API key and nothing else', () => {
    const env: Record<string, string | undefined> = { LLAMA_SWAP_API_KEY: 'sk-x', LLAMA_SWAP_API_PORT: '1', PATH: '/p' };
    forgetSecrets(env);
    expect(env).toEqual({ LLAMA_SWAP_API_PORT: '1', PATH: '/p' });
  });
});
