/** Polls /running (adaptive interval; a safety net while the event stream is up), the configured models and the profiles. */
import { useRef } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import type { ConfiguredModel, Profiles, Result, RunningModel } from '../system/types.js';
import { sameAnswerUnlessFailed } from './same-answer.js';
import type { PollSources, Stamped } from './polling/poll-sources.js';

/** Root of every SWR key of the menu, so an action can refresh them all at once. */
export const KEY_ROOT = 'llama-swap-swiftbar';

export type LlamaSwapData = {
  /** undefined until the first answer. */
  readonly running: Stamped<Result<readonly RunningModel[]>> | undefined;
  readonly models: Stamped<Result<readonly ConfiguredModel[]>> | undefined;
  readonly profiles: Stamped<Result<Profiles>> | undefined;
};

/** llama-swap answered at all (a 401 is an answer: it runs). */
function isUp(answer: Stamped<Result<unknown>>): boolean {
  return answer.value.ok || answer.value.error.kind === 'unauthorized';
}

/**
 * SWR keys read again when llama-swap goes away or comes back: what was read in the other state
 * is stale (its process line, gone with it; the lists that failed while it was down). One read
 * each at the change, not a faster poll.
 */
export const REREAD_WHEN = { down: ['processes', 'service'], up: ['models', 'profiles'] } as const;

/**
 * The three llama-swap lists, each its own SWR key (one request in flight per endpoint).
 * `onRunning` hears every /running answer, also one equal to the last (which renders nothing).
 */
export function useLlamaSwap(sources: PollSources, onRunning?: (answer: Stamped<Result<readonly RunningModel[]>>) => void): LlamaSwapData {
  const { mutate } = useSWRConfig();
  const wasUp = useRef<boolean | null>(null);
  const running = useSWR([KEY_ROOT, 'running'], () => sources.running(), {
    refreshInterval: sources.fastDelay,
    compare: sameAnswerUnlessFailed,
    onSuccess: (answer) => {
      const up = isUp(answer);
      if (wasUp.current !== null && up !== wasUp.current) {
        const keys: readonly string[] = up ? REREAD_WHEN.up : REREAD_WHEN.down;
        mutate((key) => Array.isArray(key) && key[0] === KEY_ROOT && keys.includes(key[1] as string)).catch(() => undefined);
      }
      wasUp.current = up;
      onRunning?.(answer);
    },
  });
  const models = useSWR([KEY_ROOT, 'models'], () => sources.models(), { refreshInterval: sources.slowDelay });
  const profiles = useSWR([KEY_ROOT, 'profiles'], () => sources.profiles(), { refreshInterval: sources.slowDelay });
  return { running: running.data, models: models.data, profiles: profiles.data };
}
