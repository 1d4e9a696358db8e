/** Renders a hook under MenuDataProvider with the project's reconciler and records every value. */
import { createElement, type ReactNode } from 'react';
import { createFiberRoot } from '../../../src/reconciler/container.js';
import { createRootNode } from '../../../src/reconciler/nodes.js';
import { reconciler } from '../../../src/reconciler/reconciler.js';
import { MenuDataProvider } from '../../../src/hooks/swr-node-config.js';

export type HookHandle<T> = {
  readonly values: readonly T[];
  readonly current: T | undefined;
  /** Resolves once `predicate(current)` holds; rejects after `timeoutMs` of real time. */
  waitFor(predicate: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  unmount(): void;
  readonly errors: readonly unknown[];
};

export function renderHook<T>(use: () => T): HookHandle<T> {
  const values: T[] = [];
  const errors: unknown[] = [];
  function Probe(): ReactNode {
    values.push(use());
    return null;
  }
  const root = createFiberRoot(createRootNode(), { onUncaughtError: (e) => errors.push(e) });
  reconciler.updateContainer(createElement(MenuDataProvider, null, createElement(Probe)), root, null, null);
  return {
    values,
    errors,
    get current() {
      return values.at(-1);
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        if (errors.length > 0) throw errors[0];
        const v = values.at(-1);
        if (v !== undefined && predicate(v)) return v;
        if (Date.now() > end) throw new Error(`waitFor timed out; last value: ${JSON.stringify(v)?.slice(0, 400)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    unmount() {
      reconciler.updateContainerSync(null, root, null, null);
      reconciler.flushSyncWork();
    },
  };
}

/** Lets React and promise callbacks run (real macrotasks) between fake-timer steps. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise<void>((r) => setImmediate(r));
}
