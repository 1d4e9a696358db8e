import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheReset, cacheStats } from '../../../src/reconciler/sparkline/cache.js';
import { createChildDrawer, type ChildDrawer } from '../../../src/reconciler/sparkline/child-drawer.js';
import { renderSparkline, type SparklineSpec } from '../../../src/reconciler/sparkline/rasterize.js';

const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/reconciler/sparkline/draw-child.ts');
const spec = (values: number[]): SparklineSpec => ({ values, width: 60, height: 20, color: '#0062cc' });

let drawer: ChildDrawer | undefined;
afterEach(() => {
  drawer?.close();
  cacheReset();
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

describe('child drawer', () => {
  it('draws in a child exactly what this process would draw, caches it, and lets the child go when idle', async () => {
    drawer = createChildDrawer({ entry: ENTRY, idleMs: 200, execArgv: ['--import', 'tsx'] });
    const [a, b] = await Promise.all([drawer(spec([1, 5, 2, 8])), drawer(spec([3, 3, 9]))]);
    expect(drawer.spawned()).toBe(1);
    expect(cacheStats().misses).toBe(2);
    // Served from the cache: no request to the child.
    expect(await drawer(spec([1, 5, 2, 8]))).toBe(a);
    cacheReset();
    expect(await renderSparkline(spec([1, 5, 2, 8]))).toBe(a);
    expect(await renderSparkline(spec([3, 3, 9]))).toBe(b);
    await until(() => !drawer?.running());
    // A later change starts a new child.
    await drawer(spec([7, 1]));
    expect(drawer.spawned()).toBe(2);
  }, 30_000);

  it('lets a child go after maxDraws charts and starts a fresh one for the next', async () => {
    drawer = createChildDrawer({ entry: ENTRY, idleMs: 60_000, execArgv: ['--import', 'tsx'], maxDraws: 2 });
    await drawer(spec([1, 2]));
    await drawer(spec([2, 1]));
    await until(() => !drawer?.running());
    await drawer(spec([3, 1]));
    expect(drawer.spawned()).toBe(2);
  }, 30_000);

  it('draws in this process when the child cannot run', async () => {
    const failures: string[] = [];
    drawer = createChildDrawer({ entry: path.join(path.dirname(ENTRY), 'no-such-child.js'), idleMs: 200, execArgv: [], onChildFailure: (line) => failures.push(line) });
    const png = await drawer(spec([1, 2, 3]));
    cacheReset();
    expect(png).toBe(await renderSparkline(spec([1, 2, 3])));
    // Said once, in one line that names the cause; nothing of the child's stack reaches stderr.
    await until(() => failures.length > 0);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^chart process exited with 1: Error: Cannot find module .*no-such-child\.js/);
    expect(failures[0]).not.toContain('\n');
  }, 30_000);
});
