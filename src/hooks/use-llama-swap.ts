/** Polls /running (adaptive interval; a safety net while the event stream is up), the configured models and the profiles. */
import useSWR from 'swr';
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

/**
 * The three llama-swap lists, each its own SWR key (one request in flight per endpoint).
 * `onRunning` hears every /running answer, also one equal to the last (which renders nothing).
 */
export function useLlamaSwap(sources: PollSources, onRunning?: (answer: Stamped<Result<readonly RunningModel[]>>) => void): LlamaSwapData {
  const running = useSWR([KEY_ROOT, 'running'], () => sources.running(), {
    refreshInterval: sources.fastDelay,
    compare: sameAnswerUnlessFailed,
    ...(onRunning ? { onSuccess: onRunning } : {}),
  });
  const models = useSWR([KEY_ROOT, 'models'], () => sources.models(), { refreshInterval: sources.slowDelay });
  const profiles = useSWR([KEY_ROOT, 'profiles'], () => sources.profiles(), { refreshInterval: sources.slowDelay });
  return { running: running.data, models: models.data, profiles: profiles.data };
}
