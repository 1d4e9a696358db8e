/** The service layers (launchd, Homebrew, binary, config); a failed detection keeps the last view. */
import type { ServiceView } from '../../system/types.js';
import { orNull, stampedFlight, type PollContext, type Stamped } from './poll-context.js';

export type ServiceSource = () => Promise<Stamped<ServiceView | null>>;

export function createServiceSource(ctx: PollContext): ServiceSource {
  const { deps, state, debug } = ctx;
  let lastService: ServiceView | null = null;
  return stampedFlight(ctx, async () => {
    // A failed detection keeps the last view rather than forgetting the service.
    const found = await orNull(deps.detectService);
    // A llama-swap seen running is installed wherever it lives (a folder on no PATH SwiftBar knows):
    // its process's executable is a find as good as one on PATH.
    const detected = found !== null && found.binaryPath === null && state.llamaSwapExecutable !== null ? { ...found, binaryPath: state.llamaSwapExecutable } : found;
    const view = detected ?? lastService;
    if (debug.enabled) {
      const text = detected === null ? 'failed' : `${detected.platform} ${detected.manager} installed=${detected.installed} loaded=${detected.loaded} pid=${detected.pid ?? '-'} binary=${detected.binaryPath ?? '-'} config=${detected.configExists}`;
      if (ctx.changed('service', text)) debug('service', { detected: text });
    }
    lastService = view;
    if (view) state.llamaSwapPid = view.pid;
    return view;
  });
}
