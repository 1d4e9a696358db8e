/**
 * What the demo watches: a real llama-swap answering at the configured address, else its own
 * simulator. A simulator already answering there (`npm run simulator` listens on the configured
 * default port) is not "your llama-swap": the demo would watch it without its scenario keys or
 * tour, looking like its own. So the demo starts its own on a free port and says why.
 */

export type DemoTarget =
  | { readonly kind: 'llama-swap'; readonly url: string; readonly port: number }
  /** `note` says why a configured address that answered is not used. */
  | { readonly kind: 'own-simulator'; readonly note: string | null };

/** True when `url` answers the simulator's control endpoint (`GET /__sim/scenario`). */
export async function isSimulator(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(new URL('/__sim/scenario', url), { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return false;
    const body = (await res.json()) as { scenario?: unknown };
    return typeof body.scenario === 'string';
  } catch {
    return false;
  }
}

export type TargetProbe = {
  readonly url: string;
  readonly port: number;
  /** Whether something answers llama-swap's /health at `url`. */
  readonly healthy: () => Promise<boolean>;
};

/** Picks what to watch; `forceSimulator` (the --simulator flag) skips the probe. */
export async function chooseTarget(probe: TargetProbe, forceSimulator: boolean): Promise<DemoTarget> {
  if (forceSimulator || !(await probe.healthy())) return { kind: 'own-simulator', note: null };
  if (await isSimulator(probe.url)) {
    return { kind: 'own-simulator', note: `a simulator already answers at ${probe.url}: the demo runs its own on another port` };
  }
  return { kind: 'llama-swap', url: probe.url, port: probe.port };
}
