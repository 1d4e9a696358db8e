/** Reading failed-start reasons: /logs first, newer llama-swap's proxy log stream after, one read at a time. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReasonReader, READ_GAP_MS, type ReasonLogs, type ReasonReaderOptions } from '../../../src/hooks/polling/start-reasons.js';
import type { Result } from '../../../src/system/types.js';

const line = (id: string, why: string): string => `[WARN] local: starting ${id} failed: ${why}\n`;
const ok = (text: string): Result<string> => ({ ok: true, value: text });
const notFound: Result<string> = { ok: false, error: { kind: 'not-supported', status: 404, message: '404' } };

/** A log endpoint whose answers the test releases one by one. */
function gate(): { fn: () => Promise<Result<string>>; calls: number; answer(r: Result<string>): void } {
  const waiting: ((r: Result<string>) => void)[] = [];
  const g = {
    calls: 0,
    fn: () => {
      g.calls += 1;
      return new Promise<Result<string>>((resolve) => waiting.push(resolve));
    },
    answer: (r: Result<string>) => waiting.shift()?.(r),
  };
  return g;
}

/** A reader over `api`; reads follow each other at once unless `options` says otherwise. */
function collect(api: ReasonLogs, options: ReasonReaderOptions = { minGapMs: 0 }): { reader: ReturnType<typeof createReasonReader>; got: Map<string, string | null>; next(): Promise<void> } {
  const got = new Map<string, string | null>();
  let wake: (() => void) | null = null;
  const reader = createReasonReader(api, (id, reason) => {
    got.set(id, reason);
    wake?.();
  }, options);
  return { reader, got, next: () => new Promise<void>((r) => (wake = r)) };
}

describe('createReasonReader', () => {
  it('takes the reason from /logs when it is there (pinned llama-swap), without the log stream', async () => {
    const logs = gate();
    const proxy = gate();
    const c = collect({ logs: logs.fn, proxyLog: proxy.fn });
    const got = c.next();
    c.reader.request('a');
    logs.answer(ok(line('a', 'exit status 1')));
    await got;
    expect(c.got.get('a')).toBe('exit status 1');
    expect(proxy.calls).toBe(0);
  });

  it('reads the proxy log stream (newer llama-swap) for reasons /logs lacks', async () => {
    const logs = gate();
    const proxy = gate();
    const c = collect({ logs: logs.fn, proxyLog: proxy.fn });
    const got = c.next();
    c.reader.request('a');
    logs.answer(notFound);
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    proxy.answer(ok(`noise\n${line('a', 'model file not found')}`));
    await got;
    expect(c.got.get('a')).toBe('model file not found');
  });

  it('keeps one read in flight: models failing meanwhile are read together by one more read', async () => {
    const logs = gate();
    const c = collect({ logs: logs.fn });
    c.reader.request('a');
    c.reader.request('b');
    c.reader.request('c');
    expect(logs.calls).toBe(1);
    let got = c.next();
    logs.answer(ok(line('a', 'one')));
    await got;
    await new Promise((r) => setImmediate(r));
    expect(logs.calls).toBe(2);
    got = c.next();
    logs.answer(ok(line('b', 'two') + line('c', 'three')));
    await got;
    await new Promise((r) => setImmediate(r));
    expect([...c.got]).toEqual([['a', 'one'], ['b', 'two'], ['c', 'three']]);
    expect(logs.calls).toBe(2);
  });

  it('asks an older llama-swap for the log stream once: after its 404, /logs alone', async () => {
    const proxy = gate();
    const logs = gate();
    const c = collect({ logs: logs.fn, proxyLog: proxy.fn });
    let got = c.next();
    c.reader.request('a');
    logs.answer(ok(''));
    await new Promise((r) => setImmediate(r));
    proxy.answer(notFound);
    await got;
    expect(c.got.get('a')).toBeNull();
    got = c.next();
    c.reader.request('b');
    logs.answer(ok(''));
    await got;
    expect(proxy.calls).toBe(1);
  });

  it('reports nothing after stop', async () => {
    const logs = gate();
    const c = collect({ logs: logs.fn });
    c.reader.request('a');
    c.reader.stop();
    logs.answer(ok(line('a', 'late')));
    await new Promise((r) => setImmediate(r));
    expect(c.got.size).toBe(0);
  });

  describe('under a storm of failed starts', () => {
    afterEach(() => vi.useRealTimers());

    it('starts one read per READ_GAP_MS, the failures meanwhile read together by the next one', async () => {
      vi.useFakeTimers();
      let now = 0;
      const logs = gate();
      const c = collect({ logs: logs.fn }, { clock: () => now });
      c.reader.request('a');
      expect(logs.calls).toBe(1);
      let got = c.next();
      logs.answer(ok(line('a', 'one')));
      await got;
      // A thousand failures while the gap runs: no read until it has passed.
      for (let i = 0; i < 1000; i++) c.reader.request(i % 2 === 0 ? 'a' : 'b');
      await vi.advanceTimersByTimeAsync(READ_GAP_MS - 1);
      now = READ_GAP_MS - 1;
      expect(logs.calls).toBe(1);
      now = READ_GAP_MS;
      await vi.advanceTimersByTimeAsync(1);
      expect(logs.calls).toBe(2);
      got = c.next();
      logs.answer(ok(line('a', 'two') + line('b', 'three')));
      await got;
      await vi.advanceTimersByTimeAsync(READ_GAP_MS * 3);
      expect(logs.calls).toBe(2);
      expect([...c.got]).toEqual([['a', 'two'], ['b', 'three']]);
    });

    it('is not postponed by a clock that jumps back', async () => {
      vi.useFakeTimers();
      let now = 1_000_000;
      const logs = gate();
      const c = collect({ logs: logs.fn }, { clock: () => now });
      c.reader.request('a');
      const got = c.next();
      logs.answer(ok(''));
      await got;
      now -= 600_000;
      c.reader.request('a');
      await vi.advanceTimersByTimeAsync(READ_GAP_MS);
      expect(logs.calls).toBe(2);
    });
  });
});
