/**
 * How long actions wait for llama-swap: their own bounds, never the menu's polling timeout
 * (LLAMA_SWAP_API_TIMEOUT_SECS, 1 s by default), because llama-swap answers an unload only once
 * the model has stopped and a load only once it is ready. A larger configured timeout still wins.
 */

export type ActionWait = 'lookup' | 'unload' | 'load';

export const ACTION_WAIT_MS: Readonly<Record<ActionWait, number>> = {
  /** Lists and id checks, profile switch, cancel: llama-swap answers them from memory. */
  lookup: 10_000,
  /**
   * Unloading: llama-swap stops the llama-server (SIGTERM, then SIGKILL after the model's unload
   * timeout); a server in a long generation, or several models, take seconds to tens of seconds.
   */
  unload: 120_000,
  /**
   * Loading: llama-swap answers once the model passes its health check (healthCheckTimeout,
   * 120 s by default and often raised for large models), possibly after another swap.
   */
  load: 600_000,
};

/** The bound of one kind of wait for a configured API timeout. */
export function actionWaitMs(kind: ActionWait, apiTimeoutMs: number): number {
  return Math.max(apiTimeoutMs, ACTION_WAIT_MS[kind]);
}

/** "90 s", "2 min", "10 min". */
export function formatWait(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/**
 * Told before a long wait: what the action waits for and for how long at most. The CLI prints
 * it and records it for the menu (last-action.json, marked pending).
 */
export type WaitReporter = (message: string, waitMs: number) => Promise<void>;
