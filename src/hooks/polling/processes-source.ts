/**
 * CPU and memory of llama-swap and each model's llama-server, when llama-swap runs on this machine.
 * Also what the process tells about llama-swap itself: another pid than before means another
 * llama-swap (its activity record starts afresh), and its executable is where llama-swap is
 * installed, wherever that is.
 */
import type { ProcessView } from '../model/menu-input.js';
import { orNull, stampedFlight, type PollContext, type Stamped } from './poll-context.js';

export type ProcessesSource = () => Promise<Stamped<ProcessView | null>>;

export function createProcessesSource(ctx: PollContext): ProcessesSource {
  const { deps, state } = ctx;
  let lastPid: number | null = null;
  return stampedFlight(ctx, async () => {
    const view = ctx.local ? await orNull(() => deps.processStats({ running: state.running, llamaSwapPid: state.llamaSwapPid })) : null;
    const swap = view?.llamaSwap ?? null;
    if (swap !== null) {
      if (lastPid !== null && swap.pid !== lastPid) state.llamaSwapReplaced = true;
      lastPid = swap.pid;
      if (swap.executable != null) state.llamaSwapExecutable = swap.executable;
    }
    return view;
  });
}
