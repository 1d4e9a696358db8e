/** The service layers (launchd, Homebrew, binary, config); a failed detection keeps the last view. */
import type { ServiceView } from '../../system/types.js';
import { orNull, stampedFlight, type PollContext, type Stamped } from './poll-context.js';

export type ServiceSource = () => Promise<Stamped<ServiceView | null>>;

export function createServiceSource(ctx: PollContext): ServiceSource {
  const { deps, state, debug } = ctx;
  let lastService: ServiceView | null = null;
  return stampedFlight(ctx, async () => {
    // A failed detection keeps the last view rather than forgetting the service.
    const detected = await orNull(deps.detectService);
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
