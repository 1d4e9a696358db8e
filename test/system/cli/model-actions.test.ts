/**
 * Load and unload past their wait: an answer that did not come in time is checked against
 * `/running` before it is called a failure, the waits use the actions' own bounds, and the
 * action says first what it waits for (stdout and a pending last-action record).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLastAction, type LastAction } from '../../../src/system/cli/action-log.js';
import { ACTION_WAIT_MS } from '../../../src/system/cli/action-wait.js';
import type { ActionClient } from '../../../src/system/cli/actions.js';
import { runCli, type CliDeps } from '../../../src/system/cli/cli.js';
import type { ApiError, PluginConfig, Result, RunningModel } from '../../../src/system/types.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';
import { createTempHome, testConfig, type TempHome } from '../../helpers/temp-home.js';

type Sink = { text: string; write(t: string): boolean };
const sink = (): Sink => ({ text: '', write(t: string) { this.text += t; return true; } });
const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
const timeout = (): Promise<Result<never>> => Promise.resolve({ ok: false, error: { kind: 'timeout', message: 'llama-swap at http://x did not answer within 120 s' } });
const model = (id: string, state: string): RunningModel => ({ id, state, cmd: '', proxy: '', ttl: 0, name: '', description: '' });

/** llama-swap as the actions see it: `/running` before and after the slow call, and that call's answer. */
type Script = { before: RunningModel[]; after: RunningModel[]; unload?: () => Promise<Result<unknown>>; load?: () => Promise<Result<'ready' | 'started'>> | Promise<Result<never>> };

let home: TempHome;
let config: PluginConfig;
let out: Sink;
let err: Sink;
let waits: { call: string; ms: number | undefined }[];
let clientConfigs: PluginConfig[];

function client(s: Script): ActionClient {
  let slowDone = false;
  const running = (): Promise<Result<readonly RunningModel[]>> => ok(slowDone ? s.after : s.before);
  const slow = <T,>(call: string, ms: number | undefined, answer: () => Promise<Result<T>>): Promise<Result<T>> => {
    waits.push({ call, ms });
    slowDone = true;
    return answer();
  };
  return {
    models: () => ok(['qwen', 'llama'].map((id) => ({ id, name: '', description: '', loaded: undefined }))),
    running,
    unloadModel: (_id, ms) => slow('unloadModel', ms, s.unload ?? (() => ok(undefined))),
    unloadAll: (ms) => slow('unloadAll', ms, s.unload ?? (() => ok(undefined))),
    loadModel: (_id, ms) => slow('loadModel', ms, (s.load ?? (() => ok('ready' as const))) as () => Promise<Result<'ready' | 'started'>>),
    inflight: () => ok([]),
    cancelInflight: () => ok(undefined),
    profiles: () => ok({ active: null, profiles: [] }),
    setProfile: () => ok(undefined),
    health: () => ok(true),
  };
}

async function run(argv: string[], s: Script): Promise<number> {
  const c = client(s);
  const deps: CliDeps = {
    runner: createRecordingRunner(),
    fsRoot: home,
    platform: { name: 'linux', uid: 1000 },
    env: { PATH: '' },
    stdout: out,
    stderr: err,
    clientFactory: (cc) => { clientConfigs.push(cc); return c; },
    readConfig: () => ({ config, warnings: [] }),
  };
  return runCli(argv, deps);
}

beforeEach(() => {
  home = createTempHome();
  config = testConfig(home.home, { apiTimeoutMs: 1000 });
  out = sink();
  err = sink();
  waits = [];
  clientConfigs = [];
});
afterEach(() => home.remove());

describe('unload', () => {
  it('says what it waits for, waits with its own bound, and lookups use the action timeout', async () => {
    expect(await run(['do_unload_model', 'qwen'], { before: [model('qwen', 'ready')], after: [] })).toBe(0);
    expect(out.text).toBe(`Unloading "qwen"… (waiting for llama-swap to stop it, up to 2 min)\nunloaded model "qwen"\n`);
    expect(waits).toEqual([{ call: 'unloadModel', ms: ACTION_WAIT_MS.unload }]);
    expect(clientConfigs.map((c) => c.apiTimeoutMs)).toEqual([ACTION_WAIT_MS.lookup]);
    const final = await readLastAction(config.cacheDir);
    expect(final).toMatchObject({ ok: true, message: 'unloaded model "qwen"' });
    expect(final?.pendingUntil).toBeUndefined();
  });

  it('a wait that runs out while /running no longer lists the model is a success', async () => {
    expect(await run(['do_unload_model', 'qwen'], { before: [model('qwen', 'ready')], after: [model('qwen', 'stopped')], unload: timeout })).toBe(0);
    expect(err.text).toBe('');
    expect(await readLastAction(config.cacheDir)).toMatchObject({ ok: true, message: 'unloaded model "qwen"' });
  });

  it('a wait that runs out while the model is still listed is a failure that says so', async () => {
    expect(await run(['do_unload_model', 'qwen'], { before: [model('qwen', 'ready')], after: [model('qwen', 'stopping')], unload: timeout })).toBe(1);
    expect(err.text).toContain('could not unload "qwen": after 2 min llama-swap still lists "qwen" (stopping)');
  });

  it('do_unload: the same check over every model', async () => {
    expect(await run(['do_unload'], { before: [], after: [], unload: timeout })).toBe(0);
    expect(out.text).toContain('Unloading every model… (waiting for llama-swap to stop them, up to 2 min)');
    expect(await run(['do_unload'], { before: [], after: [model('llama', 'stopping')], unload: timeout })).toBe(1);
    expect(err.text).toContain('could not unload models: after 2 min llama-swap still lists "llama" (stopping)');
  });

  it('another error is reported as llama-swap gave it, without a second guess', async () => {
    const refused = (): Promise<Result<never>> => Promise.resolve({ ok: false, error: { kind: 'unreachable', message: 'llama-swap at http://x refused the connection' } as ApiError });
    expect(await run(['do_unload_model', 'qwen'], { before: [model('qwen', 'ready')], after: [], unload: refused })).toBe(1);
    expect(err.text).toContain('could not unload "qwen": llama-swap at http://x refused the connection');
  });
});

describe('load', () => {
  it('waits until llama-swap answers that the model is ready', async () => {
    expect(await run(['do_load_model', 'llama'], { before: [], after: [model('llama', 'ready')] })).toBe(0);
    expect(out.text).toBe('Loading "llama"… (waiting for llama-swap to start it, up to 10 min)\nloaded model "llama"\n');
    expect(waits).toEqual([{ call: 'loadModel', ms: ACTION_WAIT_MS.load }]);
  });

  it('still loading when the wait ends: a failure naming the state; ready by then: a success', async () => {
    expect(await run(['do_load_model', 'llama'], { before: [], after: [model('llama', 'starting')], load: () => ok('started' as const) })).toBe(1);
    expect(err.text).toContain('could not load "llama": not ready within 10 min; llama-swap lists it as starting');
    expect(await run(['do_load_model', 'llama'], { before: [], after: [model('llama', 'ready')], load: () => ok('started' as const) })).toBe(0);
  });

  it('an upstream without /health that llama-swap lists as ready is loaded; a 502 with the model stopped is llama-swap\'s reason', async () => {
    const noHealth = (): Promise<Result<never>> => Promise.resolve({ ok: false, error: { kind: 'not-supported', status: 404, message: 'not supported by this llama-swap version (404)' } });
    expect(await run(['do_load_model', 'llama'], { before: [], after: [model('llama', 'ready')], load: noHealth })).toBe(0);
    const failed = (): Promise<Result<never>> => Promise.resolve({ ok: false, error: { kind: 'http', status: 502, message: 'llama-swap answered HTTP 502: upstream command exited prematurely' } });
    expect(await run(['do_load_model', 'llama'], { before: [], after: [], load: failed })).toBe(1);
    expect(err.text).toContain('could not load "llama": llama-swap answered HTTP 502: upstream command exited prematurely');
  });
});

describe('the pending record', () => {
  it('is written before the wait, with when it ends, and the result follows it with a later time', async () => {
    const at = 1_700_000_000_000;
    let seenPending: LastAction | null = null;
    const s: Script = { before: [model('qwen', 'ready')], after: [], unload: async () => { seenPending = await readLastAction(config.cacheDir); return { ok: true, value: undefined }; } };
    const c = client(s);
    const code = await runCli(['do_unload_model', 'qwen'], {
      runner: createRecordingRunner(), fsRoot: home, platform: { name: 'linux', uid: 1000 }, env: { PATH: '' }, stdout: out, stderr: err,
      clientFactory: () => c, readConfig: () => ({ config, warnings: [] }), now: () => at,
    });
    expect(code).toBe(0);
    expect(seenPending).toMatchObject({ ok: true, at, pendingUntil: at + ACTION_WAIT_MS.unload, message: 'Unloading "qwen"… (waiting for llama-swap to stop it, up to 2 min)' });
    // Same clock reading, yet a later record: the menu takes only records newer than the last.
    expect((await readLastAction(config.cacheDir))?.at).toBe(at + 1);
  });
});
