import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installService, restartService, startService, stopService, uninstallService } from '../../../src/system/service/launch-agent.js';
import { buildLaunchAgentPlist, checkLaunchAgentPlist, listenAddress, parsePlist } from '../../../src/system/service/launch-agent-plist.js';
import { parseLaunchctlPrint } from '../../../src/system/service/launchctl.js';
import { isExecutableFile } from '../../../src/system/service/find-binary.js';
import type { ServiceDeps } from '../../../src/system/service/service-state.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';
import type { RecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome, testConfig } from '../../helpers/temp-home.js';
import type { TempHome } from '../../helpers/temp-home.js';

const UID = 501;
const LABEL = 'com.user.llama-swap';
const TARGET = `gui/${UID}/${LABEL}`;
const RUNNING_PRINT = `${TARGET} = {\n\tactive count = 1\n\tstate = running\n\tpid = 4242\n\tlast exit code = (never exited)\n\tendpoints = {\n\t\tstate = active\n\t}\n}\n`;
const WAITING_PRINT = `${TARGET} = {\n\tstate = not running\n\tlast exit code = 1\n}\n`;

let home: TempHome;
let runner: RecordingRunner;
let binary: string;

function deps(over: Partial<ServiceDeps> = {}): ServiceDeps {
  return {
    runner,
    fsRoot: home,
    platform: { name: 'macos', uid: UID },
    config: testConfig(home.home),
    pathEnv: '',
    // Only files inside the temporary home count, so the machine's own binaries never leak in.
    isExecutable: (f) => f.startsWith(home.home) && isExecutableFile(f),
    isAlive: () => true,
    sleep: () => Promise.resolve(),
    ...over,
  };
}

const plistPath = (): string => home.path('Library', 'LaunchAgents', `${LABEL}.plist`);

beforeEach(() => {
  home = createTempHome();
  runner = createRecordingRunner([{ file: '/bin/launchctl', args: ['print', TARGET], answer: { exitCode: 113, stderr: 'Could not find service' } }]);
  binary = home.write('.local/bin/llama-swap', '#!/bin/sh\n', 0o755);
  home.write('.llamaswap/config.yaml', 'models: {}\n');
});
afterEach(() => home.remove());

describe('plist content', () => {
  it('runs llama-swap with --config and --listen from the API settings, logs, KeepAlive on crash', () => {
    const xml = buildLaunchAgentPlist({ label: LABEL, binaryPath: '/opt/homebrew/bin/llama-swap', configPath: '/Users/u/.llamaswap/config.yaml', listen: '127.0.0.1:45786', logPath: '/Users/u/Library/Logs/LlamaSwap.log' });
    const parsed = parsePlist(xml);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const p = parsed.value;
    expect(p.Label).toBe(LABEL);
    expect(p.ProgramArguments).toEqual(['/opt/homebrew/bin/llama-swap', '--config', '/Users/u/.llamaswap/config.yaml', '--listen', '127.0.0.1:45786']);
    expect(p.RunAtLoad).toBe(true);
    expect(p.KeepAlive).toEqual({ SuccessfulExit: false });
    expect(p.ProcessType).toBe('Interactive');
    expect(p.StandardOutPath).toBe('/Users/u/Library/Logs/LlamaSwap.log');
    expect(p.StandardErrorPath).toBe('/Users/u/Library/Logs/LlamaSwap.log');
    expect(p.EnvironmentVariables).toEqual({ PATH: '/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' });
    expect(checkLaunchAgentPlist(xml)).toEqual({ ok: true, value: { label: LABEL, programArguments: p.ProgramArguments } });
  });

  it('escapes XML-special characters in paths and reads them back unchanged', () => {
    const odd = '/Users/a&b <c>/"q"/config.yaml';
    const xml = buildLaunchAgentPlist({ label: LABEL, binaryPath: '/bin/llama-swap', configPath: odd, listen: ':1', logPath: '/l' });
    const parsed = parsePlist(xml);
    expect(parsed.ok && parsed.value.ProgramArguments).toEqual(['/bin/llama-swap', '--config', odd, '--listen', ':1']);
  });

  it('derives --listen from apiUrl and apiPort', () => {
    expect(listenAddress({ apiUrl: 'http://127.0.0.1', apiPort: 45786 })).toBe('127.0.0.1:45786');
    expect(listenAddress({ apiUrl: 'http://localhost:9000', apiPort: 9000 })).toBe('localhost:9000');
    expect(listenAddress({ apiUrl: 'not a url', apiPort: 1234 })).toBe('127.0.0.1:1234');
  });

  it('rejects broken plists', () => {
    expect(checkLaunchAgentPlist('<plist><dict><key>Label</key>').ok).toBe(false);
    expect(checkLaunchAgentPlist('<?xml version="1.0"?><plist version="1.0"><dict><key>Label</key><string>x</string></dict></plist>')).toEqual({ ok: false, error: 'the plist has no ProgramArguments' });
  });
});

describe('launchctl print', () => {
  it('reads pid and state from the top level only', () => {
    expect(parseLaunchctlPrint(RUNNING_PRINT)).toEqual({ pid: 4242, state: 'running', lastExitCode: '(never exited)' });
    expect(parseLaunchctlPrint(WAITING_PRINT)).toEqual({ pid: null, state: 'not running', lastExitCode: '1' });
    const spaced = `${TARGET} = {\n    arguments = {\n        pid = 1\n    }\n    state = running\n    pid = 77\n}\n`;
    expect(parseLaunchctlPrint(spaced)).toEqual({ pid: 77, state: 'running', lastExitCode: null });
  });
});

describe('install / uninstall', () => {
  it('writes the plist (0644) and bootstraps it', async () => {
    const out = await installService(deps());
    expect(out).toEqual({ ok: true, message: `installed LaunchAgent ${LABEL} and started llama-swap` });
    expect(runner.lines()).toEqual([`/bin/launchctl print ${TARGET}`, `/bin/launchctl bootstrap gui/${UID} ${plistPath()}`]);
    expect(statSync(plistPath()).mode & 0o777).toBe(0o644);
    const parsed = parsePlist(readFileSync(plistPath(), 'utf8'));
    expect(parsed.ok && parsed.value.ProgramArguments).toEqual([binary, '--config', home.path('.llamaswap', 'config.yaml'), '--listen', '127.0.0.1:45786']);
    expect(existsSync(home.path('Library', 'Logs'))).toBe(true);
  });

  it('is idempotent: installing again rewrites, boots the loaded job out and bootstraps again', async () => {
    await installService(deps());
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: RUNNING_PRINT });
    runner.clear();
    const out = await installService(deps({ config: testConfig(home.home, { apiPort: 9999 }) }));
    expect(out.ok).toBe(true);
    expect(out.message).toMatch(/^reinstalled/);
    expect(runner.lines()).toEqual([`/bin/launchctl print ${TARGET}`, `/bin/launchctl bootout ${TARGET}`, `/bin/launchctl bootstrap gui/${UID} ${plistPath()}`]);
    const parsed = parsePlist(readFileSync(plistPath(), 'utf8'));
    expect(parsed.ok && parsed.value.ProgramArguments).toContain('127.0.0.1:9999');
  });

  it('retries bootstrap once when launchd is still tearing the old job down', async () => {
    let n = 0;
    runner.on('/bin/launchctl', ['bootstrap'], () => (++n === 1 ? { exitCode: 5, stderr: 'Bootstrap failed: 5: Input/output error' } : { exitCode: 0 }), true);
    expect((await installService(deps())).ok).toBe(true);
    expect(runner.lines().filter((l) => l.includes('bootstrap'))).toHaveLength(2);
  });

  it('refuses without the binary, and without the config file (offering edit_config)', async () => {
    home.remove();
    home = createTempHome();
    const noBinary = await installService(deps());
    expect(noBinary.ok).toBe(false);
    expect(noBinary.message).toContain('brew install llama-swap');
    home.write('.local/bin/llama-swap', '#!/bin/sh\n', 0o755);
    const noConfig = await installService(deps());
    expect(noConfig).toMatchObject({ ok: false, offer: 'edit_config' });
    expect(runner.lines().some((l) => l.includes('bootstrap'))).toBe(false);
  });

  it('installs the llama-swap that runs from a folder on no PATH: the API port\'s listener\'s executable', async () => {
    home.remove();
    home = createTempHome();
    home.write('.llamaswap/config.yaml', 'models: {}\n');
    const elsewhere = home.write('Downloads/llama swap/llama-swap', '#!/bin/sh\n', 0o755);
    const port = testConfig(home.home).apiPort;
    runner
      .on('/usr/sbin/lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], { stdout: '6161\n' })
      .on('ps', ['-p', '6161', '-o', 'pid=,rss=,%cpu=,command='], { stdout: ` 6161  20480  0.5 ${elsewhere} --config /x.yaml --listen :${port}\n` });
    const out = await installService(deps());
    expect(out.ok, out.message).toBe(true);
    expect(readFileSync(plistPath(), 'utf8')).toContain(`<string>${elsewhere}</string>`);
  });

  it('uninstall boots out and removes the plist; again is a no-op that succeeds', async () => {
    await installService(deps());
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: RUNNING_PRINT });
    runner.clear();
    expect(await uninstallService(deps())).toEqual({ ok: true, message: `uninstalled LaunchAgent ${LABEL}` });
    expect(runner.lines()).toEqual([`/bin/launchctl print ${TARGET}`, `/bin/launchctl bootout ${TARGET}`]);
    expect(existsSync(plistPath())).toBe(false);
    runner.on('/bin/launchctl', ['print', TARGET], { exitCode: 113 });
    const again = await uninstallService(deps());
    expect(again.ok).toBe(true);
    expect(again.message).toContain('nothing to do');
  });
});

describe('start / stop / restart', () => {
  beforeEach(async () => {
    await installService(deps());
    runner.clear();
  });

  it('start bootstraps an unloaded job, kickstarts a loaded idle one, and leaves a running one alone', async () => {
    expect(await startService(deps())).toEqual({ ok: true, message: 'llama-swap started' });
    expect(runner.lines().at(-1)).toBe(`/bin/launchctl bootstrap gui/${UID} ${plistPath()}`);
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: WAITING_PRINT });
    runner.clear();
    expect((await startService(deps())).ok).toBe(true);
    expect(runner.lines().at(-1)).toBe(`/bin/launchctl kickstart ${TARGET}`);
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: RUNNING_PRINT });
    runner.clear();
    expect(await startService(deps())).toEqual({ ok: true, message: 'llama-swap is already running (pid 4242)' });
    expect(runner.lines()).toEqual([`/bin/launchctl print ${TARGET}`]);
  });

  it('stop boots a loaded job out, and is fine when nothing is loaded', async () => {
    expect(await stopService(deps())).toEqual({ ok: true, message: 'llama-swap is not running; nothing to stop' });
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: RUNNING_PRINT });
    runner.clear();
    expect(await stopService(deps())).toEqual({ ok: true, message: 'llama-swap stopped' });
    expect(runner.lines()).toEqual([`/bin/launchctl print ${TARGET}`, `/bin/launchctl bootout ${TARGET}`]);
  });

  it('restart uses kickstart -k when loaded', async () => {
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: RUNNING_PRINT });
    expect(await restartService(deps())).toEqual({ ok: true, message: 'llama-swap restarted' });
    expect(runner.lines().at(-1)).toBe(`/bin/launchctl kickstart -k ${TARGET}`);
  });

  it('start and restart without an install say so and offer install_service', async () => {
    await uninstallService(deps());
    for (const op of [startService, restartService]) {
      const out = await op(deps());
      expect(out).toMatchObject({ ok: false, offer: 'install_service' });
      expect(out.message).toContain('install_service');
    }
  });

  it('reports launchctl failures with their first telling line and the exit code', async () => {
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: RUNNING_PRINT });
    runner.on('/bin/launchctl', ['kickstart'], { exitCode: 1, stderr: 'Operation not permitted\nmore' }, true);
    expect(await restartService(deps())).toEqual({ ok: false, message: 'launchctl kickstart failed (exit 1): Operation not permitted' });
  });
});

describe('Homebrew (llama-swap\'s formula has no service: the plugin\'s own LaunchAgent runs it)', () => {
  const BREW = '/opt/homebrew/bin/brew';
  const BREW_BIN = '/opt/homebrew/bin/llama-swap';
  const brewDeps = (): ServiceDeps => deps({ isExecutable: (f) => f === BREW || f === BREW_BIN || (f.startsWith(home.home) && isExecutableFile(f)) });

  it('a Homebrew-installed binary gets our LaunchAgent; brew services is never asked', async () => {
    home.remove();
    home = createTempHome();
    home.write('.llamaswap/config.yaml', 'models: {}\n');
    const out = await installService(brewDeps());
    expect(out.ok).toBe(true);
    const parsed = parsePlist(readFileSync(plistPath(), 'utf8'));
    expect(parsed.ok && (parsed.value.ProgramArguments as string[])[0]).toBe(BREW_BIN);
    for (const op of [startService, stopService, restartService]) await op(brewDeps());
    expect(runner.lines().filter((l) => l.startsWith(BREW))).toEqual([]);
    expect(runner.lines().every((l) => l.startsWith('/bin/launchctl '))).toBe(true);
  });

  it('the install advice names the tap', async () => {
    home.remove();
    home = createTempHome();
    const out = await installService(deps());
    expect(out.message).toContain('brew tap mostlygeek/llama-swap && brew install llama-swap');
  });

  for (const label of ['homebrew.mxcl.llama-swap', 'sh.brew.llama-swap']) {
    it(`an existing ${label} job someone made is controlled through launchctl, and no duplicate is installed`, async () => {
      const theirs = home.write(`Library/LaunchAgents/${label}.plist`, '<plist/>');
      const target = `gui/${UID}/${label}`;
      runner.on('/bin/launchctl', ['print', target], { exitCode: 113, stderr: 'Bad request.\nCould not find service' });
      expect((await startService(brewDeps())).ok).toBe(true);
      expect(runner.lines()).toEqual([`/bin/launchctl print ${target}`, `/bin/launchctl bootstrap gui/${UID} ${theirs}`]);
      runner.on('/bin/launchctl', ['print', target], { stdout: `${target} = {\n\tstate = running\n\tpid = 77\n}\n` });
      runner.clear();
      expect((await restartService(brewDeps())).ok).toBe(true);
      expect(runner.lines().at(-1)).toBe(`/bin/launchctl kickstart -k ${target}`);
      runner.clear();
      expect((await stopService(brewDeps())).ok).toBe(true);
      expect(runner.lines().at(-1)).toBe(`/bin/launchctl bootout ${target}`);
      runner.clear();
      const install = await installService(brewDeps());
      expect(install.message).toContain(label);
      expect(install.message).toContain('not installing a second LaunchAgent');
      expect(existsSync(plistPath())).toBe(false);
      expect(runner.lines().filter((l) => l.startsWith(BREW))).toEqual([]);
    });
  }
});

describe('launchctl failures (issue 12 item 11)', () => {
  beforeEach(async () => {
    await installService(deps());
    runner.clear();
  });

  it('bootstrap failing with 5 is retried once after a bootout, and succeeds', async () => {
    let n = 0;
    runner.on('/bin/launchctl', ['bootstrap'], () => (++n === 1 ? { exitCode: 5, stderr: 'Bootstrap failed: 5: Input/output error\nTry re-running the command as root for richer errors.\n' } : { exitCode: 0 }), true);
    expect(await startService(deps())).toEqual({ ok: true, message: 'llama-swap started' });
    expect(runner.lines()).toEqual([
      `/bin/launchctl print ${TARGET}`,
      `/bin/launchctl bootstrap gui/${UID} ${plistPath()}`,
      `/bin/launchctl bootout ${TARGET}`,
      `/bin/launchctl bootstrap gui/${UID} ${plistPath()}`,
    ]);
  });

  it('a second 5 is reported with launchctl\'s words and the exit code; other failures are not retried', async () => {
    runner.on('/bin/launchctl', ['bootstrap'], { exitCode: 5, stderr: 'Bootstrap failed: 5: Input/output error\nTry re-running the command as root for richer errors.\n' }, true);
    expect(await startService(deps())).toEqual({ ok: false, message: 'launchctl bootstrap failed (exit 5): Bootstrap failed: 5: Input/output error' });
    expect(runner.lines().filter((l) => l.includes('bootstrap'))).toHaveLength(2);
    runner.clear();
    runner.on('/bin/launchctl', ['bootstrap'], { exitCode: 133, stderr: `${plistPath()}: Invalid property list\n` }, true);
    expect(await startService(deps())).toEqual({ ok: false, message: `launchctl bootstrap failed (exit 133): ${plistPath()}: Invalid property list` });
    expect(runner.lines().filter((l) => l.includes('bootstrap'))).toHaveLength(1);
  });

  it('kickstart and bootout failures carry launchctl\'s own words and the exit code', async () => {
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: RUNNING_PRINT });
    runner.on('/bin/launchctl', ['kickstart'], { exitCode: 113, stderr: `Bad request.\nCould not find service "${LABEL}" in domain for user gui: 501\n` }, true);
    expect(await restartService(deps())).toEqual({ ok: false, message: `launchctl kickstart failed (exit 113): Could not find service "${LABEL}" in domain for user gui: 501` });
    runner.on('/bin/launchctl', ['bootout'], { exitCode: 36, stderr: 'Boot-out failed: 36: Operation now in progress\n' }, true);
    expect(await stopService(deps())).toEqual({ ok: false, message: 'launchctl bootout failed (exit 36): Boot-out failed: 36: Operation now in progress' });
    runner.on('/bin/launchctl', ['bootout'], { exitCode: 1, stderr: '' }, true);
    expect(await stopService(deps())).toEqual({ ok: false, message: 'launchctl bootout failed (exit 1)' });
  });
});

describe('off macOS', () => {
  it('every service operation says launchd is needed and runs nothing', async () => {
    for (const op of [installService, uninstallService, startService, stopService, restartService]) {
      const out = await op(deps({ platform: { name: 'linux', uid: 1000 } }));
      expect(out).toEqual({ ok: false, message: 'service control needs macOS (launchd); this is Linux' });
    }
    expect(runner.calls).toHaveLength(0);
    expect(path.isAbsolute(binary)).toBe(true);
  });
});
