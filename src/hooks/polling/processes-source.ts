/** CPU and memory of llama-swap and each model's llama-server, when llama-swap runs on this machine. */
import type { ProcessView } from '../model/menu-input.js';
import { orNull, stampedFlight, type PollContext, type Stamped } from './poll-context.js';

export type ProcessesSource = () => Promise<Stamped<ProcessView | null>>;

export function createProcessesSource(ctx: PollContext): ProcessesSource {
  const { deps, state } = ctx;
  return stampedFlight(ctx, async () => (ctx.local ? await orNull(() => deps.processStats({ running: state.running, llamaSwapPid: state.llamaSwapPid })) : null));
}
