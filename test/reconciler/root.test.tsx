import { useState, type ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Item, Title } from '../../src/components/primitives/index.js';
import { parseFrame } from '../../src/reconciler/parse.js';
import { createMenuRoot, ERROR_TITLE, type MenuRootOptions } from '../../src/reconciler/root.js';
import { FakeStdout } from '../helpers/fake-stdout.js';

const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean): Promise<void> {
  while (!check()) await settle(5);
}

function setup(extra: Partial<MenuRootOptions> = {}) {
  const stdout = new FakeStdout();
  const fatal: unknown[] = [];
  const root = createMenuRoot({ stdout, mode: 'stream', appearance: 'light', onFatal: (e) => fatal.push(e), ...extra });
  return { stdout, root, fatal };
}

let setCount: (n: number) => void = () => undefined;
function Counter(): ReactElement {
  const [count, set] = useState(0);
  setCount = set;
  return (
    <>
      <Title>n={count}</Title>
      <Item>static</Item>
    </>
  );
}

describe('createMenuRoot (stream)', () => {
  it('writes one frame plus ~~~ per write, and coalesces a burst of commits into one frame', async () => {
    const { stdout, root } = setup({ coalesceMs: 60 });
    root.render(<Counter />);
    await root.firstFrame;
    expect(stdout.frames).toHaveLength(1);
    expect(stdout.writes[0]?.endsWith('\n~~~\n')).toBe(true);

    // The coalescing delay runs on a clock the test moves: each commit is awaited (React's
    // scheduler keeps its real setImmediate), so a loaded machine cannot split or merge the burst.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const commits = root.stats().commits;
      for (const n of [1, 2, 3]) {
        setCount(n);
        while (root.stats().commits < commits + n) await nextTask();
      }
      expect(stdout.frames).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(60);
      while (stdout.frames.length < 2) await nextTask();
      await vi.advanceTimersByTimeAsync(1000); // nothing else may arrive
    } finally {
      vi.useRealTimers();
    }
    expect(stdout.frames).toHaveLength(2);
    expect(parseFrame(stdout.frames[1] ?? '').header[0]?.title).toBe('n=3');
    expect(root.stats().commits).toBe(4);
    expect(stdout.writes).toHaveLength(2);
    root.unmount();
    await root.done;
  });

  it('writes nothing when a commit produces a byte-identical frame', async () => {
    const { stdout, root } = setup({ coalesceMs: 5 });
    root.render(<><Title>same</Title></>);
    await root.firstFrame;
    root.render(<><Title>same</Title></>);
    await until(() => root.stats().framesSkipped === 1);
    expect(stdout.frames).toHaveLength(1);
    expect(root.stats()).toMatchObject({ framesWritten: 1, framesSkipped: 1 });
    expect(root.stats().bytesWritten).toBe(Buffer.byteLength(stdout.output));
    root.unmount();
  });

  it('turns an uncaught render error into an error frame, then recovers on the next render', async () => {
    function Broken(): ReactElement {
      throw new Error('model list is garbage');
    }
    const { stdout, root } = setup({ coalesceMs: 5 });
    root.render(<Broken />);
    await root.firstFrame;
    const frame = parseFrame(stdout.frames[0] ?? '');
    expect(frame.header[0]?.title).toBe(ERROR_TITLE);
    expect(frame.body[0]).toMatchObject({ type: 'item', title: 'model list is garbage' });
    expect(stdout.output).not.toMatch(/\n\s+at /);
    root.render(<><Title>ok</Title></>);
    await until(() => stdout.frames.length === 2);
    expect(parseFrame(stdout.frames[1] ?? '').header[0]?.title).toBe('ok');
    root.unmount();
  });

  it('shows an invalid prop as an error frame instead of crashing', async () => {
    const { stdout, root } = setup();
    root.render(<><Title color="grey">t</Title></>);
    await root.firstFrame;
    expect(parseFrame(stdout.frames[0] ?? '').body[0]).toMatchObject({ title: expect.stringMatching(/Invalid color "grey"/) });
    root.unmount();
  });

  it('stops and reports a broken stdout (EPIPE) once, resolving done', async () => {
    const { stdout, root, fatal } = setup({ coalesceMs: 5 });
    root.render(<Counter />);
    await root.firstFrame;
    stdout.breakPipe();
    setCount(42);
    await root.done;
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ code: 'EPIPE' });
    setCount(43);
    await settle(30);
    expect(stdout.frames).toHaveLength(1);
  });
});

describe('createMenuRoot (once)', () => {
  it('prints exactly one frame without ~~~ and resolves done', async () => {
    const { stdout, root } = setup({ mode: 'once' });
    root.render(<Counter />);
    await root.done;
    expect(stdout.writes).toHaveLength(1);
    expect(stdout.output).toBe('n=0 | symbolize=false emojize=false\n---\nstatic | symbolize=false emojize=false\n');
    setCount(5);
    await settle(30);
    expect(stdout.writes).toHaveLength(1);
  });
});
