/**
 * Actions this process runs (stdin clicks) reach the menu without the file watcher: the click's
 * provisional note shows at once (no refresh), the action's records refresh at once, and the
 * same record read later from last-action.json is not taken twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuModel } from '../../src/components/model.js';
import type { ActionRecordFeed, HookTimings, LastActionRecord } from '../../src/hooks/deps.js';
import { flushHistory } from '../../src/hooks/use-history.js';
import { useMenuModel } from '../../src/hooks/use-menu-model.js';
import { readLastAction, writeLastAction } from '../../src/system/cli/action-log.js';
import { FakeApi, running } from './helpers/fake-api.js';
import { renderHook, type HookHandle } from './helpers/render-hook.js';
import { testDeps } from './helpers/test-deps.js';

const QUIET: Partial<HookTimings> = { busyMs: 60_000, idleMs: 60_000, backoffBaseMs: 20, backoffCapMs: 40, slowMs: 60_000, hostMs: 60_000, processMs: 60_000, serviceMs: 60_000, actionPollMs: 20, historySaveMs: 60_000, historyIdleSampleMs: 0, actionShowMs: 60_000 };

let dir: string;
const handles: HookHandle<MenuModel>[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hooks-clicks-'));
});
afterEach(async () => {
  for (const h of handles.splice(0)) h.unmount();
  await flushHistory();
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
});

function feed(): ActionRecordFeed & { publish(rec: LastActionRecord, provisional: boolean): void } {
  const listeners = new Set<(rec: LastActionRecord, provisional: boolean) => void>();
  return {
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    publish: (rec, provisional) => listeners.forEach((l) => l(rec, provisional)),
  };
}

describe('useMenuModel with in-process action records', () => {
  it('shows the note at once, refreshes on the outcome, and does not take the file copy again', async () => {
    const api = new FakeApi();
    api.runningResult = { ok: true, value: [running('a', 'ready')] };
    const records = feed();
    let reads = 0;
    const deps = testDeps(api, dir, {
      timings: QUIET,
      watchActions: false,
      actionRecords: records,
      readLastAction: () => {
        reads += 1;
        return readLastAction(dir);
      },
    });
    const h = renderHook(() => useMenuModel(deps));
    handles.push(h);
    await h.waitFor((m) => m.status === 'ready');
    const before = api.count('running');

    const at = Date.now();
    records.publish({ ok: true, message: 'Unloading "a"…', at, pendingUntil: at + 600_000 }, true);
    expect((await h.waitFor((m) => m.lastAction !== null)).lastAction).toEqual({ ok: true, message: 'Unloading "a"…', pending: true });
    expect(api.count('running')).toBe(before);

    api.runningResult = { ok: true, value: [] };
    // The action's record carries the same time as the note (one clock tick): it still replaces it.
    const outcome = { action: 'do_unload_model', args: ['a'], ok: true, message: 'unloaded model "a"', at };
    records.publish(outcome, false);
    const m = await h.waitFor((x) => x.lastAction?.message === 'unloaded model "a"' && x.status === 'empty');
    expect(m.lastAction).toEqual({ ok: true, message: 'unloaded model "a"' });
    const after = api.count('running');
    expect(after).toBe(before + 1);

    // The file copy of that record, read by the next polls, refreshes nothing again.
    await writeLastAction(dir, outcome);
    const seen = reads;
    await h.waitFor(() => reads >= seen + 2);
    expect(api.count('running')).toBe(after);
  });
});
