/**
 * Actions run in the plugin process (stdin clicks): the same CLI code as a `bash=` click, heard
 * at once as a provisional note, then the action's own records, the final one also in the file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isActionPending, readLastAction, type LastAction } from '../../../src/system/cli/action-log.js';
import type { ActionClient } from '../../../src/system/cli/actions.js';
import { createInProcessActions } from '../../../src/system/cli/in-process-actions.js';
import type { ConfiguredModel, PluginConfig, Result, RunningModel } from '../../../src/system/types.js';
import { createRecordingRunner, type RecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome, testConfig, type TempHome } from '../../helpers/temp-home.js';

type Heard = { readonly rec: LastAction; readonly provisional: boolean };

/** A llama-swap client whose unload answers only when the test releases it (a slow unload). */
function slowClient(running: string[]) {
  const calls: string[] = [];
  let release: (r: Result<unknown>) => void = () => undefined;
  const unloadAnswer = new Promise<Result<unknown>>((resolve) => (release = resolve));
  const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
  const rm = (id: string): RunningModel => ({ id, state: 'ready', cmd: '', proxy: '', ttl: 0, name: '', description: '' });
  const client: ActionClient = {
    models: () => ok(['qwen', 'llama'].map((id): ConfiguredModel => ({ id, name: id, description: '', loaded: undefined }))),
    running: () => ok(running.map(rm)),
    unloadAll: () => ok('OK'),
    unloadModel: (id) => {
      calls.push(`unloadModel ${id}`);
      return unloadAnswer;
    },
    loadModel: () => Promise.resolve({ ok: false, error: { kind: 'http', message: 'HTTP 502: upstream command exited prematurely' } }),
    inflight: () => ok([]),
    cancelInflight: () => ok({}),
    profiles: () => ok({ active: null, profiles: [] }),
    setProfile: () => ok({}),
    health: () => ok('OK'),
  };
  return { client, calls, release: (r: Result<unknown>) => release(r) };
}

let home: TempHome;
let runner: RecordingRunner;
let config: PluginConfig;

beforeEach(() => {
  home = createTempHome();
  runner = createRecordingRunner();
  config = testConfig(home.home);
});
afterEach(() => home.remove());

function setup(client: ActionClient) {
  const heard: Heard[] = [];
  const actions = createInProcessActions({
    runner,
    fsRoot: home,
    platform: { name: 'linux', uid: 1000 },
    env: { PATH: '' },
    clientFactory: () => client,
    readConfig: () => ({ config, warnings: [] }),
  });
  actions.subscribe((rec, provisional) => heard.push({ rec, provisional }));
  return { actions, heard };
}

const waitFor = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
};

describe('in-process actions', () => {
  it('says "Unloading…" at once, then what it waits for, then the outcome of a slow unload (no false failure)', async () => {
    const slow = slowClient(['qwen']);
    const { actions, heard } = setup(slow.client);
    actions.run('do_unload_model', ['qwen']);
    // Synchronously: the click's note, before any request.
    expect(heard).toEqual([{ rec: expect.objectContaining({ ok: true, message: 'Unloading "qwen"…', pendingUntil: expect.any(Number) }), provisional: true }]);
    await waitFor(() => slow.calls.length > 0);
    expect(heard[1]).toMatchObject({ provisional: false, rec: { ok: true, message: expect.stringContaining('Unloading "qwen"… (waiting for llama-swap to stop it'), pendingUntil: expect.any(Number) } });
    // A second click on the same item while it runs starts nothing.
    actions.run('do_unload_model', ['qwen']);
    slow.release({ ok: true, value: 'OK' });
    await actions.idle();
    expect(slow.calls).toEqual(['unloadModel qwen']);
    const last = heard.at(-1);
    expect(last).toMatchObject({ provisional: false, rec: { ok: true, message: 'unloaded model "qwen"' } });
    expect(last?.rec.pendingUntil).toBeUndefined();
    // The same record is in the file a bash= click's process would have written.
    expect(await readLastAction(config.cacheDir)).toMatchObject({ action: 'do_unload_model', ok: true, message: 'unloaded model "qwen"' });
  });

  it("reports llama-swap's reason for a failed load", async () => {
    const { actions, heard } = setup(slowClient([]).client);
    actions.run('do_load_model', ['qwen']);
    expect(heard[0]).toMatchObject({ provisional: true, rec: { message: 'Loading "qwen"…' } });
    await actions.idle();
    expect(heard.at(-1)).toMatchObject({ provisional: false, rec: { ok: false, message: 'could not load "qwen": HTTP 502: upstream command exited prematurely' } });
  });

  it('re-checks ids against the live list: an unknown model is refused, nothing unloaded', async () => {
    const slow = slowClient(['qwen']);
    const { actions, heard } = setup(slow.client);
    actions.run('do_unload_model', ['gone']);
    await actions.idle();
    expect(slow.calls).toEqual([]);
    expect(heard.at(-1)).toMatchObject({ rec: { ok: false, message: `unknown model "gone": not in llama-swap's model list` } });
  });

  it('arguments the CLI refuses end the note with the reason (no record file is written for them)', async () => {
    const slow = slowClient(['qwen']);
    const { actions, heard } = setup(slow.client);
    actions.run('do_unload_model', ['--id-base64', '***']);
    expect(heard[0]?.provisional).toBe(true);
    await actions.idle();
    expect(slow.calls).toEqual([]);
    expect(heard.at(-1)).toMatchObject({ provisional: false, rec: { ok: false, message: expect.stringContaining('--id-base64 needs exactly one standard base64 value') } });
    expect(await readLastAction(config.cacheDir)).toBeNull();
  });

  it('a plugin stopping mid-wait records that it stopped waiting (not a failure) and lifts the no-scrape marker', async () => {
    const slow = slowClient(['qwen']);
    const { actions } = setup(slow.client);
    actions.run('do_unload_model', ['qwen']);
    await waitFor(() => slow.calls.length > 0);
    expect(isActionPending(config.cacheDir)).toBe(true);
    await actions.interrupt(config.cacheDir);
    const rec = await readLastAction(config.cacheDir);
    expect(rec).toMatchObject({ ok: true, message: 'Unloading "qwen": the menu restarted before llama-swap answered' });
    expect(rec?.pendingUntil).toBeUndefined();
    expect(isActionPending(config.cacheDir)).toBe(false);
    slow.release({ ok: true, value: 'OK' });
    await actions.idle();
    // Nothing running: nothing to write.
    await actions.interrupt(config.cacheDir);
    expect(await readLastAction(config.cacheDir)).toMatchObject({ message: 'unloaded model "qwen"' });
  });
});
