/**
 * The settings SwiftBar 2.1 shows in its preferences: the wrapper's `<xbar.var>` tags read with
 * SwiftBar's own pattern, and the precedence of what SwiftBar passes over what install recorded.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTING_NAMES, readConfig } from '../../../src/system/config.js';
import { installPlugin } from '../../../src/system/swiftbar/swiftbar-install.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

/** PluginMetadata.parseVarTags in SwiftBar 2.1.1 (NSRegularExpression with dotMatchesLineSeparators). */
const SWIFTBAR_VAR_PATTERN = /<(?:xbar|swiftbar)\.var>\s*(string|number|boolean|select)\s*\(\s*([^=\s]+)\s*=\s*"([^"]*)"\s*\)\s*:\s*(.*?)\s*<\/(?:xbar|swiftbar)\.var>/gs;

type Declared = { readonly type: string; readonly name: string; readonly value: string; readonly description: string };

function declaredVars(script: string): Declared[] {
  return [...script.matchAll(SWIFTBAR_VAR_PATTERN)].map((m) => ({ type: m[1] ?? '', name: m[2] ?? '', value: m[3] ?? '', description: m[4] ?? '' }));
}

const KEY = 'sk-secret-in-file';
let home: TempHome;
let pluginDir: string;

async function install(env: Record<string, string>): Promise<string> {
  const runner = createRecordingRunner([]);
  const nodeStub = home.write('bin/node', '#!/bin/sh\nenv | grep "^LLAMA_SWAP_" | sort\n', 0o755);
  const out = await installPlugin(
    { runner, fsRoot: home, platform: { name: 'macos', uid: 501 }, env: { ...env, HOME: home.home }, execPath: nodeStub, projectDir: home.home, version: '0.1.0' },
    { streaming: true, dir: pluginDir, entry: home.write('dist/main.js', '') },
  );
  expect(out.ok).toBe(true);
  return `${pluginDir}/llama-swap.streamable.sh`;
}

/** Runs the wrapper with exactly `env` (plus HOME and SwiftBar's PATH) and returns the LLAMA_SWAP_* node saw. */
function envSeen(wrapper: string, env: Record<string, string>): Record<string, string> {
  const out = execFileSync(wrapper, [], { encoding: 'utf8', env: { HOME: home.home, PATH: '/usr/bin:/bin', ...env } });
  return Object.fromEntries(out.trim().split('\n').filter((l) => l !== '').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

beforeEach(() => {
  home = createTempHome();
  pluginDir = home.path('Plugins');
});
afterEach(() => home.remove());

describe('settings in SwiftBar preferences', () => {
  it('declares every setting but the API key and the streaming mode, each with a type, a valid default and a description', async () => {
    const wrapper = await install({});
    const vars = declaredVars(readFileSync(wrapper, 'utf8'));
    const names = vars.map((v) => v.name);
    expect(new Set(names)).toEqual(new Set(SETTING_NAMES.filter((n) => n !== 'LLAMA_SWAP_API_KEY' && n !== 'LLAMA_SWAP_STREAMING_MODE')));
    expect(names.length).toBe(new Set(names).size);
    for (const v of vars) {
      expect(v.description.length, v.name).toBeGreaterThan(10);
      if (v.type === 'boolean') expect(['true', 'false']).toContain(v.value);
      if (v.type === 'number') expect(Number.isFinite(Number(v.value))).toBe(true);
    }
    // What SwiftBar passes when nobody touched the preferences: every default, read without a warning.
    const defaults = Object.fromEntries(vars.map((v) => [v.name, v.value]));
    const { config, warnings } = readConfig(defaults, { home: '/Users/u', platform: 'macos' });
    expect(warnings).toEqual([]);
    expect(config).toEqual(readConfig({}, { home: '/Users/u', platform: 'macos' }).config);
  });

  it('declares what install recorded as the defaults (booleans as the switch writes them), never the key', async () => {
    const wrapper = await install({ LLAMA_SWAP_API_PORT: '9000', LLAMA_SWAP_DEBUG: 'YES', LLAMA_SWAP_SHORTCUT: 'cmd+shift+l', LLAMA_SWAP_API_KEY: KEY });
    const text = readFileSync(wrapper, 'utf8');
    const byName = new Map(declaredVars(text).map((v) => [v.name, v]));
    expect(byName.get('LLAMA_SWAP_API_PORT')).toMatchObject({ type: 'number', value: '9000' });
    expect(byName.get('LLAMA_SWAP_DEBUG')).toMatchObject({ type: 'boolean', value: 'true' });
    expect(byName.get('LLAMA_SWAP_SHORTCUT')).toMatchObject({ type: 'string', value: 'cmd+shift+l' });
    expect(byName.get('LLAMA_SWAP_NOTIFY_TTL_UNLOAD')).toMatchObject({ type: 'boolean', value: 'false' });
    expect(text).not.toContain(KEY);
    expect(byName.has('LLAMA_SWAP_API_KEY')).toBe(false);
  });

  it('a value SwiftBar passes wins over the recorded one; the recorded one applies when the variable is unset', async () => {
    const wrapper = await install({ LLAMA_SWAP_API_PORT: '9000', LLAMA_SWAP_API_KEY: KEY });
    // Besides the settings, the wrapper exports only its own path (menu items run it again).
    expect(envSeen(wrapper, {})).toEqual({ LLAMA_SWAP_API_PORT: '9000', LLAMA_SWAP_API_KEY: KEY, LLAMA_SWAP_SWIFTBAR_WRAPPER: wrapper });
    expect(envSeen(wrapper, { LLAMA_SWAP_API_PORT: '7000' }).LLAMA_SWAP_API_PORT).toBe('7000');
    // Cleared in the preferences: the plugin's own default applies (blank reads as unset).
    expect(envSeen(wrapper, { LLAMA_SWAP_API_PORT: '' }).LLAMA_SWAP_API_PORT).toBe('');
    // An invalid value from the preferences reaches the plugin, which shows its usual warning.
    const bad = envSeen(wrapper, { LLAMA_SWAP_API_PORT: 'abc' });
    expect(bad.LLAMA_SWAP_API_PORT).toBe('abc');
    expect(readConfig(bad, { home: '/Users/u', platform: 'macos' }).warnings.map((w) => w.variable)).toEqual(['LLAMA_SWAP_API_PORT']);
  });

  it('a recorded value the tag cannot carry stays in the wrapper only, its variable undeclared', async () => {
    const wrapper = await install({ LLAMA_SWAP_LOG_FILE_PATH: '/Users/u/"odd".log' });
    const names = declaredVars(readFileSync(wrapper, 'utf8')).map((v) => v.name);
    expect(names).not.toContain('LLAMA_SWAP_LOG_FILE_PATH');
    expect(names).toContain('LLAMA_SWAP_CONFIG_FILE_PATH');
    expect(envSeen(wrapper, {}).LLAMA_SWAP_LOG_FILE_PATH).toBe('/Users/u/"odd".log');
  });
});
