import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isExecutableFile } from '../../../src/system/service/find-binary.js';
import { detectService, detectServiceLayers } from '../../../src/system/service/service-state.js';
import type { ServiceDeps } from '../../../src/system/service/service-state.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';
import type { RecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome, testConfig } from '../../helpers/temp-home.js';
import type { TempHome } from '../../helpers/temp-home.js';

const OURS = 'gui/501/com.user.llama-swap';
const BREWS = 'gui/501/homebrew.mxcl.llama-swap';
let home: TempHome;
let runner: RecordingRunner;

function deps(over: Partial<ServiceDeps> = {}): ServiceDeps {
  return {
    runner,
    fsRoot: home,
    platform: { name: 'macos', uid: 501 },
    config: testConfig(home.home),
    pathEnv: '',
    isExecutable: (f) => f.startsWith(home.home) && isExecutableFile(f),
    isAlive: () => true,
    ...over,
  };
}

beforeEach(() => {
  home = createTempHome();
  runner = createRecordingRunner([{ file: '/bin/launchctl', args: (a) => a[0] === 'print', answer: { exitCode: 113 } }]);
});
afterEach(() => home.remove());

describe('detectService', () => {
  it('nothing installed: manager none, no launchctl call', async () => {
    const v = await detectService(deps());
    expect(v).toEqual({
      platform: 'macos', manager: 'none', installed: false, loaded: false, pid: null, binaryPath: null,
      configPath: home.path('.llamaswap', 'config.yaml'), configExists: false, logPath: home.path('Library', 'Logs', 'LlamaSwap.log'),
      launchctlError: null,
    });
    expect(runner.calls).toEqual([]);
  });

  it('layers: plist present → loaded with pid → process alive', async () => {
    home.write('Library/LaunchAgents/com.user.llama-swap.plist', '<plist/>');
    home.write('.local/bin/llama-swap', '#!/bin/sh\n', 0o755);
    expect(await detectService(deps())).toMatchObject({ manager: 'launchagent', installed: true, loaded: false, pid: null, binaryPath: home.path('.local', 'bin', 'llama-swap') });
    runner.on('/bin/launchctl', ['print', OURS], { stdout: `${OURS} = {\n\tstate = running\n\tpid = 99\n}\n` });
    expect(await detectService(deps())).toMatchObject({ installed: true, loaded: true, pid: 99 });
    const dead = await detectServiceLayers(deps({ isAlive: () => false }), { health: () => Promise.resolve(false) });
    expect(dead).toMatchObject({ loaded: true, pid: null, processAlive: false, apiAnswering: false });
    expect(runner.lines()).toContain(`/bin/launchctl print ${OURS}`);
  });

  it('Homebrew\'s plist makes brew the manager and its label the one printed', async () => {
    home.write('Library/LaunchAgents/homebrew.mxcl.llama-swap.plist', '<plist/>');
    runner.on('/bin/launchctl', ['print', BREWS], { stdout: `${BREWS} = {\n\tstate = running\n\tpid = 7\n}\n` });
    expect(await detectService(deps())).toMatchObject({ manager: 'homebrew', installed: true, loaded: true, pid: 7 });
  });

  it('sh.brew.llama-swap (Homebrew\'s newer label) is accepted as well', async () => {
    const label = 'gui/501/sh.brew.llama-swap';
    home.write('Library/LaunchAgents/sh.brew.llama-swap.plist', '<plist/>');
    runner.on('/bin/launchctl', ['print', label], { stdout: `${label} = {\n\tstate = running\n\tpid = 8\n}\n` });
    expect(await detectService(deps())).toMatchObject({ manager: 'homebrew', installed: true, loaded: true, pid: 8 });
  });

  it('a Homebrew-installed binary alone is not a Homebrew service (the formula has none)', async () => {
    const v = await detectService(deps({ isExecutable: (f) => f === '/opt/homebrew/bin/llama-swap' || f === '/opt/homebrew/bin/brew' }));
    expect(v).toMatchObject({ manager: 'none', installed: false, binaryPath: '/opt/homebrew/bin/llama-swap' });
    expect(runner.calls).toEqual([]);
  });

  it('Linux: no launchd, but binary and config are still reported', async () => {
    home.write('.local/bin/llama-swap', '#!/bin/sh\n', 0o755);
    home.write('.llamaswap/config.yaml', 'models: {}\n');
    const v = await detectService(deps({ platform: { name: 'linux', uid: 1000 } }));
    expect(v).toMatchObject({ platform: 'linux', manager: 'none', installed: false, configExists: true, binaryPath: home.path('.local', 'bin', 'llama-swap') });
    expect(runner.calls).toEqual([]);
  });
});


describe('launchctl failures while detecting (issue 12 item 11)', () => {
  it('a job launchd does not know is simply not loaded; any other print failure is reported in launchctl\'s words', async () => {
    home.write('Library/LaunchAgents/com.user.llama-swap.plist', '<plist/>');
    runner.on('/bin/launchctl', ['print', OURS], { exitCode: 113, stderr: 'Bad request.\nCould not find service "com.user.llama-swap" in domain for user gui: 501\n' });
    expect(await detectService(deps())).toMatchObject({ installed: true, loaded: false, launchctlError: null });
    runner.on('/bin/launchctl', ['print', OURS], { exitCode: 112, stderr: 'Could not find domain for user gui: 501\n' });
    expect(await detectService(deps())).toMatchObject({
      installed: true,
      loaded: false,
      launchctlError: 'launchctl print failed (exit 112): Could not find domain for user gui: 501',
    });
  });
});
