/**
 * A hostile or huge llama-swap (issue 12 item 5): every server text the menu shows is cut to a
 * few hundred characters, and the menu lists at most MAX_LOADED_LISTED loaded and
 * MAX_IDLE_LISTED configured models, then "and N more — open the web UI".
 */
import { describe, expect, it } from 'vitest';
import { History } from '../../../src/hooks/history/history.js';
import { buildMenuModel, type MenuModelInput } from '../../../src/hooks/model/menu-model.js';
import { MAX_IDLE_LISTED, MAX_LOADED_LISTED, MAX_SHOWN_TEXT, shownText } from '../../../src/hooks/model/server-text.js';
import { Menu } from '../../../src/components/Menu.js';
import { renderToString } from '../../../src/reconciler/render-to-string.js';
import type { ConfiguredModel, PluginConfig, Result, RunningModel } from '../../../src/system/types.js';
import { testConfig } from '../../helpers/temp-home.js';
import { createElement } from 'react';

const config: PluginConfig = testConfig('/home/u', { apiUrl: 'http://127.0.0.1:45786', cacheDir: '/tmp/cache', appearance: 'dark' });
const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const run = (id: string, over: Partial<RunningModel> = {}): RunningModel => ({ id, state: 'ready', cmd: 'llama-server', proxy: 'http://127.0.0.1:5800', ttl: 0, name: '', description: '', ...over });
const conf = (id: string, over: Partial<ConfiguredModel> = {}): ConfiguredModel => ({ id, name: '', description: '', loaded: undefined, ...over });

function input(over: Partial<MenuModelInput> = {}): MenuModelInput {
  return {
    config,
    configWarnings: [],
    running: ok([]),
    models: ok([]),
    profiles: undefined,
    metrics: {},
    host: null,
    processes: null,
    service: null,
    history: new History({ capacity: 10 }).snapshot(),
    historyWarning: null,
    invoker: { executable: '/bin/plugin', leadingArgs: [] },
    lastAction: null,
    now: 1,
    ...over,
  };
}

const huge = 'x'.repeat(10 * 1024 * 1024);

describe('shownText', () => {
  it('keeps short text and cuts long text to MAX_SHOWN_TEXT with an ellipsis', () => {
    expect(shownText('Qwen 7B')).toBe('Qwen 7B');
    const cut = shownText(huge);
    expect(cut.length).toBe(MAX_SHOWN_TEXT);
    expect(cut.endsWith('…')).toBe(true);
    expect(MAX_SHOWN_TEXT).toBeGreaterThanOrEqual(100);
    expect(MAX_SHOWN_TEXT).toBeLessThanOrEqual(500);
  });

  it('never leaves half a surrogate pair', () => {
    const emoji = '😀'.repeat(MAX_SHOWN_TEXT);
    const cut = shownText(emoji);
    expect(cut.length).toBeLessThanOrEqual(MAX_SHOWN_TEXT);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false);
  });
});

describe('buildMenuModel against a hostile server', () => {
  it('cuts names, descriptions and error text of loaded, idle and profile entries', () => {
    const m = buildMenuModel(
      input({
        running: ok([run('big', { name: huge, description: huge })]),
        models: ok([conf('big'), conf('idle', { name: huge, description: huge })]),
        profiles: ok({ active: huge, profiles: [{ id: 'p', description: huge, pins: {} }] }),
      }),
    );
    expect(m.models[0]?.name.length).toBe(MAX_SHOWN_TEXT);
    expect(m.models[0]?.description.length).toBe(MAX_SHOWN_TEXT);
    expect(m.idleModels[0]?.name.length).toBe(MAX_SHOWN_TEXT);
    expect(m.idleModels[0]?.description.length).toBe(MAX_SHOWN_TEXT);
    expect(m.profiles?.available[0]?.description.length).toBe(MAX_SHOWN_TEXT);
    expect(m.profiles?.active?.length).toBe(MAX_SHOWN_TEXT);
    const err = buildMenuModel(input({ running: { ok: false, error: { kind: 'http', message: huge } } }));
    expect(err.apiError?.message.length).toBeLessThanOrEqual(MAX_SHOWN_TEXT);
    for (const p of err.problems) expect(p.message.length).toBeLessThan(MAX_SHOWN_TEXT + 200);
  });

  it('lists at most MAX_LOADED_LISTED loaded and MAX_IDLE_LISTED idle models and counts the rest', () => {
    const running = Array.from({ length: 20_000 }, (_, i) => run(`m${String(i).padStart(5, '0')}`, { state: i < 120 ? 'ready' : 'stopped' }));
    const models = Array.from({ length: 20_000 }, (_, i) => conf(`m${String(i).padStart(5, '0')}`));
    const m = buildMenuModel(input({ running: ok(running), models: ok(models) }));
    expect(m.models.length).toBe(MAX_LOADED_LISTED);
    expect(m.idleModels.length).toBe(MAX_IDLE_LISTED);
    expect(m.moreModels).toEqual({ loaded: 120 - MAX_LOADED_LISTED, idle: 20_000 - 120 - MAX_IDLE_LISTED });
    expect(m.status).toBe('ready');
  });

  it('does not list a model whose id is too long to show or pass to an action, and counts it', () => {
    const m = buildMenuModel(input({ running: ok([run('y'.repeat(5000)), run('ok')]), models: ok([conf('z'.repeat(5000)), conf('idle')]) }));
    expect(m.models.map((x) => x.id)).toEqual(['ok']);
    expect(m.idleModels.map((x) => x.id)).toEqual(['idle']);
    expect(m.moreModels).toEqual({ loaded: 1, idle: 1 });
  });

  it('the menu says "and N more — open the web UI" with the web UI link, and stays small', async () => {
    const running = Array.from({ length: 20_000 }, (_, i) => run(`m${i}`, { state: i < 60 ? 'ready' : 'stopped', description: huge }));
    const models = Array.from({ length: 20_000 }, (_, i) => conf(`m${i}`, { description: huge, name: huge }));
    const model = buildMenuModel(input({ running: ok(running), models: ok(models) }));
    const text = await renderToString(createElement(Menu, { model }));
    expect(text).toContain('and 10 more loaded — open the web UI');
    expect(text).toContain(`and ${(20_000 - 60 - MAX_IDLE_LISTED).toLocaleString('en-US')} more — open the web UI`);
    expect(text).toMatch(/and 10 more loaded — open the web UI \|.*href=http:\/\/127\.0\.0\.1:45786\/ui\//);
    expect(text.length).toBeLessThan(300 * 1024);
  });
});

describe('a model list that could not be read', () => {
  it('is a warning naming the reason (too large), not a silently empty list', () => {
    const m = buildMenuModel(
      input({
        running: ok([run('a')]),
        models: { ok: false, error: { kind: 'invalid-response', message: "llama-swap's answer to /v1/models is too large (over 4 MB)" } },
      }),
    );
    expect(m.problems).toContainEqual(
      expect.objectContaining({ id: 'models-list', severity: 'warning', message: expect.stringMatching(/Configured models not listed: .*too large/) }),
    );
    const unsupported = buildMenuModel(input({ running: ok([run('a')]), models: { ok: false, error: { kind: 'not-supported', message: 'x' } } }));
    expect(unsupported.problems.map((p) => p.id)).not.toContain('models-list');
  });
});

describe('settings warnings in the menu', () => {
  it('name the variable once', () => {
    const warning = { variable: 'LLAMA_SWAP_API_TIMEOUT_SECS', value: '0.0001', message: 'LLAMA_SWAP_API_TIMEOUT_SECS="0.0001": expected seconds from 0.1 to 60; using 1' };
    const m = buildMenuModel(input({ configWarnings: [warning] }));
    const p = m.problems.find((x) => x.id === 'config:LLAMA_SWAP_API_TIMEOUT_SECS');
    expect(p?.message.match(/LLAMA_SWAP_API_TIMEOUT_SECS/g)).toHaveLength(1);
  });
});

describe('launchctl failures in the menu', () => {
  it('a failed launchctl print shows as a warning with launchctl\'s words and exit code', () => {
    const service = {
      platform: 'macos' as const,
      manager: 'launchagent' as const,
      installed: true,
      loaded: false,
      pid: null,
      binaryPath: '/opt/homebrew/bin/llama-swap',
      configPath: '/c.yaml',
      configExists: true,
      logPath: '/l.log',
      launchctlError: 'launchctl print failed (exit 112): Could not find domain for user gui: 501',
    };
    const m = buildMenuModel(input({ running: ok([]), service }));
    expect(m.problems).toContainEqual(
      expect.objectContaining({ id: 'launchctl', severity: 'warning', message: 'launchctl print failed (exit 112): Could not find domain for user gui: 501.' }),
    );
  });
});
