/** SWR polls in Node under our renderer, and why dedupingInterval must be 0. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import useSWR from 'swr';
import { NODE_SWR_CONFIG } from '../../src/hooks/swr-node-config.js';
import { renderHook, settle, type HookHandle } from './helpers/render-hook.js';

let handle: HookHandle<unknown> | null = null;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  handle?.unmount();
  handle = null;
  vi.useRealTimers();
});

async function pollsIn(ms: number, options: { readonly refreshInterval: number; readonly dedupingInterval?: number }): Promise<number> {
  let calls = 0;
  const fetcher = (): Promise<number> => Promise.resolve(++calls);
  handle = renderHook(() => useSWR('k', fetcher, options).data);
  for (let t = 0; t < ms; t += 100) {
    await vi.advanceTimersByTimeAsync(100);
    await settle(2);
  }
  return calls;
}

describe('SWR in Node', () => {
  it('is in "server" mode here (no window) and still polls every refreshInterval', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const calls = await pollsIn(10_000, { refreshInterval: 1000 });
    // One request at mount, then one per second.
    expect(calls).toBeGreaterThanOrEqual(10);
    expect(calls).toBeLessThanOrEqual(11);
  });

  it("would halve a 1 s poll with SWR's default 2 s dedupingInterval", async () => {
    // renderHook applies NODE_SWR_CONFIG through MenuDataProvider; only the dedupe window differs.
    expect(NODE_SWR_CONFIG.dedupingInterval).toBe(0);
    const calls = await pollsIn(10_000, { refreshInterval: 1000, dedupingInterval: 2000 });
    expect(calls).toBeLessThanOrEqual(6);
  });
});
