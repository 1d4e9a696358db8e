/** LLAMA_SWAP_HOSTS: name=url pairs, one clear warning per bad entry, and today's single host when unset. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/system/config.js';
import { HOST_NAME_MAX, MAX_HOSTS, hostKeyVariable, parseHostsSetting, type HostsSetting } from '../../src/system/hosts-setting.js';

type Env = Record<string, string>;

/** The setting as the plugin will read it: the single host comes from config.ts's own reading. */
function hostsOf(env: Env): HostsSetting {
  const { config } = readConfig(env, { home: '/home/u', platform: 'macos' });
  return parseHostsSetting(env, config);
}

const hosts = (value: string): HostsSetting => hostsOf({ LLAMA_SWAP_HOSTS: value });
const messages = (s: HostsSetting): string[] => s.warnings.map((w) => w.message);

describe('LLAMA_SWAP_HOSTS unset', () => {
  it.each<[string, Env, string]>([
    ['defaults', {}, 'http://127.0.0.1:45786'],
    ['base URL and port', { LLAMA_SWAP_API_BASE_URL: 'http://studio.local', LLAMA_SWAP_API_PORT: '8080' }, 'http://studio.local:8080'],
    ['a port in the base URL', { LLAMA_SWAP_API_BASE_URL: 'https://llm.example.com:9443/' }, 'https://llm.example.com:9443'],
    ['blank', { LLAMA_SWAP_HOSTS: '  ', LLAMA_SWAP_API_PORT: '9000' }, 'http://127.0.0.1:9000'],
  ])('%s: the single host of LLAMA_SWAP_API_BASE_URL/PORT, unnamed, with LLAMA_SWAP_API_KEY', (_, env, url) => {
    const s = hostsOf(env);
    expect(s).toEqual({ hosts: [{ name: 'default', url, keyVar: 'LLAMA_SWAP_API_KEY' }], named: false, warnings: [] });
    expect(s.hosts[0]?.url).toBe(readConfig(env, { home: '/home/u', platform: 'macos' }).config.apiUrl);
  });
});

describe('LLAMA_SWAP_HOSTS set', () => {
  it('reads name=url pairs in order, with each host its own key variable; spaces and a trailing comma are fine', () => {
    const s = hosts(' studio=http://10.0.0.5:8080 , mac-mini = http://127.0.0.1:45786/ ,gpu4090=https://gpu.lan,');
    expect(s).toEqual({
      named: true,
      warnings: [],
      hosts: [
        { name: 'studio', url: 'http://10.0.0.5:8080', keyVar: 'LLAMA_SWAP_API_KEY_STUDIO' },
        { name: 'mac-mini', url: 'http://127.0.0.1:45786', keyVar: 'LLAMA_SWAP_API_KEY_MAC_MINI' },
        // No port: the scheme's own, as in any URL.
        { name: 'gpu4090', url: 'https://gpu.lan', keyVar: 'LLAMA_SWAP_API_KEY_GPU4090' },
      ],
    });
  });

  it('ignores LLAMA_SWAP_API_BASE_URL/PORT while it names hosts', () => {
    const s = hostsOf({ LLAMA_SWAP_HOSTS: 'a=http://10.0.0.1:1', LLAMA_SWAP_API_BASE_URL: 'http://10.0.0.9', LLAMA_SWAP_API_PORT: '2' });
    expect(s.hosts.map((h) => h.url)).toEqual(['http://10.0.0.1:1']);
  });

  it('computes the key variable: upper case, - as _', () => {
    expect(hostKeyVariable('studio')).toBe('LLAMA_SWAP_API_KEY_STUDIO');
    expect(hostKeyVariable('Bravo-Box-2')).toBe('LLAMA_SWAP_API_KEY_BRAVO_BOX_2');
  });
});

describe('LLAMA_SWAP_HOSTS with bad entries: each left out with one clear warning, the rest kept', () => {
  const GOOD = 'ok=http://10.0.0.1:8080';
  it.each<[string, string, string]>([
    ['no =', 'studio', 'LLAMA_SWAP_HOSTS entry "studio": expected name=url; left out'],
    ['an empty name', '=http://10.0.0.2:1', 'a name is 1–24 letters, digits or -'],
    ['a space in the name', 'my box=http://10.0.0.2:1', 'entry "my box=http://10.0.0.2:1": a name is 1–24 letters, digits or -, starting with a letter or digit; left out'],
    ['an underscore', 'my_box=http://10.0.0.2:1', 'a name is 1–24 letters, digits or -'],
    ['a leading -', '-box=http://10.0.0.2:1', 'a name is 1–24 letters, digits or -'],
    ['a name too long', `${'a'.repeat(HOST_NAME_MAX + 1)}=http://10.0.0.2:1`, 'a name is 1–24 letters, digits or -'],
    ['shell characters', 'x$(id)=http://10.0.0.2:1', 'a name is 1–24 letters, digits or -'],
    ['not a URL', 'b=10.0.0.2:8080', 'not a URL (expected http(s)://host:port)'],
    ['another scheme', 'b=ftp://10.0.0.2', 'ftp is not http or https'],
    ['a path', 'b=http://10.0.0.2:1/v1', 'expected http(s)://host:port without a path'],
    ['a bad port', 'b=http://10.0.0.2:99999', 'not a URL'],
    ['a duplicate name', 'OK=http://10.0.0.2:1', 'the name "OK" is already used by "ok" (names are compared without case)'],
    ['a duplicate URL', 'other=http://10.0.0.1:8080/', 'http://10.0.0.1:8080 is already watched as "ok"'],
  ])('%s', (_, bad, message) => {
    const s = hosts(`${GOOD},${bad}`);
    expect(s.hosts.map((h) => h.name)).toEqual(['ok']);
    expect(s.named).toBe(true);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]?.variable).toBe('LLAMA_SWAP_HOSTS');
    expect(s.warnings[0]?.message).toContain(message);
  });

  it('never repeats a password written in a URL', () => {
    const s = hosts(`${GOOD},b=http://user:hunter2@10.0.0.2:1`);
    expect(s.hosts).toHaveLength(1);
    expect(messages(s)[0]).toContain('a user or password in the URL is not used');
    expect(JSON.stringify(s.warnings)).not.toContain('hunter2');
    const none = hosts('a=http://u:secret1@10.0.0.2:1,b=https://v:secret2@10.0.0.3');
    expect(none.warnings).toHaveLength(3);
    expect(JSON.stringify(none.warnings)).not.toMatch(/secret/);
  });

  it(`watches at most ${MAX_HOSTS} hosts and says so for each one left out`, () => {
    const list = Array.from({ length: MAX_HOSTS + 2 }, (_, i) => `h${i}=http://10.0.1.${i}:8080`).join(',');
    const s = hosts(list);
    expect(s.hosts).toHaveLength(MAX_HOSTS);
    expect(messages(s)).toEqual([20, 21].map((i) => `LLAMA_SWAP_HOSTS entry "h${i}=http://10.0.1.${i}:8080": at most ${MAX_HOSTS} hosts are watched; left out`));
  });

  it('with no usable entry: the single host, unnamed, and a warning that says which', () => {
    const s = hostsOf({ LLAMA_SWAP_HOSTS: 'nope,x y=http://a:1', LLAMA_SWAP_API_PORT: '9000' });
    expect(s.hosts).toEqual([{ name: 'default', url: 'http://127.0.0.1:9000', keyVar: 'LLAMA_SWAP_API_KEY' }]);
    expect(s.named).toBe(false);
    expect(messages(s)).toHaveLength(3);
    expect(messages(s)[2]).toBe('LLAMA_SWAP_HOSTS names no usable host; watching http://127.0.0.1:9000 (LLAMA_SWAP_API_BASE_URL, LLAMA_SWAP_API_PORT)');
  });
});
