/**
 * Host figures: llama-swap's `/api/performance` while it answers, else this machine's own (only
 * when llama-swap is local), with the local GPU list refreshed in the background meanwhile.
 */
import type { HostStats } from '../../system/types.js';
import { orNull, safely, stampedFlight, type PollContext, type Stamped } from './poll-context.js';
import { singleFlight } from './single-flight.js';

export type PerformanceSource = {
  readonly host: () => Promise<Stamped<HostStats | null>>;
  /** Refreshes the local GPU list when llama-swap does not report GPUs itself. */
  readonly gpus: () => Promise<Stamped<boolean>>;
};

export function createPerformanceSource(ctx: PollContext): PerformanceSource {
  const { deps, state, monotonic, local, debug } = ctx;
  let performanceOffUntil = Number.NEGATIVE_INFINITY;
  let perfFailures = 0;
  let gpusRefreshed = false;
  // After the first full answer, only samples newer than the last one are asked for (?after=):
  // the whole one-hour buffer is ~300 KB per poll on a busy host.
  let lastPerf: HostStats | null = null;
  const since = deps.api.performanceSince?.bind(deps.api);
  const refreshGpus = singleFlight(async () => {
    gpusRefreshed = true;
    await deps.refreshGpus?.().catch(() => undefined);
  });

  const host = stampedFlight(ctx, async (): Promise<HostStats | null> => {
    if (state.errorStreak === 0 && monotonic() >= performanceOffUntil) {
      const previous = lastPerf;
      const perf =
        previous !== null && since !== undefined
          ? await safely(async () => {
              const r = await since(previous.timestamp);
              return r.ok ? { ok: true as const, value: r.value ?? previous } : r;
            })
          : await safely(() => deps.api.performance());
      lastPerf = perf.ok ? perf.value : null;
      if (ctx.changed('performance', perf.ok ? 'ok' : perf.error.kind)) {
        debug('performance', perf.ok ? { ok: true } : { ok: false, kind: perf.error.kind, fallback: local ? 'local' : 'none' });
      }
      if (perf.ok) {
        perfFailures = 0;
        return perf.value;
      }
      // Disabled (503) or too old (404), twice in a row (a llama-swap just restarted may not have
      // its first sample yet): ask again in a minute, use local figures meanwhile.
      perfFailures += 1;
      if (perf.error.kind !== 'unreachable' && perf.error.kind !== 'timeout' && perfFailures >= 2) performanceOffUntil = monotonic() + 60_000;
    }
    // A remote llama-swap's host is not this machine: better no figures than wrong ones.
    if (!local) return null;
    // The first local fallback fetches the GPU list in the background (it is slow on macOS).
    if (!gpusRefreshed && deps.refreshGpus) void refreshGpus();
    return orNull(deps.localHostStats);
  });

  const gpus = stampedFlight(ctx, async () => {
    const needed = local && deps.refreshGpus !== undefined && (state.errorStreak > 0 || monotonic() < performanceOffUntil);
    if (needed) await refreshGpus();
    return needed;
  });

  return { host, gpus };
}
