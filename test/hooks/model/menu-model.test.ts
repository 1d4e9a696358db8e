import { describe, expect, it } from 'vitest';
import * as fx from '../../../src/components/fixtures/menu-models.js';
import type { MenuModel } from '../../../src/components/model.js';
import { History } from '../../../src/hooks/history/history.js';
import { buildMenuModel, uiUrlOf, type MenuModelInput } from '../../../src/hooks/model/menu-model.js';
import { INSTALL_DOCS_URL } from '../../../src/hooks/model/menu-problems.js';
import { shownRunning } from '../../../src/hooks/use-menu-model.js';
import type { ApiError, PluginConfig, Result, RunningModel, ServiceView } from '../../../src/system/types.js';
import { testConfig } from '../../helpers/temp-home.js';

const config: PluginConfig = testConfig('/home/u', { apiUrl: 'http://127.0.0.1:45786', cacheDir: '/tmp/cache', appearance: 'dark' });

const runningService: ServiceView = {
  platform: 'macos',
  manager: 'launchagent',
  installed: true,
  loaded: true,
  pid: 4242,
  binaryPath: '/opt/homebrew/bin/llama-swap',
  configPath: config.configFilePath,
  configExists: true,
  logPath: config.logFilePath,
};

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const fail = (kind: ApiError['kind'], message: string = kind): Result<never> => ({ ok: false, error: { kind, message } });
const run = (id: string, state: string): RunningModel => ({ id, state, cmd: 'llama-server', proxy: 'http://127.0.0.1:5800', ttl: 0, name: '', description: '' });
const metric = (processing: number, deferred: number) => ({ status: 'ok' as const, promptTps: 300, genTps: 42, processing, deferred, requestsServed: 7 });

function input(over: Partial<MenuModelInput> = {}): MenuModelInput {
  return {
    config,
    configWarnings: [],
    running: ok([]),
    models: ok([
      { id: 'a', name: 'Model A', description: 'first', loaded: undefined },
      { id: 'b', name: 'Model B', description: '', loaded: undefined },
    ]),
    profiles: fail('not-supported'),
    metrics: {},
    host: null,
    processes: null,
    service: runningService,
    history: new History({ capacity: 10 }).snapshot(),
    historyWarning: null,
    invoker: { executable: '/bin/plugin', leadingArgs: [] },
    lastAction: null,
    now: 123,
    ...over,
  };
}

describe('buildMenuModel status', () => {
  it('is grey empty when llama-swap answers with nothing loaded, listing configured models as idle', () => {
    const m = buildMenuModel(input());
    expect(m.status).toBe('empty');
    expect(m.idleModels.map((x) => x.id)).toEqual(['a', 'b']);
    expect(m.problems).toEqual([]);
    expect(m.updatedAt).toBe(123);
  });

  it('is green ready when models are ready and idle', () => {
    const m = buildMenuModel(input({ running: ok([run('a', 'ready')]), metrics: { a: metric(0, 0) } }));
    expect(m.status).toBe('ready');
    expect(m.models[0]).toMatchObject({ id: 'a', name: 'Model A', description: 'first', genTps: 42, processing: 0, metricsStatus: 'ok' });
    expect(m.idleModels.map((x) => x.id)).toEqual(['b']);
  });

  it('is blue processing when a model has processing or deferred requests', () => {
    expect(buildMenuModel(input({ running: ok([run('a', 'ready')]), metrics: { a: metric(1, 0) } })).status).toBe('processing');
    expect(buildMenuModel(input({ running: ok([run('a', 'ready')]), metrics: { a: metric(0, 2) } })).status).toBe('processing');
  });

  it('is yellow starting while a model starts or stops, even when another one is busy', () => {
    for (const state of ['starting', 'stopping', 'shutdown']) {
      const m = buildMenuModel(input({ running: ok([run('a', 'ready'), run('b', state)]), metrics: { a: metric(3, 0) } }));
      expect(m.status).toBe('starting');
      expect(m.models.find((x) => x.id === 'b')?.metricsStatus).toBe('not-ready');
    }
  });

  it('ignores stopped entries of /running and metrics of non-ready models', () => {
    const m = buildMenuModel(input({ running: ok([run('a', 'stopped'), run('b', 'starting')]), metrics: { b: metric(5, 5) } }));
    expect(m.models.map((x) => x.id)).toEqual(['b']);
    expect(m.models[0]?.processing).toBeNull();
    expect(m.idleModels.map((x) => x.id)).toEqual(['a']);
  });

  it('is unauthorized on 401 and says how to set the key', () => {
    const m = buildMenuModel(input({ running: fail('unauthorized', '401 unauthorized') }));
    expect(m.status).toBe('unauthorized');
    expect(m.apiError?.kind).toBe('unauthorized');
    expect(m.problems[0]?.message).toMatch(/run install-plugin with LLAMA_SWAP_API_KEY set/);
    const wrong = buildMenuModel(input({ config: { ...config, apiKey: 'k' }, running: fail('unauthorized') }));
    expect(wrong.problems[0]?.message).toMatch(/refused the API key/);
    expect(JSON.stringify(wrong)).not.toContain('"k"');
  });

  it('is unreachable when the service runs but the API does not answer, with a restart fix', () => {
    const m = buildMenuModel(input({ running: fail('timeout', 'no answer within 1 s') }));
    expect(m.status).toBe('unreachable');
    expect(m.problems).toEqual([
      expect.objectContaining({ id: 'api-unreachable', severity: 'error', fix: expect.objectContaining({ action: 'do_restart' }) }),
    ]);
    expect(m.problems[0]?.message).toContain('no answer within 1 s');
  });

  it('is unreachable without a fix when llama-swap is not managed (run by hand, Linux)', () => {
    const service: ServiceView = { ...runningService, platform: 'linux', manager: 'none', installed: false, loaded: false, pid: null };
    const m = buildMenuModel(input({ running: fail('unreachable'), service }));
    expect(m.status).toBe('unreachable');
    expect(m.problems[0]?.fix).toBeUndefined();
  });

  it('is red stopped when the installed service is not running, offering to start it', () => {
    const m = buildMenuModel(input({ running: fail('unreachable'), service: { ...runningService, pid: null, loaded: false } }));
    expect(m.status).toBe('stopped');
    expect(m.problems.map((p) => [p.id, p.fix?.action])).toEqual([['service-stopped', 'do_start']]);
  });

  it('is stopped when the LaunchAgent is not installed, offering install_service', () => {
    const service: ServiceView = { ...runningService, manager: 'none', installed: false, loaded: false, pid: null };
    const m = buildMenuModel(input({ running: fail('unreachable'), service }));
    expect(m.status).toBe('stopped');
    expect(m.problems.map((p) => [p.id, p.fix?.action])).toEqual([['service-not-installed', 'install_service']]);
  });

  it('is stopped when the binary or the configuration is missing, saying what fixes it', () => {
    const service: ServiceView = { ...runningService, manager: 'none', installed: false, loaded: false, pid: null, binaryPath: null, configExists: false };
    const refused = 'llama-swap at http://127.0.0.1:45786 refused the connection';
    const m = buildMenuModel(input({ running: fail('unreachable', refused), service }));
    expect(m.status).toBe('stopped');
    // What failed first, installation advice second.
    expect(m.problems.map((p) => p.id)).toEqual(['api-unreachable', 'binary-missing', 'config-missing']);
    expect(m.problems[0]?.message).toBe(`${refused}.`);
    expect(m.problems[1]?.href).toBe(INSTALL_DOCS_URL);
    expect(m.problems[2]?.fix?.action).toBe('edit_config');
    expect(m.problems[2]?.message).toContain('/home/u/.llamaswap/config.yaml');
    const timedOut = buildMenuModel(input({ running: fail('timeout', 'llama-swap at http://127.0.0.1:45786 did not answer within 3 s'), service }));
    expect(timedOut.problems[0]?.message).toMatch(/did not answer within 3 s/);
  });

  it('never says "not installed" while llama-swap runs from a folder on no PATH (its process is listed)', () => {
    const service: ServiceView = { ...runningService, manager: 'none', installed: false, loaded: false, pid: null, binaryPath: null };
    const processes = { llamaSwap: { pid: 77, cpuPercent: 1, rssBytes: 5e7, executable: '/Users/me/llama/llama-swap' }, models: {} };
    const m = buildMenuModel(input({ running: fail('unreachable', 'llama-swap at http://127.0.0.1:45786 refused the connection'), service, processes }));
    expect(m.problems.map((p) => p.id)).toEqual(['api-unreachable']);
    expect(m.problems.some((p) => /not installed/.test(p.message))).toBe(false);
    // It runs and does not answer: not "stopped".
    expect(m.status).toBe('unreachable');
  });

  it('never says "not installed" while launchd runs a llama-swap job whose program is on no PATH', () => {
    const service: ServiceView = { ...runningService, binaryPath: null };
    const m = buildMenuModel(input({ running: fail('unreachable'), service }));
    expect(m.problems.map((p) => [p.id, p.fix?.action])).toEqual([['api-unreachable', 'do_restart']]);
    expect(m.status).toBe('unreachable');
  });

  it('treats a remote llama-swap as unreachable whatever this machine has', () => {
    const service: ServiceView = { ...runningService, manager: 'none', installed: false, pid: null, binaryPath: null };
    const remote = { ...config, apiUrl: 'http://gpu-box.local:45786' };
    const m = buildMenuModel(input({ config: remote, running: fail('unreachable'), service }));
    expect(m.status).toBe('unreachable');
    expect(m.problems.map((p) => p.id)).toEqual(['api-unreachable']);
  });

  it('reports a garbage answer as an API error, not as stopped', () => {
    const m = buildMenuModel(input({ running: fail('invalid-response', 'not JSON') }));
    expect(m.status).toBe('unreachable');
    expect(m.problems[0]?.id).toBe('api-error');
  });

  it('claims nothing before the first answer: connecting, no problems, service unknown', () => {
    const m = buildMenuModel(input({ running: undefined, models: undefined, service: null }));
    expect(m.status).toBe('connecting');
    expect(m.problems).toEqual([]);
    expect(m.service).toBeNull();
  });

  it('marks a ready model without a scrape yet as pending, not unavailable', () => {
    const m = buildMenuModel(input({ running: ok([run('a', 'ready')]), metrics: {} }));
    expect(m.models[0]?.metricsStatus).toBe('pending');
  });

  it('flags a llama-swap on another machine as remote', () => {
    expect(buildMenuModel(input({})).remote).toBe(false);
    expect(buildMenuModel(input({ config: { ...config, apiUrl: 'http://studio.local:8080' } })).remote).toBe(true);
  });
});

describe('title and body come from the same state', () => {
  it('shows no "refused" under a title that says llama-swap runs (a list refused while it was down)', () => {
    const refused = 'llama-swap at http://127.0.0.1:45786 refused the connection';
    const m = buildMenuModel(input({ running: ok([]), models: fail('unreachable', refused) }));
    expect(m.status).toBe('empty');
    expect(m.problems.filter((p) => /refused/.test(p.message))).toEqual([]);
  });

  it('still says a list that llama-swap itself could not give (too large, garbage)', () => {
    const m = buildMenuModel(input({ running: ok([]), models: fail('invalid-response', 'not JSON') }));
    expect(m.problems.map((p) => p.id)).toEqual(['models-list']);
  });
});

describe('buildMenuModel details', () => {
  it('warns about disabled metrics, config warnings and an ignored history file', () => {
    const m = buildMenuModel(
      input({
        running: ok([run('a', 'ready')]),
        metrics: { a: { status: 'disabled', promptTps: null, genTps: null, processing: null, deferred: null, requestsServed: null } },
        configWarnings: [{ variable: 'LLAMA_SWAP_API_PORT', value: 'abc', message: 'not a port; using 45786' }],
        historyWarning: 'History file ignored: it is not valid JSON (corrupt or truncated).',
      }),
    );
    expect(m.models[0]?.metricsStatus).toBe('disabled');
    expect(m.problems.map((p) => [p.id, p.severity])).toEqual([
      ['metrics-disabled:a', 'warning'],
      ['config:LLAMA_SWAP_API_PORT', 'warning'],
      ['history-file', 'warning'],
    ]);
    expect(m.problems[0]?.message).toContain('--metrics');
  });

  it("never shows one machine's system history beside another's figures (the source just changed)", () => {
    const h = new History({ capacity: 5 });
    h.record({ at: 1, system: { cpuPercent: 90, memUsedBytes: 58e9, gpuUtilPercent: null, gpuMemUsedBytes: null }, systemSource: 'llama-swap', models: {} });
    const host = { timestamp: 2, cpuPercent: 5, cpuPerCore: [5], memUsedBytes: 1e9, memTotalBytes: 24e9, swapUsedBytes: 0, swapTotalBytes: 0, loadAvg1: 0, gpus: [] };
    const local = buildMenuModel(input({ running: ok([]), host: { ...host, source: 'local' }, history: h.snapshot() }));
    expect(local.system?.history).toEqual({ cpuPercent: [], memUsedBytes: [], gpuUtilPercent: [], gpuMemUsedBytes: [] });
    const same = buildMenuModel(input({ running: ok([]), host: { ...host, source: 'llama-swap' }, history: h.snapshot() }));
    expect(same.system?.history.memUsedBytes).toEqual([58e9]);
  });

  it('maps host stats, process stats, history and profiles', () => {
    const h = new History({ capacity: 5 });
    h.record({ at: 1, system: { cpuPercent: 12, memUsedBytes: 3, gpuUtilPercent: 40, gpuMemUsedBytes: 9 }, systemSource: 'llama-swap', models: { a: { genTps: 42, promptTps: 1, memoryBytes: 2, queue: 0 } } });
    const m = buildMenuModel(
      input({
        running: ok([run('a', 'ready')]),
        metrics: { a: metric(0, 0) },
        host: {
          source: 'llama-swap', timestamp: 1, cpuPercent: 12, cpuPerCore: [12], memUsedBytes: 3, memTotalBytes: 16, swapUsedBytes: 0, swapTotalBytes: 1, loadAvg1: 0.5,
          gpus: [{ name: 'Apple M1 Pro (16-core GPU)', utilPercent: 40, memUsedBytes: 9, memTotalBytes: 32, tempC: null, powerW: null }],
        },
        processes: { llamaSwap: { pid: 10, cpuPercent: 1, rssBytes: 50 }, models: { a: { pid: 11, cpuPercent: 90, rssBytes: 4e9 } } },
        history: h.snapshot(),
        profiles: ok({ active: 'p1', profiles: [{ id: 'p1', description: 'fast', pins: {} }] }),
        lastAction: { ok: true, message: 'Unloaded a' },
      }),
    );
    expect(m.system).toMatchObject({ source: 'llama-swap', cpuPercent: 12, gpu: { name: 'Apple M1 Pro (16-core GPU)', utilPercent: 40 }, llamaSwapProcess: { pid: 10 } });
    expect(m.system?.history.cpuPercent).toEqual([12]);
    expect(m.models[0]).toMatchObject({ memoryBytes: 4e9, cpuPercent: 90, requestsServed: 7 });
    expect(m.models[0]?.history.genTps).toEqual([42]);
    expect(m.profiles).toEqual({ active: 'p1', pins: [], available: [{ id: 'p1', description: 'fast' }] });
    expect(m.lastAction).toEqual({ ok: true, message: 'Unloaded a' });
    expect(m.chart).toEqual({ width: 60, height: 20 });
  });

  it('keeps the last good rates but drops the live queue when a scrape fails', () => {
    const m = buildMenuModel(input({ running: ok([run('a', 'ready')]), metrics: { a: { ...metric(2, 2), status: 'unavailable', genTps: null, promptTps: null, lifetimeGenTps: 41 } } }));
    expect(m.models[0]).toMatchObject({ metricsStatus: 'unavailable', genTps: null, processing: null, deferred: null, lifetime: { genTps: 41, promptTps: null } });
    expect(m.status).toBe('ready');
  });

  it('builds the web UI address', () => {
    expect(uiUrlOf('http://127.0.0.1:45786', 45786)).toBe('http://127.0.0.1:45786/ui/');
    expect(uiUrlOf('http://127.0.0.1', 8080)).toBe('http://127.0.0.1:8080/ui/');
    expect(uiUrlOf('not a url', 8080)).toBe('http://127.0.0.1:8080/ui/');
  });
});

describe('shownRunning', () => {
  const good = { value: ok([run('a', 'ready')]) };
  const down = { value: fail('timeout') };
  const refused = { value: fail('unauthorized') };
  it('holds the first failure after a good answer, not the second, never a 401', () => {
    expect(shownRunning(down, good, 1)).toBe(good);
    expect(shownRunning(down, good, 2)).toBe(down);
    expect(shownRunning(refused, good, 0)).toBe(refused);
    expect(shownRunning(down, undefined, 1)).toBe(down);
    expect(shownRunning(good, good, 0)).toBe(good);
  });
});

describe('problem fixtures', () => {
  // The stories render hand-written MenuModels; this keeps their problems what the builder really says.
  const at8080 = { ...config, apiUrl: 'http://127.0.0.1:8080', apiPort: 8080 };
  const cases: readonly [string, MenuModel, Partial<MenuModelInput>][] = [
    ['stopped', fx.stopped, { running: fail('unreachable', 'llama-swap at http://127.0.0.1:8080 refused the connection') }],
    ['notInstalled', fx.notInstalled, { running: fail('unreachable', 'llama-swap at http://127.0.0.1:8080 refused the connection') }],
    ['binaryMissing', fx.binaryMissing, { running: fail('unreachable', 'llama-swap at http://127.0.0.1:8080 refused the connection') }],
    ['configMissing', fx.configMissing, { running: fail('unreachable', 'llama-swap at http://127.0.0.1:8080 refused the connection') }],
    ['unreachable', fx.unreachable, { running: fail('timeout', 'llama-swap at http://127.0.0.1:8080 did not answer within 3 s') }],
    ['unauthorized', fx.unauthorized, { running: fail('unauthorized', 'HTTP 401') }],
  ];
  it.each(cases)('%s matches buildProblems', (_name, fixture, over) => {
    const m = buildMenuModel(input({ config: at8080, service: fixture.service, ...over }));
    expect(m.problems).toEqual(fixture.problems);
    expect(m.status).toBe(fixture.status);
  });
});

describe('an API that answers, but not as llama-swap', () => {
  it('says HTTP 502 once, with what to check and the log as the fix', () => {
    const m = buildMenuModel(input({ running: fail('http', 'llama-swap answered HTTP 502: Bad Gateway') }));
    const p = m.problems.find((x) => x.id === 'api-error');
    expect(p?.message).toBe("llama-swap answered HTTP 502: Bad Gateway. Check that llama-swap itself listens there (not a proxy or another program) and read its log.");
    expect(p?.message.match(/llama-swap answered/g)).toHaveLength(1);
    expect(p?.fix).toEqual({ label: "View llama-swap's log", action: 'view_logs' });
  });

  it('names an unreadable answer once for a remote llama-swap, with no local log to open', () => {
    const m = buildMenuModel(input({ config: { ...config, apiUrl: 'http://10.0.0.5' }, running: fail('invalid-response', 'llama-swap sent an unreadable answer to /running') }));
    const p = m.problems.find((x) => x.id === 'api-error');
    expect(p?.message).toMatch(/^llama-swap sent an unreadable answer to \/running\. Check that llama-swap itself answers there .* on that machine\.$/);
    expect(p?.fix).toBeUndefined();
  });
});
