/**
 * Notifications for what happens on its own: a scripted sequence of menu states through the
 * hook, sent by the real notifySwiftBar into a recording runner; exactly these `open -g` calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useSyncExternalStore } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, idle, readyModel } from '../../src/components/fixtures/parts.js';
import type { MenuModel } from '../../src/components/model.js';
import type { LastActionRecord, MenuDeps } from '../../src/hooks/deps.js';
import { useNotifications } from '../../src/hooks/use-notifications.js';
import { notifySwiftBar } from '../../src/system/swiftbar/notify.js';
import type { NotifySettings } from '../../src/system/types.js';
import { createRecordingRunner, type RecordingRunner } from '../helpers/recording-runner.js';
import { renderHook, settle, type HookHandle } from './helpers/render-hook.js';
import { testDeps } from './helpers/test-deps.js';

const PLUGIN = '/Users/u/Plugins/llama-swap.streamable.sh';
const KEY = 'sk-secret';

let dir: string;
let runner: RecordingRunner;
let now: number;
let lastAction: LastActionRecord | null;
let hook: HookHandle<number> | null;
/** Decisions taken: each one reads the last-action record first. */
let decisions: number;

/** An external store the hook reads its model from, so the test can script the sequence. */
function modelStore(first: MenuModel): { set(m: MenuModel): void; use(): MenuModel } {
  let current = first;
  const listeners = new Set<() => void>();
  return {
    set(m) {
      current = m;
      for (const l of listeners) l();
    },
    use: () =>
      useSyncExternalStore(
        (l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
        () => current,
      ),
  };
}

function depsWith(notify: Partial<NotifySettings> = {}): MenuDeps {
  const base = testDeps({} as MenuDeps['api'], dir);
  const env = { SWIFTBAR: '1', SWIFTBAR_PLUGIN_PATH: PLUGIN };
  return {
    ...base,
    config: { ...base.config, apiKey: KEY, logFilePath: '/Users/u/Library/Logs/Llama Swap.log', notify: { failedStart: true, stopped: true, ttlUnload: false, ...notify } },
    readLastAction: () => {
      decisions += 1;
      return Promise.resolve(lastAction);
    },
    notify: async (n) => {
      await notifySwiftBar({ runner, platform: { name: 'macos' }, env }, n, KEY);
    },
  };
}

const up = (over: Partial<MenuModel> = {}): MenuModel => ({ ...BASE, status: 'ready', ...over });
const down: MenuModel = { ...BASE, status: 'unreachable', apiError: { kind: 'unreachable', message: 'connection refused' }, models: [], idleModels: [] };

/** Shows `m` and waits until the hook has taken its decision on it and sent what it decided. */
async function show(store: ReturnType<typeof modelStore>, m: MenuModel): Promise<void> {
  const before = decisions;
  store.set(m);
  await hook?.waitFor(() => decisions > before, 10_000);
  // The sends follow the decision in the same queue: let its promise callbacks run.
  await settle();
}

function start(deps: MenuDeps, first: MenuModel): ReturnType<typeof modelStore> {
  const store = modelStore(first);
  hook = renderHook(() => {
    useNotifications(deps, () => now, store.use());
    return 0;
  });
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'notify-'));
  runner = createRecordingRunner([]);
  now = 1_000_000;
  lastAction = null;
  hook = null;
  decisions = 0;
});
afterEach(() => {
  hook?.unmount();
  rmSync(dir, { recursive: true, force: true });
});

describe('notifications for what happens', () => {
  it('a failed start (reason, log link), a stop and the return: one each; nothing for the state at start', async () => {
    const store = start(depsWith(), { ...BASE, status: 'connecting' });
    // The first answer: a failure already there is not news.
    await show(store, up({ models: [readyModel('a')], idleModels: [{ ...idle('old'), failure: { reason: 'exit status 1' } }, idle('b')] }));
    expect(runner.lines()).toEqual([]);
    // b fails while the plugin watches: told once its reason is read, and only once.
    await show(store, up({ models: [readyModel('a')], idleModels: [{ ...idle('old'), failure: { reason: 'exit status 1' } }, { ...idle('b', 'Big B'), failure: { reason: null } }] }));
    expect(runner.lines()).toEqual([]);
    const failedB = up({ models: [readyModel('a')], idleModels: [{ ...idle('old'), failure: { reason: 'exit status 1' } }, { ...idle('b', 'Big B'), failure: { reason: `port 8080 in use & "+" ${KEY}` } }] });
    await show(store, failedB);
    await show(store, { ...failedB, updatedAt: 2 });
    // llama-swap stops unasked, stays down, comes back.
    await show(store, down);
    await show(store, { ...down, updatedAt: 3 });
    await show(store, up({ models: [readyModel('a')] }));
    expect(runner.lines()).toEqual([
      '/usr/bin/open -g swiftbar://notify?plugin=llama-swap.streamable.sh&title=Big%20B%20failed%20to%20start&body=port%208080%20in%20use%20%26%20%22%2B%22%20***&href=file%3A%2F%2F%2FUsers%2Fu%2FLibrary%2FLogs%2FLlama%2520Swap.log',
      '/usr/bin/open -g swiftbar://notify?plugin=llama-swap.streamable.sh&title=llama-swap%20stopped&body=It%20stopped%20answering%20at%20http%3A%2F%2F127.0.0.1%3A45786%20without%20being%20asked',
      '/usr/bin/open -g swiftbar://notify?plugin=llama-swap.streamable.sh&title=llama-swap%20is%20back&body=It%20answers%20again%20at%20http%3A%2F%2F127.0.0.1%3A45786',
    ]);
  });

  it('says nothing about what the user just did from the menu (Stop, a Load that failed)', async () => {
    const store = start(depsWith(), up({ idleModels: [idle('d')] }));
    lastAction = { action: 'do_stop', args: [], ok: true, message: 'stopped', at: now - 5_000 };
    await show(store, down);
    await show(store, up({ idleModels: [idle('d')] }));
    lastAction = { action: 'do_load_model', args: ['d'], ok: false, message: 'failed', at: now - 1_000 };
    await show(store, up({ idleModels: [{ ...idle('d'), failure: { reason: 'exit status 1' } }] }));
    expect(runner.lines()).toEqual([]);
    // An old record explains nothing: a later stop is news.
    now += 10 * 60_000;
    await show(store, down);
    expect(runner.lines()).toHaveLength(1);
    expect(runner.lines()[0]).toContain('title=llama-swap%20stopped');
  });

  it('a ttl unload only when that setting is on, and only when the ttl had run out', async () => {
    for (const ttlUnload of [false, true]) {
      runner.clear();
      const store = start(depsWith({ ttlUnload }), up({ models: [readyModel('c', { ttlSeconds: 300, unloadsInMs: 4 * 60_000 }), readyModel('e', { ttlSeconds: 300, unloadsInMs: 1_000 })] }));
      await show(store, up({ models: [readyModel('c', { ttlSeconds: 300, unloadsInMs: 3 * 60_000 }), readyModel('e', { ttlSeconds: 300, unloadsInMs: 0 })] }));
      // Both go: c was swapped out long before its ttl, e's ttl had run out.
      await show(store, up({ models: [], idleModels: [idle('c'), idle('e', 'Model E')] }));
      expect(runner.lines()).toEqual(
        ttlUnload ? ['/usr/bin/open -g swiftbar://notify?plugin=llama-swap.streamable.sh&title=e%20unloaded&body=llama-swap%20unloaded%20it%20after%20its%20ttl%20without%20requests'] : [],
      );
      hook?.unmount();
      hook = null;
    }
  });

  it('an answer llama-swap gets wrong is not a stop', async () => {
    const store = start(depsWith(), up());
    await show(store, { ...down, apiError: { kind: 'invalid-response', message: 'HTML page' } });
    await show(store, up());
    expect(runner.lines()).toEqual([]);
  });

  it('each kind has its setting', async () => {
    const store = start(depsWith({ failedStart: false, stopped: false }), up({ idleModels: [idle('b')] }));
    await show(store, up({ idleModels: [{ ...idle('b'), failure: { reason: 'x' } }] }));
    await show(store, down);
    await show(store, up({ idleModels: [idle('b')] }));
    expect(runner.lines()).toEqual([]);
  });
});
