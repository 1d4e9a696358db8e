import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionInvoker, invokerFromEnv } from '../../../src/system/cli/action-invoker.js';
import { installPlugin, uninstallPlugin, wrapperNameProblem } from '../../../src/system/swiftbar/swiftbar-install.js';
import type { PluginInstallDeps } from '../../../src/system/swiftbar/swiftbar-install.js';
import { shQuote, wrapperScript } from '../../../src/system/swiftbar/swiftbar-wrapper.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';
import type { RecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome } from '../../helpers/temp-home.js';
import type { TempHome } from '../../helpers/temp-home.js';

const KEY = 'sk-very-secret-key';
let home: TempHome;
let runner: RecordingRunner;
let pluginDir: string;

function deps(over: Partial<PluginInstallDeps> = {}): PluginInstallDeps {
  return {
    runner,
    fsRoot: home,
    platform: { name: 'macos', uid: 501 },
    env: { LLAMA_SWAP_API_PORT: '9000', LLAMA_SWAP_LOG_FILE_PATH: "/Users/u/it's.log", LLAMA_SWAP_API_KEY: KEY, HOME: home.home, OTHER: 'x' },
    execPath: '/opt/node/bin/node',
    projectDir: '/Users/u/llama-swap-swiftbar',
    version: '0.1.0',
    ...over,
  };
}

beforeEach(() => {
  home = createTempHome();
  pluginDir = home.path('SwiftBarPlugins');
  home.write('SwiftBarPlugins/.keep', '');
  runner = createRecordingRunner([{ file: '/usr/bin/defaults', args: ['read', 'com.ameba.SwiftBar', 'PluginDirectory'], answer: { stdout: '~/SwiftBarPlugins\n' } }]);
});
afterEach(() => home.remove());

describe('wrapper content', () => {
  const spec = {
    nodeCandidates: ['/opt/node/bin/node'],
    entry: '/p/dist/main.js',
    projectDir: '/p',
    env: [['LLAMA_SWAP_API_PORT', '9000']] as const,
    keyFile: '/h/Library/Application Support/llama-swap-swiftbar/api-key',
    streaming: true,
    version: '0.1.0',
  };

  it('carries the SwiftBar metadata, exports settings, finds node and execs it with "$@"', () => {
    const text = wrapperScript(spec);
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    for (const tag of [
      '<swiftbar.type>streamable</swiftbar.type>',
      '<swiftbar.useTrailingStreamSeparator>true</swiftbar.useTrailingStreamSeparator>',
      '<swiftbar.runInBash>false</swiftbar.runInBash>',
      '<swiftbar.hideAbout>true</swiftbar.hideAbout>',
      '<swiftbar.hideRunInTerminal>true</swiftbar.hideRunInTerminal>',
      '<swiftbar.hideLastUpdated>true</swiftbar.hideLastUpdated>',
      '<swiftbar.hideDisablePlugin>true</swiftbar.hideDisablePlugin>',
      '<swiftbar.hideSwiftBar>true</swiftbar.hideSwiftBar>',
      '<xbar.title>llama-swap</xbar.title>',
      '<xbar.version>0.1.0</xbar.version>',
    ]) expect(text).toContain(tag);
    expect(text).toContain(`if [ -z "\${LLAMA_SWAP_API_PORT+set}" ]; then export LLAMA_SWAP_API_PORT='9000'; fi`);
    expect(text).toContain("for c in '/opt/node/bin/node' /opt/homebrew/bin/node /usr/local/bin/node");
    expect(text).toContain('.nvm/versions/node/*/bin/node');
    expect(text).toContain('.volta/bin/node');
    expect(text).toContain('fnm/aliases/default/bin/node');
    expect(text).toContain(`ENTRY='/p/dist/main.js'\nif [ -f "$ENTRY" ]; then exec "$NODE" --max-semi-space-size=1 "$ENTRY" "$@"; fi`);
    expect(text).toContain(`cd '/p' && exec "$NODE" --max-semi-space-size=1 --import tsx '/p/src/main.tsx' "$@"`);
    expect(text).toContain("IFS= read -r LLAMA_SWAP_API_KEY < \"$LLAMA_SWAP_KEY_FILE\"");
  });

  it('one-shot mode has no streamable tags', () => {
    const text = wrapperScript({ ...spec, streaming: false });
    expect(text).not.toContain('swiftbar.type');
    expect(text).not.toContain('~~~');
    expect(text).toContain('<swiftbar.runInBash>false</swiftbar.runInBash>');
  });

  it('is valid sh, and quoting survives hostile values', () => {
    expect(shQuote("a'b")).toBe(`'a'\\''b'`);
    const text = wrapperScript({ ...spec, env: [['LLAMA_SWAP_X', `'; rm -rf / #"$(x)\`\n`]] });
    execFileSync('/bin/sh', ['-n', '-c', text]);
    const printed = execFileSync('/bin/sh', ['-c', `${text.split('\nNODE=')[0] ?? ''}\nprintf %s "$LLAMA_SWAP_X"`], { encoding: 'utf8' });
    expect(printed).toBe(`'; rm -rf / #"$(x)\`\n`);
  });

  const systemNode = ['/opt/homebrew/bin/node', '/usr/local/bin/node'].some((p) => existsSync(p));
  it.skipIf(systemNode)('when node is missing it prints a readable menu (and ~~~ in stream mode) and exits 0', () => {
    const text = wrapperScript({ ...spec, nodeCandidates: ['/nonexistent/node'], keyFile: null });
    const output = execFileSync('/bin/sh', ['-c', text], { encoding: 'utf8', env: { HOME: '/nonexistent', PATH: '/nonexistent' } });
    expect(output).toBe("llama-swap ⚠ | color=red\n---\nNode.js 20+ not found: install it (brew install node), then run install-plugin again\n~~~\n");
  });
});

describe('install-plugin / uninstall-plugin', () => {
  it('does not copy invalid values or unknown LLAMA_SWAP_* variables into the wrapper, and says which it dropped', async () => {
    const env = { LLAMA_SWAP_API_TIMEOUT_SECS: '0.0001', LLAMA_SWAP_DEBUG: 'maybe', LLAMA_SWAP_PROT: '9000', LLAMA_SWAP_API_PORT: '9000' };
    const out = await installPlugin(deps({ env }), { streaming: true });
    expect(out.ok).toBe(true);
    const text = readFileSync(`${pluginDir}/llama-swap.streamable.sh`, 'utf8');
    expect(text).toContain(`if [ -z "\${LLAMA_SWAP_API_PORT+set}" ]; then export LLAMA_SWAP_API_PORT='9000'; fi`);
    for (const name of ['LLAMA_SWAP_API_TIMEOUT_SECS', 'LLAMA_SWAP_DEBUG', 'LLAMA_SWAP_PROT']) {
      expect(text).not.toContain(`export ${name}=`);
      expect(out.message).toContain(name);
    }
    expect(out.message).toMatch(/left out/);
  });

  it('reads the folder from SwiftBar\'s preferences and writes one 0755 file; the key goes to a 0600 file', async () => {
    const out = await installPlugin(deps(), { streaming: true });
    expect(out.ok).toBe(true);
    expect(runner.lines()).toEqual(['/usr/bin/defaults read com.ameba.SwiftBar PluginDirectory']);
    expect(readdirSync(pluginDir).sort()).toEqual(['.keep', 'llama-swap.streamable.sh']);
    const file = `${pluginDir}/llama-swap.streamable.sh`;
    expect(statSync(file).mode & 0o777).toBe(0o755);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).toContain(`then export LLAMA_SWAP_LOG_FILE_PATH='/Users/u/it'\\''s.log'; fi`);
    expect(text).not.toContain('OTHER');
    const keyFile = home.path('Library', 'Application Support', 'llama-swap-swiftbar', 'api-key');
    expect(readFileSync(keyFile, 'utf8')).toBe(`${KEY}\n`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(text).toContain(`LLAMA_SWAP_KEY_FILE='${keyFile}'`);
    expect(text).toContain("'/Users/u/llama-swap-swiftbar/dist/main.js'");
  });

  const systemNodeHere = ['/opt/homebrew/bin/node', '/usr/local/bin/node'].some((p) => existsSync(p));
  it.skipIf(systemNodeHere)('from an installed package (no src/) the wrapper runs the package, else the same package beside the node it finds, else says to install it again', async () => {
    const installedAt = home.path('old-node', 'lib', 'node_modules', 'llama-swap-swiftbar');
    home.write('old-node/lib/node_modules/llama-swap-swiftbar/dist/main.js', '');
    // Another node (say, a newer nvm version) whose global folder holds the package too.
    home.write('new-node/bin/node', '#!/bin/sh\nprintf "%s" "$*"\n', 0o755);
    const moved = home.write('new-node/lib/node_modules/llama-swap-swiftbar/dist/main.js', '');
    const out = await installPlugin(deps({ execPath: home.path('old-node', 'bin', 'node'), projectDir: installedAt }), { streaming: true });
    expect(out.ok).toBe(true);
    const wrapper = `${pluginDir}/llama-swap.streamable.sh`;
    const text = readFileSync(wrapper, 'utf8');
    expect(text).not.toContain('--import tsx');
    const env = { HOME: home.home, PATH: `${home.path('new-node', 'bin')}:/usr/bin:/bin` };
    // The installing node is gone with its packages: the wrapper finds node on PATH and the package beside it.
    rmSync(home.path('old-node'), { recursive: true });
    expect(execFileSync(wrapper, ['doctor'], { encoding: 'utf8', env })).toBe(`--max-semi-space-size=1 ${moved} doctor`);
    rmSync(home.path('new-node', 'lib'), { recursive: true });
    expect(execFileSync(wrapper, [], { encoding: 'utf8', env })).toBe(
      "llama-swap ⚠ | color=red\n---\nllama-swap-swiftbar is not installed any more: npm install -g it again, then run llama-swap-swiftbar install-plugin\n~~~\n",
    );
    expect(() => execFileSync(wrapper, ['doctor'], { encoding: 'utf8', env, stdio: 'pipe' })).toThrow(/not installed any more/);
  });

  it('the wrapper hands the key to node from the key file', async () => {
    const nodeStub = home.write('bin/node', '#!/bin/sh\nprintf "%s|%s" "$LLAMA_SWAP_API_KEY" "$*"\n', 0o755);
    await installPlugin(deps({ execPath: nodeStub, projectDir: home.home }), { streaming: true, entry: home.write('dist/main.js', '') });
    const printed = execFileSync(`${pluginDir}/llama-swap.streamable.sh`, ['do_unload_model', 'a b'], { encoding: 'utf8', env: { HOME: home.home, PATH: '/usr/bin:/bin' } });
    expect(printed).toBe(`${KEY}|--max-semi-space-size=1 ${home.path('dist', 'main.js')} do_unload_model a b`);
  });

  it('the wrapper tells node its own absolute path, however it was started', async () => {
    const nodeStub = home.write('bin/node', '#!/bin/sh\nprintf %s "$LLAMA_SWAP_SWIFTBAR_WRAPPER"\n', 0o755);
    await installPlugin(deps({ execPath: nodeStub, projectDir: home.home }), { streaming: true, entry: home.write('dist/main.js', '') });
    const env = { HOME: home.home, PATH: '/usr/bin:/bin', LLAMA_SWAP_SWIFTBAR_WRAPPER: '/somewhere/else.sh' };
    const wrapper = `${pluginDir}/llama-swap.streamable.sh`;
    expect(execFileSync(wrapper, [], { encoding: 'utf8', env })).toBe(wrapper);
    // Run by a relative path from its folder: still the absolute path.
    expect(execFileSync('./llama-swap.streamable.sh', [], { encoding: 'utf8', env, cwd: pluginDir })).toBe(`${pluginDir}/./llama-swap.streamable.sh`);
  });

  it('--dir and --name override; Linux needs --dir', async () => {
    const linux = deps({ platform: { name: 'linux', uid: 1000 } });
    const refused = await installPlugin(linux, { streaming: true });
    expect(refused).toEqual({ ok: false, message: 'SwiftBar runs on macOS; on Linux pass --dir <folder>' });
    const out = await installPlugin(linux, { streaming: false, dir: pluginDir, name: 'ls.10s.sh' });
    expect(out.ok).toBe(true);
    expect(existsSync(`${pluginDir}/ls.10s.sh`)).toBe(true);
    expect(runner.calls).toEqual([]);
  });

  it('refuses when the folder already holds 49 files, counting sub-folders and skipping .json and hidden files', async () => {
    for (let i = 0; i < 40; i += 1) home.write(`SwiftBarPlugins/p${i}.sh`, 'x');
    for (let i = 0; i < 9; i += 1) home.write(`SwiftBarPlugins/sub/q${i}.py`, 'x');
    home.write('SwiftBarPlugins/p.vars.json', '{}');
    home.write('SwiftBarPlugins/.hidden', 'x');
    const out = await installPlugin(deps(), { streaming: true });
    expect(out.ok).toBe(false);
    expect(out.message).toContain('49 files');
    expect(existsSync(`${pluginDir}/llama-swap.streamable.sh`)).toBe(false);
    home.write('SwiftBarPlugins/sub/q0.py', 'x');
    execFileSync('rm', [home.path('SwiftBarPlugins', 'sub', 'q8.py')]);
    expect((await installPlugin(deps(), { streaming: true })).ok).toBe(true);
  });

  it('never overwrites or removes a file it did not write', async () => {
    home.write('SwiftBarPlugins/llama-swap.streamable.sh', '#!/bin/sh\necho mine\n');
    expect((await installPlugin(deps(), { streaming: true })).ok).toBe(false);
    expect((await uninstallPlugin(deps(), { streaming: true })).ok).toBe(false);
    expect(readFileSync(`${pluginDir}/llama-swap.streamable.sh`, 'utf8')).toContain('echo mine');
  });

  it('uninstall removes exactly what install wrote (the wrapper and the API key file); again is a no-op', async () => {
    home.write('SwiftBarPlugins/other.sh', 'x');
    const support = home.path('Library', 'Application Support', 'llama-swap-swiftbar');
    await installPlugin(deps(), { streaming: true });
    expect(readdirSync(support)).toEqual(['api-key']);
    const out = await uninstallPlugin(deps(), { streaming: true });
    expect(out.ok).toBe(true);
    expect(out.message).toContain(`and the API key file ${support}/api-key`);
    expect(readdirSync(pluginDir).sort()).toEqual(['.keep', 'other.sh']);
    expect(existsSync(support)).toBe(false);
    const again = await uninstallPlugin(deps(), { streaming: true });
    expect(again.ok).toBe(true);
    expect(again.message).toContain('nothing to do');
  });

  it('uninstall without --name finds the wrapper installed under another name', async () => {
    await installPlugin(deps(), { streaming: false, name: 'custom.1m.sh' });
    const out = await uninstallPlugin(deps(), { streaming: true });
    expect(out).toMatchObject({ ok: true, path: `${pluginDir}/custom.1m.sh` });
    expect(readdirSync(pluginDir)).toEqual(['.keep']);
  });

  it('keeps the key file while another of its wrappers still reads it', async () => {
    // Rewriting the key file checks its owner: run as whoever runs the test.
    const me = deps({ platform: { name: 'macos', uid: process.getuid?.() ?? 501 } });
    await installPlugin(me, { streaming: true });
    expect((await installPlugin(me, { streaming: true, name: 'second.sh' })).ok).toBe(true);
    const out = await uninstallPlugin(me, { streaming: true });
    expect(out.message).toContain(`kept ${home.path('Library', 'Application Support', 'llama-swap-swiftbar', 'api-key')}, which ${pluginDir}/second.sh still reads`);
    expect(existsSync(home.path('Library', 'Application Support', 'llama-swap-swiftbar', 'api-key'))).toBe(true);
  });

  it('creates a missing plugin folder (and its parents)', async () => {
    const dir = home.path('new', 'Plugins');
    const out = await installPlugin(deps(), { streaming: true, dir });
    expect(out).toMatchObject({ ok: true, path: `${dir}/llama-swap.streamable.sh` });
    expect(out.message).toContain('(created the folder)');
    home.write('afile', 'x');
    expect((await installPlugin(deps(), { streaming: true, dir: home.path('afile') })).message).toContain('is not a folder');
  });

  it('refuses a --name SwiftBar would misread, and writes nothing', async () => {
    const cases: [string, boolean, RegExp][] = [
      ['llama swap.sh', true, /no spaces/],
      ['llama-swap', true, /end in \.sh/],
      ['llama-swap.streamable', true, /end in \.sh/],
      ['llama;rm.sh', true, /only letters/],
      ['llama-swap.sh', false, /needs a refresh interval/],
    ];
    for (const [name, streaming, why] of cases) {
      const out = await installPlugin(deps(), { streaming, name });
      expect(out.ok, name).toBe(false);
      expect(out.message).toMatch(why);
      expect(out.message).toContain('SwiftBar would misread');
    }
    expect(readdirSync(pluginDir)).toEqual(['.keep']);
    expect(wrapperNameProblem('llama-swap.streamable.sh', true)).toBeNull();
    expect(wrapperNameProblem('llama-swap.sh', true)).toBeNull();
    expect(wrapperNameProblem('llama-swap.1.5m.sh', false)).toBeNull();
    expect(wrapperNameProblem('llama-swap.500ms.sh', false)).toBeNull();
  });

  it('rejects names that would escape the folder', async () => {
    expect((await installPlugin(deps(), { streaming: true, name: '../evil.sh' })).ok).toBe(false);
    expect((await installPlugin(deps(), { streaming: true, name: '.hidden.sh' })).ok).toBe(false);
  });
});

describe('action invoker', () => {
  it('uses the wrapper under SwiftBar, node + script elsewhere', () => {
    expect(actionInvoker({ pluginPath: '/P/llama-swap.streamable.sh' })).toEqual({ executable: '/P/llama-swap.streamable.sh', leadingArgs: [] });
    expect(actionInvoker({ nodePath: '/n/node', scriptPath: '/p/dist/main.js' })).toEqual({ executable: '/n/node', leadingArgs: ['/p/dist/main.js'] });
    const fallback = { nodePath: '/n/node', scriptPath: '/p/main.js' };
    expect(invokerFromEnv({ SWIFTBAR_PLUGIN_PATH: '/P/x.sh' }, fallback).executable).toBe('/P/x.sh');
    expect(invokerFromEnv({}, fallback).executable).toBe('/n/node');
  });

  it('without SWIFTBAR_PLUGIN_PATH, the path the wrapper exported about itself; never a relative one', () => {
    const fallback = { nodePath: '/n/node', scriptPath: '/p/main.js' };
    expect(invokerFromEnv({ LLAMA_SWAP_SWIFTBAR_WRAPPER: '/P/w.sh' }, fallback)).toEqual({ executable: '/P/w.sh', leadingArgs: [] });
    expect(invokerFromEnv({ SWIFTBAR_PLUGIN_PATH: '/P/x.sh', LLAMA_SWAP_SWIFTBAR_WRAPPER: '/P/w.sh' }, fallback).executable).toBe('/P/x.sh');
    expect(invokerFromEnv({ SWIFTBAR_PLUGIN_PATH: 'x.sh', LLAMA_SWAP_SWIFTBAR_WRAPPER: '/P/w.sh' }, fallback).executable).toBe('/P/w.sh');
    expect(invokerFromEnv({ LLAMA_SWAP_SWIFTBAR_WRAPPER: 'w.sh' }, fallback).executable).toBe('/n/node');
  });
});

describe('keys of several hosts', () => {
  it('stores LLAMA_SWAP_API_KEY_<NAME> of each configured host in the same 0600 file, never in the wrapper; keeps stored keys not given again', async () => {
    const keyFile = home.path('Library', 'Application Support', 'llama-swap-swiftbar', 'api-key');
    const env = {
      HOME: home.home,
      LLAMA_SWAP_HOSTS: 'studio=http://10.0.0.5:8080,mac-mini=http://10.0.0.6:8080',
      LLAMA_SWAP_API_KEY_STUDIO: 'k-studio',
      LLAMA_SWAP_API_KEY_MAC_MINI: 'k-mini',
      // Not a configured host: not stored.
      LLAMA_SWAP_API_KEY_OTHER: 'k-other',
    };
    // The key file is rewritten only when it belongs to the installing user: this test's user.
    const platform = { name: 'macos' as const, uid: process.getuid?.() ?? 501 };
    const first = await installPlugin(deps({ env, platform }), { streaming: true });
    expect(first.ok, first.message).toBe(true);
    expect(readFileSync(keyFile, 'utf8')).toBe('\nLLAMA_SWAP_API_KEY_MAC_MINI=k-mini\nLLAMA_SWAP_API_KEY_STUDIO=k-studio\n');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const wrapper = readFileSync(`${pluginDir}/llama-swap.streamable.sh`, 'utf8');
    expect(wrapper).toContain("export LLAMA_SWAP_HOSTS='studio=http://10.0.0.5:8080,mac-mini=http://10.0.0.6:8080'");
    for (const secret of ['k-studio', 'k-mini', 'k-other', 'LLAMA_SWAP_API_KEY_OTHER']) expect(wrapper).not.toContain(secret);
    expect(first.message).not.toContain('LLAMA_SWAP_API_KEY_STUDIO');

    // A later install with only the default key and a new studio key keeps mac-mini's.
    const second = await installPlugin(deps({ env: { ...env, LLAMA_SWAP_API_KEY: KEY, LLAMA_SWAP_API_KEY_STUDIO: 'k-studio-2', LLAMA_SWAP_API_KEY_MAC_MINI: '' }, platform }), { streaming: true });
    expect(second.ok, second.message).toBe(true);
    expect(readFileSync(keyFile, 'utf8')).toBe(`${KEY}\nLLAMA_SWAP_API_KEY_MAC_MINI=k-mini\nLLAMA_SWAP_API_KEY_STUDIO=k-studio-2\n`);
  });

  it('a bad LLAMA_SWAP_HOSTS is left out of the wrapper with its reason', async () => {
    const out = await installPlugin(deps({ env: { HOME: home.home, LLAMA_SWAP_HOSTS: 'bad name=http://x:1' } }), { streaming: true });
    expect(out.message).toContain('left out of the wrapper: LLAMA_SWAP_HOSTS (');
    const wrapper = readFileSync(`${pluginDir}/llama-swap.streamable.sh`, 'utf8');
    // Neither exported nor declared as the preferences' default: only the setting's empty default is.
    expect(wrapper).not.toContain('bad name');
    expect(wrapper).not.toMatch(/export LLAMA_SWAP_HOSTS/);
    expect(wrapper).toContain('# <xbar.var>string(LLAMA_SWAP_HOSTS=""):');
  });
});
