import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/system/config.js';

const HOME = '/tmp/fake-home';
const mac = (env: Record<string, string>) => readConfig(env, { home: HOME, platform: 'macos' });

describe('readConfig defaults', () => {
  it('matches the Rust plugin on macOS', () => {
    const { config, warnings } = mac({});
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      apiUrl: 'http://127.0.0.1:45786',
      apiPort: 45786,
      apiTimeoutMs: 1000,
      apiKey: null,
      streaming: true,
      chartWidth: 60,
      chartHeight: 20,
      historySize: 300,
      debug: false,
      logFilePath: path.join(HOME, 'Library/Logs/LlamaSwap.log'),
      configFilePath: path.join(HOME, '.llamaswap/config.yaml'),
      serviceLabel: 'com.user.llama-swap',
      shortcut: null,
      notify: { failedStart: true, stopped: true, ttlUnload: false },
      cacheDir: path.join(HOME, 'Library/Caches/llama-swap-swiftbar'),
      appearance: 'light',
    });
  });

  it('uses a per-user cache folder under home on Linux', () => {
    const { config } = readConfig({}, { home: HOME, platform: 'linux' });
    expect(config.cacheDir.startsWith(HOME + path.sep)).toBe(true);
    expect(config.cacheDir).toContain('llama-swap-swiftbar');
    expect(readConfig({ XDG_CACHE_HOME: '/xdg' }, { home: HOME, platform: 'linux' }).config.cacheDir).toBe('/xdg/llama-swap-swiftbar');
  });
});

describe('readConfig values', () => {
  it('reads every variable', () => {
    const { config, warnings } = mac({
      LLAMA_SWAP_API_BASE_URL: 'https://gpu-box.local/',
      LLAMA_SWAP_API_PORT: '9000',
      LLAMA_SWAP_API_TIMEOUT_SECS: '2.5',
      LLAMA_SWAP_STREAMING_MODE: 'OFF',
      LLAMA_SWAP_CHART_WIDTH: '120',
      LLAMA_SWAP_CHART_HEIGHT: '30',
      LLAMA_SWAP_HISTORY_SIZE: '600',
      LLAMA_SWAP_DEBUG: 'Yes',
      LLAMA_SWAP_LOG_FILE_PATH: '~/logs/ls.log',
      LLAMA_SWAP_CONFIG_FILE_PATH: '/etc/llama-swap.yaml',
      LLAMA_SWAP_API_KEY: 'sk-abc',
      LLAMA_SWAP_SERVICE_LABEL: 'org.example.llama-swap',
      LLAMA_SWAP_SHORTCUT: 'Cmd + Shift + L',
      LLAMA_SWAP_NOTIFY_FAILED_START: 'off',
      LLAMA_SWAP_NOTIFY_STOPPED: 'false',
      LLAMA_SWAP_NOTIFY_TTL_UNLOAD: 'true',
      SWIFTBAR_PLUGIN_CACHE_PATH: '~/sb-cache',
      OS_APPEARANCE: 'Dark',
    });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      apiUrl: 'https://gpu-box.local:9000',
      apiPort: 9000,
      apiTimeoutMs: 2500,
      apiKey: 'sk-abc',
      streaming: false,
      chartWidth: 120,
      chartHeight: 30,
      historySize: 600,
      debug: true,
      logFilePath: path.join(HOME, 'logs/ls.log'),
      configFilePath: '/etc/llama-swap.yaml',
      serviceLabel: 'org.example.llama-swap',
      shortcut: 'cmd+shift+l',
      notify: { failedStart: false, stopped: false, ttlUnload: true },
      cacheDir: path.join(HOME, 'sb-cache'),
      appearance: 'dark',
    });
  });

  it.each([
    ['1', true], ['0', false], ['TRUE', true], ['false', false], ['yes', true], ['No', false], ['on', true], ['oFF', false], [' true ', true],
  ])('boolean %j → %s', (value, expected) => {
    expect(mac({ LLAMA_SWAP_DEBUG: value }).config.debug).toBe(expected);
  });

  it('takes the port from the base URL when LLAMA_SWAP_API_PORT is unset', () => {
    expect(mac({ LLAMA_SWAP_API_BASE_URL: 'http://localhost:8080' }).config).toMatchObject({ apiUrl: 'http://localhost:8080', apiPort: 8080 });
    expect(mac({ LLAMA_SWAP_API_BASE_URL: 'http://localhost:8080', LLAMA_SWAP_API_PORT: '9000' }).config).toMatchObject({ apiUrl: 'http://localhost:9000', apiPort: 9000 });
  });

  it('accepts a fractional timeout and treats blank as unset', () => {
    expect(mac({ LLAMA_SWAP_API_TIMEOUT_SECS: '0.25' }).config.apiTimeoutMs).toBe(250);
    expect(mac({ LLAMA_SWAP_API_TIMEOUT_SECS: '60' }).config.apiTimeoutMs).toBe(60_000);
    expect(mac({ LLAMA_SWAP_API_TIMEOUT_SECS: '0.1' })).toMatchObject({ config: { apiTimeoutMs: 100 }, warnings: [] });
    expect(mac({ LLAMA_SWAP_HISTORY_SIZE: '10000' })).toMatchObject({ config: { historySize: 10_000 }, warnings: [] });
    expect(mac({ LLAMA_SWAP_CHART_WIDTH: '20', LLAMA_SWAP_CHART_HEIGHT: '100' })).toMatchObject({ config: { chartWidth: 20, chartHeight: 100 }, warnings: [] });
    expect(mac({ LLAMA_SWAP_API_PORT: '  ' })).toMatchObject({ config: { apiPort: 45786 }, warnings: [] });
  });
});

describe('readConfig bad values fall back with a warning naming variable and value', () => {
  it.each([
    ['LLAMA_SWAP_API_PORT', '0', 'apiPort', 45786],
    ['LLAMA_SWAP_API_PORT', '65536', 'apiPort', 45786],
    ['LLAMA_SWAP_API_PORT', '80a', 'apiPort', 45786],
    ['LLAMA_SWAP_API_PORT', '-1', 'apiPort', 45786],
    ['LLAMA_SWAP_API_TIMEOUT_SECS', '0', 'apiTimeoutMs', 1000],
    ['LLAMA_SWAP_API_TIMEOUT_SECS', '-2', 'apiTimeoutMs', 1000],
    ['LLAMA_SWAP_API_TIMEOUT_SECS', '61', 'apiTimeoutMs', 1000],
    ['LLAMA_SWAP_API_TIMEOUT_SECS', 'NaN', 'apiTimeoutMs', 1000],
    ['LLAMA_SWAP_API_TIMEOUT_SECS', 'Infinity', 'apiTimeoutMs', 1000],
    ['LLAMA_SWAP_API_TIMEOUT_SECS', '0.0001', 'apiTimeoutMs', 1000],
    ['LLAMA_SWAP_API_TIMEOUT_SECS', '0.09', 'apiTimeoutMs', 1000],
    ['LLAMA_SWAP_CHART_WIDTH', '19', 'chartWidth', 60],
    ['LLAMA_SWAP_CHART_HEIGHT', '101', 'chartHeight', 20],
    ['LLAMA_SWAP_HISTORY_SIZE', '10001', 'historySize', 300],
    ['LLAMA_SWAP_STREAMING_MODE', 'maybe', 'streaming', true],
    ['LLAMA_SWAP_DEBUG', '2', 'debug', false],
    ['LLAMA_SWAP_CHART_WIDTH', '9', 'chartWidth', 60],
    ['LLAMA_SWAP_CHART_WIDTH', '401', 'chartWidth', 60],
    ['LLAMA_SWAP_CHART_HEIGHT', '1.5', 'chartHeight', 20],
    ['LLAMA_SWAP_HISTORY_SIZE', '9', 'historySize', 300],
    ['LLAMA_SWAP_HISTORY_SIZE', '86401', 'historySize', 300],
    ['LLAMA_SWAP_API_BASE_URL', 'ftp://host', 'apiUrl', 'http://127.0.0.1:45786'],
    ['LLAMA_SWAP_API_BASE_URL', 'http://host/api', 'apiUrl', 'http://127.0.0.1:45786'],
    ['LLAMA_SWAP_API_BASE_URL', 'http://host?x=1', 'apiUrl', 'http://127.0.0.1:45786'],
    ['LLAMA_SWAP_API_BASE_URL', '127.0.0.1', 'apiUrl', 'http://127.0.0.1:45786'],
    ['LLAMA_SWAP_API_BASE_URL', 'http://user:pw@host', 'apiUrl', 'http://127.0.0.1:45786'],
    ['LLAMA_SWAP_SERVICE_LABEL', 'bad label;rm', 'serviceLabel', 'com.user.llama-swap'],
    ['LLAMA_SWAP_SHORTCUT', 'l', 'shortcut', null],
    ['LLAMA_SWAP_SHORTCUT', 'shift+l', 'shortcut', null],
    ['LLAMA_SWAP_SHORTCUT', 'cmd+shift', 'shortcut', null],
    ['LLAMA_SWAP_SHORTCUT', 'cmd+k+l', 'shortcut', null],
    ['LLAMA_SWAP_SHORTCUT', 'cmd+é', 'shortcut', null],
    ['LLAMA_SWAP_SHORTCUT', 'cmd+l | bash=/bin/rm', 'shortcut', null],
    ['OS_APPEARANCE', 'Sepia', 'appearance', 'light'],
  ] as const)('%s=%j', (variable, value, field, fallback) => {
    const { config, warnings } = mac({ [variable]: value });
    expect(config[field]).toBe(fallback);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ variable, value });
    expect(warnings[0]?.message).toContain(variable);
    expect(warnings[0]?.message).not.toMatch(/[\r\n]/);
  });

  it('strips trailing slashes from a good base URL', () => {
    expect(mac({ LLAMA_SWAP_API_BASE_URL: 'http://host.lan///' })).toMatchObject({ config: { apiUrl: 'http://host.lan:45786' }, warnings: [] });
  });

  it('never echoes the API key value', () => {
    const secret = 'sk-very secret';
    const { config, warnings } = mac({ LLAMA_SWAP_API_KEY: secret });
    expect(config.apiKey).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.variable).toBe('LLAMA_SWAP_API_KEY');
    expect(JSON.stringify(warnings)).not.toContain('secret');
    for (const bad of ['abc\u0007def', 'abcé', 'abc\tdef']) {
      const r = mac({ LLAMA_SWAP_API_KEY: bad });
      expect(r.config.apiKey).toBeNull();
      expect(JSON.stringify(r.warnings)).not.toContain('abc');
    }
    expect(mac({ LLAMA_SWAP_API_KEY: '  sk-Abc_123.x=  ' }).config.apiKey).toBe('sk-Abc_123.x=');
  });

  it('collects one warning per bad variable and keeps the good ones', () => {
    const { config, warnings } = mac({ LLAMA_SWAP_API_PORT: 'x', LLAMA_SWAP_DEBUG: 'y', LLAMA_SWAP_CHART_WIDTH: '100' });
    expect(warnings.map((w) => w.variable).sort()).toEqual(['LLAMA_SWAP_API_PORT', 'LLAMA_SWAP_DEBUG']);
    expect(config.chartWidth).toBe(100);
  });
});

describe('settingsToCarry (install-plugin writes only valid, known settings into the wrapper)', () => {
  it('keeps valid known settings, drops invalid values and unknown LLAMA_SWAP_* variables with the reason, never carries the key', async () => {
    const { settingsToCarry } = await import('../../src/system/config.js');
    const r = settingsToCarry({
      LLAMA_SWAP_API_TIMEOUT_SECS: '0.0001',
      LLAMA_SWAP_CHART_WIDTH: '100',
      LLAMA_SWAP_TYPO_PORT: '9',
      LLAMA_SWAP_API_KEY: 'sk-secret',
      LLAMA_SWAP_KEY_FILE: '/x',
      LLAMA_SWAP_LOG_FILE_PATH: "/Users/u/it's.log",
      PATH: '/bin',
    });
    expect(r.kept).toEqual([
      ['LLAMA_SWAP_CHART_WIDTH', '100'],
      ['LLAMA_SWAP_LOG_FILE_PATH', "/Users/u/it's.log"],
    ]);
    expect(r.dropped.map((d) => d.variable)).toEqual(['LLAMA_SWAP_API_TIMEOUT_SECS', 'LLAMA_SWAP_TYPO_PORT']);
    expect(r.dropped[0]?.reason).toMatch(/0\.1/);
    expect(r.dropped[1]?.reason).toMatch(/not a setting/);
    expect(JSON.stringify(r)).not.toContain('sk-secret');
  });
});
