/**
 * llama-swap's event stream through SWR's subscription hook: the live state (requests in flight,
 * failed starts, whether the stream is up) re-renders the menu at once, and the events that mean
 * "look again" (a model's state, a finished request, the profile) revalidate those SWR keys.
 */
import { useRef } from 'react';
import { useSWRConfig } from 'swr';
import useSWRSubscription from 'swr/subscription';
import type { LiveState } from './polling/live-state.js';
import type { PollSources } from './polling/poll-sources.js';
import { KEY_ROOT } from './use-llama-swap.js';

/** The latest live state; null without an event stream (or before it first answers). */
export function useLiveEvents(sources: PollSources): LiveState | null {
  const { mutate } = useSWRConfig();
  const mutateRef = useRef(mutate);
  mutateRef.current = mutate;
  const subscribe = sources.events.subscribe;
  const { data } = useSWRSubscription(subscribe === null ? null : [KEY_ROOT, 'events'], (_key, { next }) => {
    if (subscribe === null) return () => undefined;
    return subscribe({
      onState: (state) => next(null, state),
      onEffects: (effects) => {
        const again = (what: string): void => {
          mutateRef.current((key) => Array.isArray(key) && key[0] === KEY_ROOT && key[1] === what).catch(() => undefined);
        };
        if (effects.refreshRunning) again('running');
        if (effects.refreshActivity) again('activity');
        if (effects.refreshMetrics) again('metrics');
        if (effects.refreshProfiles) {
          again('profiles');
          again('models');
        }
      },
    });
  });
  return (data as LiveState | undefined) ?? null;
}
