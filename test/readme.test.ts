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

  it('has exactly the two set-up commands, and says how long the tests take', () => {
    const setUp = README.slice(README.indexOf('## Set up'), README.indexOf('\n## ', README.indexOf('## Set up') + 1));
    const commands = (/```sh\n([\s\S]*?)```/.exec(setUp)?.[1] ?? '').split('\n').filter((l) => l.trim() !== '');
    expect(commands.map((l) => l.split('#')[0]?.trim())).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
    expect(README).toMatch(/`npm test` takes about \d+ minutes/);
  });
});
