import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLastAction } from '../../../src/system/cli/action-log.js';
import { ACTIONS, type ActionClient } from '../../../src/system/cli/actions.js';
import { isCliCommand, normalizeCommand, runCli } from '../../../src/system/cli/cli.js';
import type { CliDeps } from '../../../src/system/cli/cli.js';
import { isExecutableFile } from '../../../src/system/service/find-binary.js';
import type { ConfiguredModel, PluginConfig, Result, RunningModel } from '../../../src/system/types.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';
import type { RecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome, testConfig } from '../../helpers/temp-home.js';
import type { TempHome } from '../../helpers/temp-home.js';

const UID = 501;
const LABEL = 'com.user.llama-swap';
const TARGET = `gui/${UID}/${LABEL}`;
const KEY = 'sk-SECRET-key-0123456789';
const HOSTILE = 'a|b"c\nbash=/bin/rm';
const PLUGIN = '/Users/u/SwiftBar/llama-swap.streamable.sh';
const RUNNING_PRINT = `${TARGET} = {\n\tstate = running\n\tpid = 4242\n}\n`;

type Sink = { text: string; write(t: string): boolean };
const sink = (): Sink => ({ text: '', write(t: string) { this.text += t; return true; } });

type FakeClient = ActionClient & { calls: string[] };

function fakeClient(over: { models?: string[]; running?: string[]; fail?: string; inflight?: string[]; selectors?: string[]; peers?: string[]; profiles?: string[] } = {}): FakeClient {
  const calls: string[] = [];
  const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
  const maybeFail = <T,>(value: T): Promise<Result<T>> =>
    over.fail ? Promise.resolve({ ok: false, error: { kind: 'http', message: over.fail } }) : ok(value);
  const cm = (id: string): ConfiguredModel => ({ id, name: id, description: '', loaded: undefined });
  const rm = (id: string): RunningModel => ({ id, state: 'ready', cmd: '', proxy: '', ttl: 0, name: '', description: '' });
  return {
    calls,
    models: () => ok([...(over.models ?? ['qwen', 'llama']).map(cm), ...(over.selectors ?? []).map((id): ConfiguredModel => ({ ...cm(id), kind: 'selector' })),
      ...(over.peers ?? []).map((id): ConfiguredModel => ({ ...cm(id), kind: 'peer', peerId: id.slice(0, id.indexOf('/')) }))]),
    inflight: () => { calls.push('inflight'); return ok((over.inflight ?? []).map((id) => ({ id, model: 'qwen', path: '/v1/chat/completions', method: 'POST', startedAt: 0, elapsedMs: 0, receivedAt: 0, bytes: 0 }))); },
    cancelInflight: (id) => { calls.push(`cancelInflight ${id}`); return maybeFail({}); },
    running: () => ok((over.running ?? ['qwen']).map(rm)),
    unloadAll: () => { calls.push('unloadAll'); return maybeFail('OK'); },
    unloadModel: (id) => { calls.push(`unloadModel ${id}`); return maybeFail('OK'); },
    loadModel: (id) => { calls.push(`loadModel ${id}`); return maybeFail('ready' as const); },
    profiles: () => ok({ active: null, profiles: (over.profiles ?? ['coding']).map((id) => ({ id, description: '', pins: {} })) }),
    setProfile: (id) => { calls.push(`setProfile ${String(id)}`); return maybeFail({ active: id }); },
    health: () => ok('OK'),
  };
}

let home: TempHome;
let runner: RecordingRunner;
let client: FakeClient;
let out: Sink;
let err: Sink;
let config: PluginConfig;

function deps(over: Partial<CliDeps> = {}): CliDeps {
  return {
    runner,
    fsRoot: home,
    platform: { name: 'macos', uid: UID },
    env: { SWIFTBAR: '1', SWIFTBAR_PLUGIN_PATH: PLUGIN, PATH: '' },
    stdout: out,
    stderr: err,
    clientFactory: () => client,
    readConfig: () => ({ config, warnings: [] }),
    isAlive: () => true,
    isExecutable: (f) => f.startsWith(home.home) && isExecutableFile(f),
    sleep: () => Promise.resolve(),
    now: () => 1_700_000_000_000,
    ...over,
  };
}

const notifications = (): string[] => runner.calls.filter((c) => c.file === '/usr/bin/open' && c.args[0] === '-g').map((c) => c.args[1] ?? '');

beforeEach(() => {
  home = createTempHome();
  runner = createRecordingRunner([{ file: '/bin/launchctl', args: ['print', TARGET], answer: { exitCode: 113 } }]);
  client = fakeClient();
  out = sink();
  err = sink();
  config = testConfig(home.home, { apiKey: KEY });
  home.write('.local/bin/llama-swap', '#!/bin/sh\n', 0o755);
  home.write('.llamaswap/config.yaml', 'models: {}\n');
});
afterEach(() => home.remove());

describe('service actions on macOS', () => {
  it('exact launchctl argv for install, start, stop, restart, uninstall', async () => {
    const plist = home.path('Library', 'LaunchAgents', `${LABEL}.plist`);
    expect(await runCli(['install_service'], deps())).toBe(0);
    expect(runner.lines().filter((l) => !l.startsWith('/usr/bin/open'))).toEqual([`/bin/launchctl print ${TARGET}`, `/bin/launchctl bootstrap gui/${UID} ${plist}`]);
    runner.on('/bin/launchctl', ['print', TARGET], { stdout: RUNNING_PRINT });
    const steps: [string, string[]][] = [
      ['do_restart', [`/bin/launchctl print ${TARGET}`, `/bin/launchctl kickstart -k ${TARGET}`]],
      ['do_stop', [`/bin/launchctl print ${TARGET}`, `/bin/launchctl bootout ${TARGET}`]],
      ['do_start', [`/bin/launchctl print ${TARGET}`]],
      ['uninstall_service', [`/bin/launchctl print ${TARGET}`, `/bin/launchctl bootout ${TARGET}`]],
    ];
    for (const [action, argv] of steps) {
      runner.clear();
      expect(await runCli([action], deps())).toBe(0);
      expect(runner.lines().filter((l) => !l.startsWith('/usr/bin/open -g'))).toEqual(argv);
      expect(notifications()).toHaveLength(1);
    }
    expect(existsSync(plist)).toBe(false);
  });

  it('do_start without a service fails, offers install_service, records and notifies', async () => {
    expect(await runCli(['do_start'], deps())).toBe(1);
    // The fix names a command that runs as printed: under SwiftBar, the wrapper itself.
    expect(err.text).toContain(`(to fix: ${PLUGIN} install_service)`);
    const rec = await readLastAction(config.cacheDir);
    expect(rec).toMatchObject({ action: 'do_start', args: [], ok: false, at: 1_700_000_000_000 });
    const [url] = notifications();
    expect(url).toMatch(/^swiftbar:\/\/notify\?plugin=llama-swap\.streamable\.sh&title=llama-swap%3A%20action%20failed&body=/);
  });

  it('no notification outside SwiftBar, but still a line and a record', async () => {
    await runCli(['do_stop'], deps({ env: { PATH: '' } }));
    expect(notifications()).toEqual([]);
    expect(out.text).toBe('llama-swap is not running; nothing to stop\n');
    expect((await readLastAction(config.cacheDir))?.ok).toBe(true);
  });
});

describe('open actions on macOS', () => {
  it('open_ui opens the web UI address', async () => {
    expect(await runCli(['open_ui'], deps())).toBe(0);
    expect(runner.lines()[0]).toBe('/usr/bin/open http://127.0.0.1:45786/ui/');
  });

  it('view_logs opens Console on the log, or says there is no log yet', async () => {
    expect(await runCli(['view_logs'], deps())).toBe(1);
    expect(err.text).toContain('no log yet');
    home.write('Library/Logs/LlamaSwap.log', 'x\n');
    runner.clear();
    expect(await runCli(['view_logs'], deps())).toBe(0);
    expect(runner.calls[0]?.args).toEqual(['-a', 'Console', '--', config.logFilePath]);
  });

  it('edit_config creates a template when missing, then opens it in TextEdit', async () => {
    config = testConfig(home.home, { apiKey: KEY, configFilePath: home.path('new', 'config.yaml') });
    expect(await runCli(['edit_config'], deps())).toBe(0);
    expect(readFileSync(config.configFilePath, 'utf8')).toContain('models: {}');
    expect(runner.calls[0]?.args).toEqual(['-t', '--', config.configFilePath]);
    expect(out.text).toContain('created');
  });
});

describe('paths from settings are never read as options by open', () => {
  it('edit_config and view_logs end the options with -- before a path that begins with -', async () => {
    config = testConfig(home.home, { apiKey: KEY, configFilePath: home.path('-n cfg.yaml'), logFilePath: home.path('-a.log') });
    home.write('-a.log', 'x\n');
    home.write('-n cfg.yaml', 'models: {}\n');
    for (const [action, file] of [['edit_config', config.configFilePath], ['view_logs', config.logFilePath]] as const) {
      runner.clear();
      expect(await runCli([action], deps())).toBe(0);
      const args = runner.calls[0]?.args ?? [];
      expect(args.at(-1)).toBe(file);
      expect(args.at(-2)).toBe('--');
    }
  });
});

describe('refresh', () => {
  it('writes a quiet record for the running menu, says nothing to SwiftBar and needs no API', async () => {
    const code = await runCli(['refresh'], deps());
    expect(code).toBe(0);
    expect(notifications()).toEqual([]);
    expect(client.calls).toEqual([]);
    expect(await readLastAction(config.cacheDir)).toMatchObject({ action: 'refresh', ok: true, quiet: true });
  });
});

describe('Linux', () => {
  const linux = { name: 'linux', uid: 1000 } as const;
  it('service and open actions say plainly that macOS is needed', async () => {
    for (const action of ['do_start', 'do_stop', 'do_restart', 'install_service', 'uninstall_service']) {
      err.text = '';
      expect(await runCli([action], deps({ platform: linux }))).toBe(1);
      expect(err.text).toBe(`llama-swap-swiftbar: ${action}: service control needs macOS (launchd); this is Linux\n`);
    }
    expect(await runCli(['open_ui'], deps({ platform: linux }))).toBe(1);
    expect(err.text).toContain('open_ui: opening the web UI (http://127.0.0.1:45786/ui/) needs macOS; this is Linux');
    expect(await runCli(['view_logs'], deps({ platform: linux }))).toBe(1);
    expect(await runCli(['edit_config'], deps({ platform: linux }))).toBe(1);
    expect(err.text).toContain(`view_logs: opening ${config.logFilePath} in Console needs macOS; this is Linux`);
    expect(err.text).toContain(`edit_config: opening ${config.configFilePath} in TextEdit needs macOS; this is Linux`);
    expect(runner.calls).toEqual([]);
  });

  it('API actions work anywhere', async () => {
    expect(await runCli(['do_unload'], deps({ platform: linux }))).toBe(0);
    expect(await runCli(['set_profile', 'coding'], deps({ platform: linux }))).toBe(0);
    expect(await runCli(['clear_profile'], deps({ platform: linux }))).toBe(0);
    expect(client.calls).toEqual(['unloadAll', 'setProfile coding', 'setProfile null']);
    expect(runner.calls).toEqual([]);
  });
});

describe('model and profile ids', () => {
  it('set_profile none selects a profile named "none"; only clear_profile clears', async () => {
    client = fakeClient({ profiles: ['none', 'coding'] });
    expect(await runCli(['set_profile', 'none'], deps())).toBe(0);
    expect(out.text).toContain('profile "none" active');
    expect(await runCli(['clear_profile'], deps())).toBe(0);
    expect(out.text).toContain('profile cleared');
    expect(client.calls).toEqual(['setProfile none', 'setProfile null']);
  });

  it('set_profile none without such a profile is an unknown profile, never a clear', async () => {
    expect(await runCli(['set_profile', 'none'], deps())).toBe(1);
    expect(err.text).toContain('unknown profile "none" (clear_profile clears the active profile)');
    expect(client.calls).toEqual([]);
  });

  it('clear_profile takes no argument', async () => {
    expect(await runCli(['clear_profile', 'coding'], deps())).toBe(2);
    expect(client.calls).toEqual([]);
  });

  it('a hostile id that is not live is rejected and never reaches the API', async () => {
    expect(await runCli(['do_unload_model', HOSTILE], deps())).toBe(1);
    expect(await runCli(['do_load_model', HOSTILE], deps())).toBe(1);
    expect(client.calls).toEqual([]);
    expect(err.text).toContain('unknown model "a|b\\"c\\nbash=/bin/rm"');
    expect(err.text.split('\n').filter(Boolean)).toHaveLength(2);
    for (const url of notifications()) expect(url).not.toMatch(/[|"\n ]/);
  });

  it('a hostile id that is live is passed on as one argument, and the notification is URL-encoded', async () => {
    client = fakeClient({ models: [HOSTILE], running: [HOSTILE] });
    expect(await runCli(['do_unload_model', HOSTILE], deps())).toBe(0);
    expect(client.calls).toEqual([`unloadModel ${HOSTILE}`]);
    const [url] = notifications();
    expect(url).toContain(encodeURIComponent('"a|b\\"c\\nbash=/bin/rm"'));
    expect(url).not.toMatch(/[|"\n ]/);
    expect((await readLastAction(config.cacheDir))?.args).toEqual([HOSTILE]);
  });

  it('--id-base64 carries an id SwiftBar would alter; it is decoded, checked against the live list, and bad base64 is a usage error', async () => {
    const id = 'line\nbreak ~~~ "q" \'s\\';
    client = fakeClient({ models: [id], running: [id] });
    const b64 = Buffer.from(id, 'utf8').toString('base64');
    expect(await runCli(['do_unload_model', '--id-base64', b64], deps())).toBe(0);
    expect(await runCli(['do_load_model', '--id-base64', b64], deps())).toBe(0);
    expect(client.calls).toEqual([`unloadModel ${id}`, `loadModel ${id}`]);
    expect(await runCli(['do_unload_model', '--id-base64', Buffer.from('not live').toString('base64')], deps())).toBe(1);
    expect(await runCli(['do_unload_model', '--id-base64', 'a b'], deps())).toBe(2);
    expect(await runCli(['do_unload_model', '--id-base64'], deps())).toBe(2);
    expect(await runCli(['do_unload_model', '--id-base64', '//8='], deps())).toBe(2);
    expect(client.calls).toHaveLength(2);
  });

  it('unloading a configured model that is not loaded is a successful no-op', async () => {
    expect(await runCli(['do_unload_model', 'llama'], deps())).toBe(0);
    expect(out.text).toContain('not loaded');
    expect(client.calls).toEqual([]);
  });

  it('do_cancel_request cancels only an id llama-swap lists as in flight; anything else never reaches the cancel endpoint', async () => {
    client = fakeClient({ inflight: ['7', '9'] });
    expect(await runCli(['do_cancel_request', '9'], deps())).toBe(0);
    expect(client.calls).toEqual(['inflight', 'cancelInflight 9']);
    expect(out.text).toContain('cancelled request 9');
    client.calls.length = 0;
    expect(await runCli(['do_cancel_request', '8'], deps())).toBe(0);
    expect(out.text).toContain('already finished');
    expect(client.calls).toEqual(['inflight']);
    client.calls.length = 0;
    expect(await runCli(['do_cancel_request', '1; rm -rf /'], deps())).toBe(1);
    expect(await runCli(['do_cancel_request', '../models/unload'], deps())).toBe(1);
    expect(client.calls).toEqual([]);
  });

  it('refuses to load a selector (llama-swap resolves it per request)', async () => {
    client = fakeClient({ selectors: ['coder'] });
    expect(await runCli(['do_load_model', 'coder'], deps())).toBe(1);
    expect(err.text).toContain('is a selector, not a model');
    expect(client.calls).toEqual([]);
  });

  it("refuses to load or unload a peer's model (the peer loads it; llama-swap runs no process of it)", async () => {
    client = fakeClient({ peers: ['bravo-box/qwen3'], running: ['qwen'] });
    expect(await runCli(['do_load_model', 'bravo-box/qwen3'], deps())).toBe(1);
    expect(err.text).toContain('"bravo-box/qwen3" is a model of peer "bravo-box"');
    expect(err.text).toContain('cannot load it');
    expect(await runCli(['do_unload_model', 'bravo-box/qwen3'], deps())).toBe(1);
    expect(err.text).toContain('cannot unload it');
    expect(client.calls).toEqual([]);
  });

  it('loads a configured model and rejects an unknown profile', async () => {
    expect(await runCli(['do_load_model', 'llama'], deps())).toBe(0);
    expect(client.calls).toEqual(['loadModel llama']);
    expect(await runCli(['set_profile', 'nope'], deps())).toBe(1);
    expect(err.text).toContain('unknown profile "nope"');
  });

  it('wrong argument counts are usage errors (exit 2) without side effects', async () => {
    expect(await runCli(['do_unload_model'], deps())).toBe(2);
    expect(await runCli(['do_start', 'extra'], deps())).toBe(2);
    expect(await runCli(['rm', '-rf'], deps())).toBe(2);
    expect(await runCli([], deps())).toBe(2);
    expect(runner.calls).toEqual([]);
    expect(await readLastAction(config.cacheDir)).toBeNull();
  });
});

describe('the API key', () => {
  it('never appears in stdout, stderr, the record or a notification, even if an error message carries it', async () => {
    client = fakeClient({ fail: `401 for Bearer ${KEY}` });
    expect(await runCli(['do_unload'], deps())).toBe(1);
    expect(await runCli(['do_unload_model', 'qwen'], deps())).toBe(1);
    const everything = [out.text, err.text, readFileSync(home.path('Library', 'Caches', 'llama-swap-swiftbar', 'last-action.json'), 'utf8'), ...notifications(), ...notifications().map(decodeURIComponent)].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).toContain('***');
  });
});

describe('dispatch', () => {
  it('recognises actions and commands, in either spelling', () => {
    expect(isCliCommand('do_start')).toBe(true);
    expect(isCliCommand('doctor')).toBe(true);
    expect(isCliCommand('install-plugin')).toBe(true);
    expect(isCliCommand(undefined)).toBe(false);
    expect(isCliCommand('--stream')).toBe(false);
    expect(normalizeCommand('install-service')).toBe('install_service');
    expect(normalizeCommand('do-unload-model')).toBe('do_unload_model');
    expect(normalizeCommand('install_plugin')).toBe('install-plugin');
    expect(normalizeCommand('uninstall_plugin')).toBe('uninstall-plugin');
    expect(normalizeCommand('install')).toBeUndefined();
  });

  it('runs an action under its other spelling exactly as under the seed name', async () => {
    expect(await runCli(['install-service'], deps())).toBe(0);
    const dashed = runner.lines().filter((l) => !l.startsWith('/usr/bin/open'));
    expect((await readLastAction(config.cacheDir))?.action).toBe('install_service');
    home.remove();
    home = createTempHome();
    config = testConfig(home.home, { apiKey: KEY });
    home.write('.local/bin/llama-swap', '#!/bin/sh\n', 0o755);
    home.write('.llamaswap/config.yaml', 'models: {}\n');
    runner.clear();
    expect(await runCli(['install_service'], deps())).toBe(0);
    expect(runner.lines().filter((l) => !l.startsWith('/usr/bin/open')).map((l) => l.replaceAll(home.home, '~'))).toEqual(dashed.map((l) => l.replace(/\/tmp\/[^/]+/, '~')));
  });

  it('install_plugin is install-plugin', async () => {
    const dir = home.path('Plugins');
    expect(await runCli(['install_plugin', '--dir', dir], deps({ projectDir: home.home, execPath: '/n/node' }))).toBe(0);
    expect(out.text).toContain(`installed SwiftBar plugin ${dir}/llama-swap.streamable.sh (created the folder)`);
    expect(await runCli(['uninstall_plugin', '--dir', dir], deps({ projectDir: home.home }))).toBe(0);
    expect(existsSync(`${dir}/llama-swap.streamable.sh`)).toBe(false);
  });

  it('--version prints the version in the project\'s package.json', async () => {
    home.write('pkg/package.json', JSON.stringify({ name: 'llama-swap-swiftbar', version: '9.8.7' }));
    const d = deps({ projectDir: home.path('pkg') });
    expect(await runCli(['--version'], d)).toBe(0);
    expect(await runCli(['-V'], d)).toBe(0);
    expect(out.text).toBe('9.8.7\n9.8.7\n');
  });

  it('an unknown word is a usage error that points at --help', async () => {
    expect(await runCli(['instal'], deps())).toBe(2);
    expect(err.text).toBe('llama-swap-swiftbar: unknown action "instal"; llama-swap-swiftbar --help lists them\n');
  });
});

describe('--help', () => {
  const help = async (): Promise<string> => {
    expect(await runCli(['--help'], deps({ env: { PATH: '' }, projectDir: '/opt/lss', execPath: '/opt/node/bin/node' }))).toBe(0);
    return out.text;
  };

  it('describes every action with its arguments', async () => {
    const text = await help();
    for (const [name, spec] of Object.entries(ACTIONS)) {
      const line = text.split('\n').find((l) => l.startsWith(`  ${name} `) || l === `  ${name}`);
      expect(line, name).toBeDefined();
      const index = text.indexOf(line ?? '');
      // The description follows on the same line (or the next, for a long synopsis).
      expect(text.slice(index, index + 200), name).toContain(spec.summary);
      expect(spec.summary.length, name).toBeGreaterThan(10);
      if (spec.args) expect(line).toContain(`${name} ${spec.argsUsage}`);
    }
    expect(text).toContain('set_profile <profile id>');
    expect(text).toContain('clear_profile');
    expect(text).toContain('do_load_model <model id>');
  });

  it('says how to run the menu itself and names a runnable command', async () => {
    const text = await help();
    expect(text).toContain('usage: /opt/node/bin/node /opt/lss/bin/llama-swap-swiftbar.js [--once | --stream]');
    expect(text).toMatch(/--once\s+print one frame and exit/);
    expect(text).toMatch(/\(nothing\)\s+stream a frame per change/);
    expect(text).toContain('install-plugin = install_plugin'.split(' = ').reverse().join(' = '));
  });

  it('lists every setting the plugin reads, with its default', async () => {
    const text = await help();
    const source = readFileSync(new URL('../../../src/system/config.ts', import.meta.url), 'utf8');
    const read = new Set(source.match(/LLAMA_SWAP_[A-Z_]+/g));
    // The wrapper's own variables (where it reads the key from, its own path), named in config.ts only to be left out.
    read.delete('LLAMA_SWAP_KEY_FILE');
    read.delete('LLAMA_SWAP_SWIFTBAR_WRAPPER');
    expect(read.size).toBeGreaterThan(8);
    for (const name of read) expect(text, name).toMatch(new RegExp(`^  ${name}=\\S+`, 'm'));
    expect(text).toContain('LLAMA_SWAP_API_PORT=45786');
  });
});

describe('--host NAME: the action goes to that host only', () => {
  const HOSTS = 'studio=http://10.0.0.5:8080,local=http://127.0.0.1:9100';

  it('builds the client with that host\'s URL, its own key only, and records the result in its own folder', async () => {
    const seen: PluginConfig[] = [];
    const env = { ...deps().env, LLAMA_SWAP_HOSTS: HOSTS, LLAMA_SWAP_API_KEY_LOCAL: 'k-local' };
    const code = await runCli(['--host', 'studio', 'do_load_model', 'qwen'], deps({ env, clientFactory: (c) => (seen.push(c), client) }));
    expect(code, err.text).toBe(0);
    expect(client.calls).toContain('loadModel qwen');
    expect(seen.map((c) => [c.apiUrl, c.apiPort, c.apiKey])).toEqual([['http://10.0.0.5:8080', 8080, null]]);
    expect((await readLastAction(`${config.cacheDir}/hosts/studio`))?.message).toContain('qwen');
    expect(await readLastAction(config.cacheDir)).toBeNull();
  });

  it('an unknown host, or none, is refused before anything is asked', async () => {
    const env = { ...deps().env, LLAMA_SWAP_HOSTS: HOSTS };
    expect(await runCli(['--host', 'nowhere', 'do_load_model', 'qwen'], deps({ env }))).toBe(2);
    expect(err.text).toContain('no host "nowhere" in LLAMA_SWAP_HOSTS');
    expect(await runCli(['--host'], deps({ env }))).toBe(2);
    expect(await runCli(['--host', 'studio', 'do_load_model', 'qwen'], deps())).toBe(2);
    expect(client.calls).toEqual([]);
  });

  it('service actions act on this computer only: refused for a host elsewhere, run for one here', async () => {
    const env = { ...deps().env, LLAMA_SWAP_HOSTS: HOSTS };
    expect(await runCli(['--host', 'studio', 'do_stop'], deps({ env }))).toBe(2);
    expect(err.text).toContain("do_stop acts on this computer's llama-swap only; studio is at http://10.0.0.5:8080");
    expect(runner.calls.filter((c) => c.file === '/bin/launchctl')).toEqual([]);
    await runCli(['--host', 'local', 'do_stop'], deps({ env }));
    expect(runner.calls.some((c) => c.file === '/bin/launchctl')).toBe(true);
  });
});
