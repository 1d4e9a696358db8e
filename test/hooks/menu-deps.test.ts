/** Settings warnings reach stderr as well as the menu (issue 12 item 8). */
import { describe, expect, it } from 'vitest';
import { createMenuDeps } from '../../src/hooks/menu-deps.js';
import { createTempHome } from '../helpers/temp-home.js';

describe('createMenuDeps', () => {
  it('prints every settings warning on stderr, one line each, and keeps them for the menu', () => {
    const home = createTempHome();
    try {
      let err = '';
      const deps = createMenuDeps({
        env: { LLAMA_SWAP_API_TIMEOUT_SECS: '0.0001', LLAMA_SWAP_HISTORY_SIZE: '50000', LLAMA_SWAP_API_KEY: 'sk-k' },
        home: home.home,
        platform: { name: 'linux', uid: 1000 },
        stderr: { write: (t: string) => ((err += t), true) },
      });
      expect(deps.config.apiTimeoutMs).toBe(1000);
      expect(deps.configWarnings.map((w) => w.variable)).toEqual(['LLAMA_SWAP_API_TIMEOUT_SECS', 'LLAMA_SWAP_HISTORY_SIZE']);
      const lines = err.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^llama-swap-swiftbar: LLAMA_SWAP_API_TIMEOUT_SECS="0.0001": .*0\.1/);
      expect(lines[1]).toMatch(/LLAMA_SWAP_HISTORY_SIZE="50000": .*10000/);
      expect(err).not.toContain('sk-k');
    } finally {
      home.remove();
    }
  });
});
