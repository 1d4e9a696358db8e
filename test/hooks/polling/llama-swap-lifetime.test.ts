/**
 * A restarted llama-swap is another instance: its activity ids start again at 1 (in-memory store)
 * and its totals are its own. The poll sources must not carry the old instance's cursor, totals,
 * last request or rate windows into the new one, and must not forget them on a mere reconnect.
 */
import { describe, expect, it } from 'vitest';
import { createPollSources } from '../../../src/hooks/polling/poll-sources.js';
import type { ProcessView } from '../../../src/hooks/model/menu-input.js';
import type { ServiceView } from '../../../src/system/types.js';
import { StoreApi } from '../helpers/store-api.js';
import { running } from '../helpers/fake-api.js';
import { SERVICE, testDeps } from '../helpers/test-deps.js';

function setup(over: { processStats?: () => Promise<ProcessView | null>; detectService?: () => Promise<ServiceView> } = {}) {
  const api = new StoreApi();
  api.runningResult = { ok: true, value: [running('m', 'ready')] };
  const sources = createPollSources(testDeps(api, '/tmp/unused', over), { m: { samples: [], lastPromptTps: 9, lastGenTps: 9, served: 4, inSystem: 0 } });
  return { api, sources };
}

const served = async (sources: ReturnType<typeof setup>['sources']) => (await sources.activity(['m'])).value?.['m'];

describe('a restarted llama-swap starts its counts afresh', () => {
  it('after /running failed and answered again, the new instance counts from 1 (not 6 + 1)', async () => {
    const { api, sources } = setup();
    await sources.running();
    for (const tokens of [100, 200, 300, 400, 500, 600]) api.add('m', tokens);
    expect(await served(sources)).toMatchObject({ served: 6, outputTokens: 2100 });

    api.down();
    await sources.running();
    api.restart();
    api.runningResult = { ok: true, value: [running('m', 'ready')] };
    await sources.running();
    api.add('m', 50, 500);
    const after = await served(sources);
    expect(after).toMatchObject({ served: 1, inputTokens: 10, outputTokens: 50 });
    expect(after?.last.outputTps).toBe(100);
  });

  it('before the new instance served anything, the old totals and last request are gone', async () => {
    const { api, sources } = setup();
    await sources.running();
    for (const tokens of [100, 200, 300]) api.add('m', tokens);
    expect((await served(sources))?.served).toBe(3);
    api.down();
    await sources.running();
    api.restart();
    api.runningResult = { ok: true, value: [running('m', 'ready')] };
    await sources.running();
    const after = await served(sources);
    expect(after?.served).toBe(0);
    expect(after?.last.outputTps ?? null).toBeNull();
  });

  it('sees a restart that already served more requests than the cursor (another request at its id)', async () => {
    const { api, sources } = setup();
    await sources.running();
    api.add('m', 100);
    api.add('m', 200);
    expect((await served(sources))?.served).toBe(2);
    api.down();
    await sources.running();
    api.restart();
    for (const tokens of [7, 8, 9]) api.add('m', tokens);
    api.runningResult = { ok: true, value: [running('m', 'ready')] };
    await sources.running();
    expect(await served(sources)).toMatchObject({ served: 3, outputTokens: 24 });
  });

  it("sees a restart by llama-swap's pid changing, with no failed poll in between", async () => {
    let pid = 100;
    const { api, sources } = setup({ processStats: () => Promise.resolve({ llamaSwap: { pid, cpuPercent: 0, rssBytes: 1 }, models: {} }) });
    await sources.running();
    await sources.processes();
    for (const tokens of [1, 2, 3, 4]) api.add('m', tokens);
    expect((await served(sources))?.served).toBe(4);
    api.restart();
    for (const tokens of [1, 2, 3, 4, 5]) api.add('m', tokens * 10);
    expect(sources.rateStates.has('m')).toBe(true);
    pid = 200;
    await sources.processes();
    expect(await served(sources)).toMatchObject({ served: 5, outputTokens: 150 });
    // The rate window of the old instance's llama-server is gone with it.
    expect(sources.rateStates.has('m')).toBe(false);
  });

  it('keeps everything when the same llama-swap answers again (a blip, or a store kept on disk)', async () => {
    const { api, sources } = setup();
    await sources.running();
    for (const tokens of [100, 200]) api.add('m', tokens);
    expect((await served(sources))?.served).toBe(2);
    api.down();
    await sources.running();
    api.runningResult = { ok: true, value: [running('m', 'ready')] };
    await sources.running();
    api.add('m', 300);
    expect(await served(sources)).toMatchObject({ served: 3, outputTokens: 600 });
    // Only the newest rows were asked without the cursor (the check), then rows after it.
    expect(api.asked).toEqual([null, null, 2]);
  });
});

describe("llama-swap's program is found through its process", () => {
  it('gives the service view the executable of the llama-swap seen running, also after it exited', async () => {
    let view: ProcessView | null = { llamaSwap: { pid: 7, cpuPercent: 0, rssBytes: 1, executable: '/Users/me/tools/llama swap/llama-swap' }, models: {} };
    const { sources } = setup({ processStats: () => Promise.resolve(view), detectService: () => Promise.resolve({ ...SERVICE, binaryPath: null }) });
    expect((await sources.service()).value?.binaryPath).toBeNull();
    await sources.processes();
    expect((await sources.service()).value?.binaryPath).toBe('/Users/me/tools/llama swap/llama-swap');
    view = { llamaSwap: null, models: {} };
    await sources.processes();
    expect((await sources.service()).value?.binaryPath).toBe('/Users/me/tools/llama swap/llama-swap');
  });
});
