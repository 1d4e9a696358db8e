import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionClient } from '../../../src/system/cli/actions.js';
import { runCli } from '../../../src/system/cli/cli.js';
import { formatDoctor, runDoctor } from '../../../src/system/cli/doctor.js';
import type { DoctorClient, DoctorDeps } from '../../../src/system/cli/doctor.js';
import { isExecutableFile } from '../../../src/system/service/find-binary.js';
import { buildLaunchAgentPlist } from '../../../src/system/service/launch-agent-plist.js';
import type { ApiError, Result } from '../../../src/system/types.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';
import type { RecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome, testConfig } from '../../helpers/temp-home.js';
import type { TempHome } from '../../helpers/temp-home.js';
import { wrapperScript } from '../../../src/system/swiftbar/swiftbar-wrapper.js';

const TARGET = 'gui/501/com.user.llama-swap';
const KEY = 'sk-doctor-secret';
let home: TempHome;
let runner: RecordingRunner;

const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
const fail = (kind: ApiError['kind'], message: string): Promise<Result<never>> => Promise.resolve({ ok: false, error: { kind, message } });

function client(over: Partial<DoctorClient> = {}): DoctorClient {
  const base: ActionClient = {
    models: () => ok([{ id: 'qwen', name: '', description: '', loaded: true }]),
    running: () => ok([{ id: 'qwen', state: 'ready', cmd: '', proxy: '', ttl: 0, name: '', description: '' }]),
    unloadAll: () => ok('OK'),
    unloadModel: () => ok('OK'),
    loadModel: () => ok('ready'),
    profiles: () => ok({ active: null, profiles: [] }),
    setProfile: () => ok({}),
    health: () => ok('OK'),
    inflight: () => ok([]),
    cancelInflight: () => ok(undefined),
  };
  return { ...base, metrics: () => ok('# metrics'), ...over };
}

function deps(c: DoctorClient = client(), over: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    runner,
    fsRoot: home,
    platform: { name: 'macos', uid: 501 },
    config: testConfig(home.home),
    pathEnv: '',
    isExecutable: (f) => f.startsWith(home.home) && isExecutableFile(f),
    isAlive: () => true,
    client: () => Promise.resolve(c),
    cli: 'llama-swap-swiftbar',
    ...over,
  };
}

function installEverything(): void {
  const bin = home.write('.local/bin/llama-swap', '#!/bin/sh\n', 0o755);
  home.write('.llamaswap/config.yaml', 'models:\n  qwen:\n    cmd: llama-server --port ${PORT}\n');
  const cfg = testConfig(home.home);
  home.write('Library/LaunchAgents/com.user.llama-swap.plist', buildLaunchAgentPlist({ label: cfg.serviceLabel, binaryPath: bin, configPath: cfg.configFilePath, listen: '127.0.0.1:45786', logPath: cfg.logFilePath }));
  home.write('Plugins/llama-swap.streamable.sh', wrapperScript({ nodeCandidates: [], entry: '/e', projectDir: '/p', env: [], keyFile: null, streaming: true, version: '0' }), 0o755);
  runner.on('/bin/launchctl', ['print', TARGET], { stdout: `${TARGET} = {\n\tstate = running\n\tpid = 42\n}\n` });
}

beforeEach(() => {
  home = createTempHome();
  runner = createRecordingRunner([
    { file: '/bin/launchctl', args: (a) => a[0] === 'print', answer: { exitCode: 113 } },
    { file: '/usr/bin/defaults', answer: { stdout: `${'~'}/Plugins\n` } },
  ]);
});
afterEach(() => home.remove());

describe('doctor', () => {
  it('everything in place: every check passes', async () => {
    installEverything();
    const checks = await runDoctor(deps());
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['settings', 'ok'], ['platform', 'ok'], ['node', 'ok'], ['SwiftBar plugin', 'ok'], ['llama-swap binary', 'ok'], ['llama-swap config', 'ok'],
      ['LaunchAgent', 'ok'], ['launchd job', 'ok'], ['API', 'ok'], ['API key', 'ok'], ['metrics "qwen"', 'ok'],
    ]);
    expect(formatDoctor(checks)).toMatch(/All checks passed\.\n$/);
  });

  it('finds the llama-swap that runs from a folder on no PATH (the API port\'s listener)', async () => {
    installEverything();
    rmSync(home.path('.local', 'bin', 'llama-swap'));
    const elsewhere = home.write('Downloads/llama-swap', '#!/bin/sh\n', 0o755);
    const port = testConfig(home.home).apiPort;
    runner
      .on('/usr/sbin/lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], { stdout: '42\n' })
      .on('ps', ['-p', '42', '-o', 'pid=,rss=,%cpu=,command='], { stdout: ` 42  20480  0.5 ${elsewhere} --config c.yaml\n` });
    const checks = await runDoctor(deps());
    expect(checks.find((c) => c.name === 'llama-swap binary')).toMatchObject({ status: 'ok', detail: `${elsewhere} (the llama-swap running on port ${port})` });
  });

  it('nothing in place: each failure says what to do', async () => {
    home.write('Plugins/.keep', '');
    const checks = await runDoctor(deps(client({ health: () => fail('unreachable', 'connection refused') })));
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName['SwiftBar plugin']).toMatchObject({ status: 'fail', fix: 'run: llama-swap-swiftbar install-plugin' });
    expect(byName['llama-swap binary']).toMatchObject({ status: 'fail', fix: 'run: brew tap mostlygeek/llama-swap && brew install llama-swap' });
    expect(byName['llama-swap config']?.fix).toContain('edit_config');
    expect(byName.LaunchAgent?.fix).toContain('install_service');
    expect(byName.API).toMatchObject({ status: 'fail', detail: 'connection refused' });
    const text = formatDoctor(checks);
    expect(text).toContain('✗ llama-swap binary: not found');
    expect(text).toContain('    fix: run: brew tap mostlygeek/llama-swap && brew install llama-swap');
  });

  it('a broken plist, a stale --listen, a dead job, a refused key and disabled metrics', async () => {
    installEverything();
    home.write('Library/LaunchAgents/com.user.llama-swap.plist', '<plist><dict>');
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: `${TARGET} = {\n\tstate = not running\n\tlast exit code = 1\n}\n` });
    let checks = await runDoctor(deps(client({ models: () => fail('unauthorized', 'needs an API key') })));
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.LaunchAgent?.status).toBe('fail');
    expect(byName.LaunchAgent?.detail).toContain('not a valid plist');
    expect(byName['launchd job']).toMatchObject({ status: 'fail' });
    expect(byName['launchd job']?.detail).toContain('last exit code 1');
    expect(byName['API key']?.fix).toContain('LLAMA_SWAP_API_KEY');

    installEverything();
    checks = await runDoctor(deps(client({ metrics: () => fail('metrics-disabled', '501') }), { config: testConfig(home.home, { apiPort: 1234 }) }));
    const again = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(again.LaunchAgent).toMatchObject({ status: 'warn' });
    expect(again.LaunchAgent?.detail).toContain('the plugin expects 127.0.0.1:1234');
    expect(again['metrics "qwen"']?.fix).toContain('--metrics');
  });

  it('YAML errors, empty model lists, bad settings and two competing services are reported', async () => {
    installEverything();
    home.write('Library/LaunchAgents/homebrew.mxcl.llama-swap.plist', '<plist/>');
    home.write('.llamaswap/config.yaml', 'models: [\n');
    const warnings = [{ variable: 'LLAMA_SWAP_API_PORT', value: 'x', message: 'LLAMA_SWAP_API_PORT="x": expected a whole number' }];
    let byName = Object.fromEntries((await runDoctor(deps(client(), { warnings }))).map((c) => [c.name, c]));
    expect(byName['llama-swap config']?.status).toBe('fail');
    expect(byName.settings).toMatchObject({ status: 'warn', detail: 'LLAMA_SWAP_API_PORT="x": expected a whole number' });
    expect(byName['duplicate service']?.status).toBe('warn');
    home.write('.llamaswap/config.yaml', 'models: {}\n');
    byName = Object.fromEntries((await runDoctor(deps())).map((c) => [c.name, c]));
    expect(byName['llama-swap config']).toMatchObject({ status: 'warn' });
  });

  it('Homebrew-managed service is fine', async () => {
    installEverything();
    rmSync(home.path('Library', 'LaunchAgents', 'com.user.llama-swap.plist'));
    home.write('Library/LaunchAgents/homebrew.mxcl.llama-swap.plist', '<plist/>');
    runner.on('/bin/launchctl', ['print', 'gui/501/homebrew.mxcl.llama-swap'], { stdout: '\tstate = running\n\tpid = 5\n' });
    const checks = await runDoctor(deps());
    expect(checks.find((c) => c.name === 'LaunchAgent')?.detail).toContain('homebrew.mxcl.llama-swap');
    expect(checks.find((c) => c.name === 'launchd job')?.status).toBe('ok');
  });

  it('on Linux the plugin and service checks step aside; API checks still run', async () => {
    const checks = await runDoctor(deps(client(), { platform: { name: 'linux', uid: 1000 } }));
    expect(checks.map((c) => c.name)).not.toContain('launchd job');
    expect(checks.find((c) => c.name === 'SwiftBar plugin')?.status).toBe('skip');
    expect(checks.find((c) => c.name === 'API')?.status).toBe('ok');
    expect(runner.calls).toEqual([]);
  });

  it('through the CLI: exit 1 on failure, and the key never printed', async () => {
    let text = '';
    const sinkOut = { write: (t: string) => { text += t; return true; } };
    const code = await runCli(['doctor'], {
      runner, fsRoot: home, platform: { name: 'macos', uid: 501 }, env: { PATH: '' }, stdout: sinkOut, stderr: sinkOut,
      readConfig: () => ({ config: testConfig(home.home, { apiKey: KEY }), warnings: [] }),
      clientFactory: () => client({ health: () => fail('unreachable', `refused for ${KEY}`) }),
      isExecutable: () => false,
    });
    expect(code).toBe(1);
    expect(text).toContain('✗ API');
    expect(text).not.toContain(KEY);
  });

  it('on Linux no fix names a macOS-only action, and each fits the platform', async () => {
    const linux = { platform: { name: 'linux', uid: 1000 } } as const;
    let checks = await runDoctor(deps(client({ health: () => fail('unreachable', 'connection refused') }), linux));
    const fixes = checks.flatMap((c) => (c.fix === undefined ? [] : [c.fix]));
    expect(fixes.join('\n')).not.toMatch(/edit_config|view_logs|do_start|install_service|brew /);
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.API?.fix).toContain(`start it: llama-swap --config ${home.path('.llamaswap', 'config.yaml')} --listen 127.0.0.1:45786`);
    expect(byName['llama-swap config']?.fix).toContain(`create ${home.path('.llamaswap', 'config.yaml')}`);
    expect(byName['llama-swap binary']?.fix).toContain('github.com/mostlygeek/llama-swap/releases');
    home.write('.llamaswap/config.yaml', 'models: {}\n');
    checks = await runDoctor(deps(client(), linux));
    expect(checks.find((c) => c.name === 'llama-swap config')?.fix).toBe(`add a model under "models:" (edit ${home.path('.llamaswap', 'config.yaml')})`);
  });

  it('tells the one API-key story: install-plugin writes the 0600 key file the wrapper reads', async () => {
    installEverything();
    const checks = await runDoctor(deps(client({ models: () => fail('unauthorized', 'needs an API key') })));
    const fix = checks.find((c) => c.name === 'API key')?.fix ?? '';
    expect(fix).toContain('LLAMA_SWAP_API_KEY=<one of the apiKeys in');
    expect(fix).toContain('llama-swap-swiftbar install-plugin');
    expect(fix).toContain(`'${home.path('Library', 'Application Support', 'llama-swap-swiftbar', 'api-key')}', mode 0600, which the wrapper reads`);
  });
});

describe('doctor fixes run as printed', () => {
  const cliDeps = (env: Record<string, string>, out: { write: (t: string) => boolean }) => ({
    runner, fsRoot: home, platform: { name: 'macos', uid: 501 } as const, env, stdout: out, stderr: out,
    readConfig: () => ({ config: testConfig(home.home), warnings: [] }),
    clientFactory: () => client({ health: () => fail('unreachable', 'connection refused') }),
    isExecutable: () => false,
  });
  const runLines = (text: string): string[] => [...text.matchAll(/run: (.*?) (?:install_service|install-plugin|do_start)\b/g)].map((m) => m[1] ?? '');

  it('without a wrapper: node on the absolute bin/ launcher, which answers --help', async () => {
    let text = '';
    await runCli(['doctor'], cliDeps({ PATH: '' }, { write: (t: string) => { text += t; return true; } }));
    const prefixes = new Set(runLines(text));
    expect(prefixes.size).toBe(1);
    const [prefix] = [...prefixes];
    // PATH has no node, so the node binary itself is named; the launcher is an absolute path.
    expect(prefix).toMatch(/^\S*node\S* \/\S+\/bin\/llama-swap-swiftbar\.js$/);
    expect(text).not.toMatch(/run: llama-swap-swiftbar /);
    const help = execFileSync('/bin/sh', ['-c', `${prefix ?? ''} --help`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: home.home } });
    expect(help).toContain('menu actions');
  });

  it('with the wrapper installed: the path of the wrapper, quoted for sh', async () => {
    home.write('Plugin Folder/llama-swap.streamable.sh', wrapperScript({ nodeCandidates: [], entry: '/e', projectDir: '/p', env: [], keyFile: null, streaming: true, version: '0' }), 0o755);
    runner.on('/usr/bin/defaults', ['read', 'com.ameba.SwiftBar', 'PluginDirectory'], { stdout: `${home.path('Plugin Folder')}\n` });
    let text = '';
    await runCli(['doctor'], cliDeps({ PATH: '' }, { write: (t: string) => { text += t; return true; } }));
    expect(new Set(runLines(text))).toEqual(new Set([`'${home.path('Plugin Folder', 'llama-swap.streamable.sh')}'`]));
  });
});
