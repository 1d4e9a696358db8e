/**
 * SwiftBar's real plugin environment (test/fixtures/macos/swiftbar, provenance in SOURCES.md):
 * the variables the plugin reads from it give the cache folder, the plugin id for notifications
 * and the executable menu items run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { invokerFromEnv } from '../../../src/system/cli/action-invoker.js';
import { readConfig } from '../../../src/system/config.js';
import { swiftbarPluginId } from '../../../src/system/swiftbar/notify.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'macos', 'swiftbar');

function envOf(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('SwiftBar plugin environment (real output)', () => {
  const samples = readdirSync(DIR).filter((f) => f.startsWith('env-from-plugin-'));
  it('has samples', () => expect(samples.length).toBeGreaterThanOrEqual(1));

  it.each(samples)('%s', (file) => {
    const env = envOf(readFileSync(path.join(DIR, file), 'utf8'));
    const version = /env-from-plugin-([\d.]+)-/.exec(file)?.[1];
    expect(env.SWIFTBAR_VERSION).toBe(version);
    const { config, warnings } = readConfig(env, { home: '/Users/someone', platform: 'macos' });
    expect(warnings).toEqual([]);
    expect(config.cacheDir).toBe(env.SWIFTBAR_PLUGIN_CACHE_PATH);
    const pluginPath = env.SWIFTBAR_PLUGIN_PATH ?? '';
    expect(swiftbarPluginId(env)).toBe(path.basename(pluginPath));
    expect(invokerFromEnv(env, { nodePath: '/n', scriptPath: '/s' })).toEqual({ executable: pluginPath, leadingArgs: [] });
  });
});
