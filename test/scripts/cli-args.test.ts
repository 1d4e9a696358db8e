import { describe, expect, it } from 'vitest';
import { argsOrExitCode, numberFlag, oneOf, parseCommandLine } from '../../scripts/cli-args.js';
import { parseDemoArgs } from '../../scripts/demo/args.js';
import { parseSimulatorArgs } from '../../scripts/simulator/args.js';
import { runScript } from './run-script.js';

const spec = {
  options: { name: { type: 'string' }, loud: { type: 'boolean' } },
  build: (v: { readonly name?: string; readonly loud?: boolean }) => ({ name: v.name ?? 'x', loud: v.loud === true }),
} as const;

describe('the scripts\' argument parser', () => {
  it('parses flags, --help, and says in one line what is wrong', () => {
    expect(parseCommandLine(['--name=a', '--loud'], spec)).toEqual({ kind: 'run', args: { name: 'a', loud: true } });
    expect(parseCommandLine(['-h'], spec)).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--bogus'], spec)).toEqual({ kind: 'error', error: 'unknown option --bogus' });
    expect(parseCommandLine(['--name'], spec)).toEqual({ kind: 'error', error: '--name needs a value' });
    expect(parseCommandLine(['--loud=yes'], spec)).toEqual({ kind: 'error', error: '--loud takes no value' });
    expect(parseCommandLine(['stray'], spec)).toEqual({ kind: 'error', error: 'unexpected argument stray' });
    expect(() => oneOf('--mode', 'c', ['a', 'b'])).toThrow('--mode must be one of a, b (got "c")');
    expect(() => numberFlag('--cycle', '0', { positive: true })).toThrow('--cycle needs a positive number (got "0")');
    expect(numberFlag('--port', '8080', { integer: true })).toBe(8080);
  });

  it('prints the usage for --help (exit 0) and the error above it on stderr (exit 2)', () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    expect(argsOrExitCode({ kind: 'help' }, 'usage: x', io)).toEqual({ exitCode: 0 });
    expect(argsOrExitCode({ kind: 'error', error: 'unknown option --b' }, 'usage: x', io)).toEqual({ exitCode: 2 });
    expect(out).toEqual(['usage: x\n']);
    expect(err).toEqual(['unknown option --b\nusage: x\n']);
  });

  it('reads the demo\'s and the simulator\'s flags, rejecting unknown scenarios', () => {
    expect(parseDemoArgs(['--scenario', 'flaky', '--cycle', '5'])).toMatchObject({ kind: 'run', args: { scenario: 'flaky', cycleSeconds: 5, appearance: 'auto' } });
    expect(parseDemoArgs(['--scenario', 'nope'])).toMatchObject({ kind: 'error', error: expect.stringMatching(/^--scenario must be one of idle, .*"nope"/) });
    expect(parseDemoArgs(['--seconds', 'soon'])).toMatchObject({ kind: 'error' });
    expect(parseDemoArgs([])).toMatchObject({ kind: 'run', args: { hosts: 1 } });
    expect(parseDemoArgs(['--hosts', '3'])).toMatchObject({ kind: 'run', args: { hosts: 3 } });
    expect(parseDemoArgs(['--hosts', '11'])).toMatchObject({ kind: 'error', error: expect.stringMatching(/^--hosts must be one of 1, /) });
    expect(parseSimulatorArgs(['--port', '0', '--together'])).toMatchObject({ kind: 'run', args: { command: 'simulator', args: { port: 0, together: true, scenario: 'idle' } } });
    expect(parseSimulatorArgs(['--scenario', 'nope'])).toMatchObject({ kind: 'error' });
    // The llama-server stand-in takes llama-server's spellings, -np included.
    expect(parseSimulatorArgs(['llama-server', '-m', '/m/tiny.gguf', '-np', '2', '-c', '2048', '--metrics'])).toMatchObject({
      kind: 'run', args: { command: 'llama-server', args: { alias: 'tiny', slots: 2, nCtx: 2048, metrics: true } },
    });
    expect(parseSimulatorArgs(['llama-server', '--bogus'])).toEqual({ kind: 'error', error: 'unknown option --bogus' });
  });
});

describe('each script as a process', () => {
  const scripts = ['scripts/demo.tsx', 'scripts/preview.tsx', 'scripts/simulator.ts'];

  it.each(scripts)('%s: an unknown flag is an error with the usage, exit 2, nothing started', async (script) => {
    const run = await runScript(script, ['--bogus']);
    expect(run.code).toBe(2);
    // The demo is also a command of the installed package, and says so first.
    expect(run.stderr).toMatch(/^unknown option --bogus\nusage: (npm run |llama-swap-swiftbar demo )/);
    expect(run.stdout).toBe('');
  });

  it.each(scripts)('%s: --help prints the usage and exits 0', async (script) => {
    const run = await runScript(script, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: (npm run |llama-swap-swiftbar demo ).*\n[\s\S]*--help/);
  });

  it('the demo refuses an unknown scenario instead of touring', async () => {
    const run = await runScript('scripts/demo.tsx', ['--scenario', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^--scenario must be one of /);
  });
});
