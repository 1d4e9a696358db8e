/**
 * The README is for users and contributors, not a development log: no issue numbers, no talk of
 * other engineers or of work not merged; it keeps exactly two set-up commands and says how long
 * the test command takes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const README = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

describe('README', () => {
  it('reads as documentation, not as a development log', () => {
    for (const pattern of [/\bissues? \d+/i, /\bengineers?\b/i, /\bnewcomer\b/i, /not merged/i, /\bthis session\b/i]) {
      expect(README.match(pattern)?.[0], `README mentions ${String(pattern)}`).toBeUndefined();
    }
  });

  it('starts with Install: npm install -g of a tarball, then install-plugin, and says it is not on the npm registry', () => {
    const first = /^## (.*)$/m.exec(README);
    expect(first?.[1]).toBe('Install');
    const install = README.slice(first?.index ?? 0, README.indexOf('\n## ', (first?.index ?? 0) + 1));
    expect(install).toMatch(/not on the npm registry/);
    const commands = (/```sh\n([\s\S]*?)```/.exec(install)?.[1] ?? '').split('\n').filter((l) => l.trim() !== '');
    expect(commands.map((l) => l.split('#')[0]?.trim().split(' ').slice(0, 3).join(' '))).toEqual(['npm install -g', 'llama-swap-swiftbar install-plugin']);
  });

  it('has exactly the two set-up commands for a clone, and says how long the tests take', () => {
    const setUp = README.slice(README.indexOf('## Develop'), README.indexOf('\n## ', README.indexOf('## Develop') + 1));
    const commands = (/```sh\n([\s\S]*?)```/.exec(setUp)?.[1] ?? '').split('\n').filter((l) => l.trim() !== '');
    expect(commands.map((l) => l.split('#')[0]?.trim())).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
    expect(README).toMatch(/`npm test` takes about \d+ minutes/);
  });
});
