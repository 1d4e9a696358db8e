/** One PluginConfig per host: its address, only its own key, its own cache folder; unset keeps today's config exactly. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withKeysFromFile } from '../../src/system/cli/stored-key.js';
import { readConfig } from '../../src/system/config.js';
import { findHostConfig, hostConfigs } from '../../src/system/host-config.js';
import { formatKeyFile, parseKeyFile } from '../../src/system/key-file.js';

type Env = Record<string, string>;
const base = (env: Env) => readConfig(env, { home: '/home/u', platform: 'linux' }).config;

describe('hostConfigs', () => {
  it('unset: the one host is the base config itself, unnamed (same address, key and files)', () => {
    const env = { LLAMA_SWAP_API_KEY: 'k-default', SWIFTBAR_PLUGIN_CACHE_PATH: '/c' };
    const config = base(env);
    const hosts = hostConfigs(env, config);
    expect(hosts.named).toBe(false);
    expect(hosts.hosts).toHaveLength(1);
    expect(hosts.hosts[0]?.config).toBe(config);
  });

  it('named: each host its URL and port, only its own key (never the default nor another host\'s), files under hosts/<name>', () => {
    const env: Env = {
      LLAMA_SWAP_HOSTS: 'studio=http://10.0.0.5:8080,mac-mini=https://mini.local,bare=http://10.0.0.6',
      LLAMA_SWAP_API_KEY: 'k-default',
      LLAMA_SWAP_API_KEY_MAC_MINI: 'k-mini',
      LLAMA_SWAP_API_KEY_STUDIO: 'bad key with spaces',
      SWIFTBAR_PLUGIN_CACHE_PATH: '/c',
    };
    const { named, hosts } = hostConfigs(env, base(env));
    expect(named).toBe(true);
    expect(hosts.map((h) => [h.spec.name, h.config.apiUrl, h.config.apiPort, h.config.apiKey, h.config.cacheDir])).toEqual([
      ['studio', 'http://10.0.0.5:8080', 8080, null, path.join('/c', 'hosts', 'studio')],
      ['mac-mini', 'https://mini.local', 443, 'k-mini', path.join('/c', 'hosts', 'mac-mini')],
      ['bare', 'http://10.0.0.6', 80, null, path.join('/c', 'hosts', 'bare')],
    ]);
  });

  it('findHostConfig: by exact name, and only when LLAMA_SWAP_HOSTS names hosts', () => {
    const env = { LLAMA_SWAP_HOSTS: 'studio=http://10.0.0.5:8080' };
    expect(findHostConfig(env, base(env), 'studio')?.config.apiUrl).toBe('http://10.0.0.5:8080');
    expect(findHostConfig(env, base(env), 'other')).toBeNull();
    expect(findHostConfig({}, base({}), 'default')).toBeNull();
  });
});

describe('the key file', () => {
  it('first line the default key as the wrapper reads it; host keys after it; a malformed line is ignored', () => {
    const text = formatKeyFile({ defaultKey: 'k-default', hostKeys: new Map([['LLAMA_SWAP_API_KEY_STUDIO', 'k-studio'], ['LLAMA_SWAP_API_KEY_A', 'k-a']]) });
    expect(text).toBe('k-default\nLLAMA_SWAP_API_KEY_A=k-a\nLLAMA_SWAP_API_KEY_STUDIO=k-studio\n');
    const parsed = parseKeyFile(`${text}PATH=/evil\nLLAMA_SWAP_API_KEY_X=has space\n`);
    expect(parsed.defaultKey).toBe('k-default');
    expect([...parsed.hostKeys]).toEqual([['LLAMA_SWAP_API_KEY_A', 'k-a'], ['LLAMA_SWAP_API_KEY_STUDIO', 'k-studio']]);
    expect(parseKeyFile('\nLLAMA_SWAP_API_KEY_A=k-a\n').defaultKey).toBe('');
  });

  it('fills only the variables the environment lacks', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'key-file-'));
    try {
      const file = path.join(dir, 'api-key');
      writeFileSync(file, 'k-default\nLLAMA_SWAP_API_KEY_STUDIO=k-studio\nLLAMA_SWAP_API_KEY_MINI=k-mini-file\n', { mode: 0o600 });
      const env = await withKeysFromFile({ LLAMA_SWAP_API_KEY_MINI: 'k-mini-env' }, file);
      expect(env).toEqual({ LLAMA_SWAP_API_KEY: 'k-default', LLAMA_SWAP_API_KEY_STUDIO: 'k-studio', LLAMA_SWAP_API_KEY_MINI: 'k-mini-env' });
      expect(await withKeysFromFile({ A: '1' }, path.join(dir, 'missing'))).toEqual({ A: '1' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
