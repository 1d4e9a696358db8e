/**
 * Sends a notification for what happens on its own (a failed start, llama-swap stopping and
 * coming back, a ttl unload), as notification-policy.ts decides from each new MenuModel. The
 * last-action record is read before each decision, so nothing is said about what the user just
 * did from the menu. Decisions run one after another, in the order of the models.
 */
import { useEffect, useRef } from 'react';
import type { MenuModel } from '../components/model.js';
import type { MenuDeps } from './deps.js';
import { INITIAL_POLICY_STATE, decide, observe, type PolicyState, type RecentAction } from './notifications/notification-policy.js';
import { notificationFor } from './notifications/notification-text.js';

/** An action's record explains what follows for this long after it was written (or until its wait ends). */
export const ACTION_EXPLAINS_MS = 60_000;

async function recentAction(deps: MenuDeps, now: number): Promise<RecentAction | null> {
  const rec = await deps.readLastAction().catch(() => null);
  if (rec === null || rec.action === undefined) return null;
  const until = Math.max(rec.at + ACTION_EXPLAINS_MS, (rec.pendingUntil ?? 0) + ACTION_EXPLAINS_MS);
  return now <= until ? { action: rec.action, args: rec.args ?? [] } : null;
}

export function useNotifications(deps: MenuDeps, clock: () => number, model: MenuModel): void {
  const policy = useRef<PolicyState>(INITIAL_POLICY_STATE);
  const queue = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => {
    const notify = deps.notify;
    if (notify === undefined) return;
    const next = observe(model);
    queue.current = queue.current.then(async () => {
      const now = clock();
      const action = await recentAction(deps, now);
      const { state, events } = decide(policy.current, next, now, action, deps.config.notify);
      policy.current = state;
      for (const event of events) {
        deps.debug?.('notify', { kind: event.kind });
        await notify(notificationFor(event, deps.config)).catch(() => undefined);
      }
    });
  }, [deps, clock, model]);
}
