import { describe, expect, it } from 'vitest';
import { createCommandRunner } from '../../../src/system/cli/command-runner.js';
import { describePlatform, detectPlatform, platformName } from '../../../src/system/host/platform.js';

describe('createCommandRunner', () => {
  const runner = createCommandRunner();

  it('passes argv untouched (no shell) and returns stdout and the exit code', async () => {
    const r = await runner.run('/bin/sh', ['-c', 'printf "%s|" "$@"; exit 3', 'sh', 'a b', '$(rm -rf x)', '"q"']);
    expect(r).toEqual({ exitCode: 3, stdout: 'a b|$(rm -rf x)|"q"|', stderr: '' });
  });

  it('never throws: a missing program is exit code -1 with the reason in stderr', async () => {
    const r = await runner.run('/nonexistent/launchctl', ['print']);
    expect(r.exitCode).toBe(-1);
    expect(r.stderr).toContain('/nonexistent/launchctl');
    expect(r.stderr).toContain('ENOENT');
  });

  it('a NUL byte in an argument is refused, not thrown', async () => {
    const r = await runner.run('/bin/echo', ['a\0b']);
    expect(r.exitCode).toBe(-1);
  });

  it('kills a command that outlives its timeout', async () => {
    const r = await runner.run('/bin/sh', ['-c', 'sleep 10'], { timeoutMs: 100 });
    expect(r.exitCode).toBe(-1);
    expect(r.stderr).toContain('timed out');
  });

  it('adds env entries to the base environment', async () => {
    const r = await runner.run('/bin/sh', ['-c', 'printf %s "$H6_TEST"'], { env: { H6_TEST: 'yes' } });
    expect(r.stdout).toBe('yes');
  });

  it('a program gets PATH and HOME but never the API key nor our other settings', async () => {
    const saved = { key: process.env.LLAMA_SWAP_API_KEY, port: process.env.LLAMA_SWAP_API_PORT };
    process.env.LLAMA_SWAP_API_KEY = 'sk-runner-secret';
    process.env.LLAMA_SWAP_API_PORT = '1234';
    try {
      const r = await runner.run('/usr/bin/env', []);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).not.toContain('sk-runner-secret');
      expect(r.stdout).not.toContain('LLAMA_SWAP_');
      expect(r.stdout).toMatch(/^PATH=/m);
      expect(r.stdout).toMatch(/^HOME=/m);
    } finally {
      for (const [name, value] of [['LLAMA_SWAP_API_KEY', saved.key], ['LLAMA_SWAP_API_PORT', saved.port]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('platform', () => {
  it('maps node platforms and reads the uid', () => {
    expect(platformName('darwin')).toBe('macos');
    expect(platformName('linux')).toBe('linux');
    expect(platformName('win32')).toBe('other');
    expect(detectPlatform({ platform: 'darwin', getuid: () => 501 })).toEqual({ name: 'macos', uid: 501 });
    expect(detectPlatform({ platform: 'win32' })).toEqual({ name: 'other', uid: -1 });
    expect(describePlatform('other', 'win32')).toBe('win32');
  });
});
