/**
 * One-shot mode (LLAMA_SWAP_STREAMING_MODE=false): SwiftBar runs the plugin, it prints one frame
 * and exits. This fetches everything once, without SWR or timers, and builds the MenuModel.
 * History and rate-tracker state are carried between runs in the cache folder.
 */
import path from 'node:path';
import { writeFileSafely } from '../../system/safe-file.js';
import { CACHE_FILE_LIMITS, readCacheFile, setAsideWarning } from '../../system/cache-file.js';
import type { MenuModel } from '../../components/model.js';
import type { RateTrackerState } from '../../system/llama-swap/metrics-rates.js';
import type { MenuDeps } from '../deps.js';
import { History } from '../history/history.js';
import { loadHistory, saveHistory } from '../history/history-store.js';
import { buildMenuModel } from './menu-model.js';
import { createPollSources } from '../polling/poll-sources.js';
import { sampleOf } from '../history/history-sample.js';
import { liveModels, readyIds } from './menu-model.js';

export const RATES_FILE = 'rates.json';
const RATES_SCHEMA = 'llama-swap-swiftbar/rates';
/** Rate state older than this says nothing about the current rates. */
const RATES_MAX_AGE_MS = 10 * 60_000;

type RatesFile = {
  readonly schema: string;
  readonly version: 2;
  readonly savedAt: number;
  readonly states: Record<string, RateTrackerState>;
  /**
   * llama-swap's newest activity id when saved: a later run that finds a lower one talks to
   * another llama-swap (ids start again on a restart), whose models' windows these are not.
   */
  readonly activityId?: number | null;
};

type SavedRates = {
  readonly states: Record<string, RateTrackerState>;
  readonly activityId: number | null;
  /** Set when the file was set aside (not a regular file, or too large). */
  readonly warning?: string;
};

const NO_RATES: SavedRates = { states: {}, activityId: null };

async function loadRates(cacheDir: string, now: number): Promise<SavedRates> {
  const read = await readCacheFile(path.join(cacheDir, RATES_FILE), { maxBytes: CACHE_FILE_LIMITS.rates, clock: () => now });
  if (read.kind === 'set-aside') return { ...NO_RATES, warning: setAsideWarning('Rates file', read) };
  if (read.kind !== 'text') return NO_RATES;
  try {
    const data = JSON.parse(read.text) as Partial<RatesFile> | null;
    const fresh = data?.schema === RATES_SCHEMA && data.version === 2 && typeof data.savedAt === 'number' && now - data.savedAt < RATES_MAX_AGE_MS;
    if (!fresh || typeof data.states !== 'object' || data.states === null) return NO_RATES;
    return { states: data.states, activityId: typeof data.activityId === 'number' ? data.activityId : null };
  } catch {
    return NO_RATES;
  }
}

/** Saves the rate trackers for the next run; the reason when the disk refused. */
async function saveRates(cacheDir: string, states: ReadonlyMap<string, RateTrackerState>, activityId: number | null, now: number): Promise<string | null> {
  const file: RatesFile = { schema: RATES_SCHEMA, version: 2, savedAt: now, states: Object.fromEntries(states), activityId };
  const result = await writeFileSafely(path.join(cacheDir, RATES_FILE), JSON.stringify(file), { mode: 0o600, onSymlink: 'replace' });
  return result.ok ? null : `Rates not saved: ${result.message}`;
}

/** Fetches everything once and builds the menu (never rejects on API or disk failures). */
export async function loadMenuModelOnce(deps: MenuDeps): Promise<MenuModel> {
  const clock = deps.clock ?? Date.now;
  const persist = deps.persistHistory !== false;
  const cacheDir = deps.config.cacheDir;
  const capacity = deps.config.historySize;
  const savedRates = persist ? await loadRates(cacheDir, clock()) : NO_RATES;
  const sources = createPollSources(deps, savedRates.states);
  // Beside /running, while saved rate windows wait to be used: llama-swap's newest activity id
  // tells whether they are this llama-swap's (its ids start again on a restart).
  const instanceCheck = Object.keys(savedRates.states).length > 0 && savedRates.activityId !== null ? sources.activity([]) : null;
  const [running, models, profiles, service] = await Promise.all([sources.running(), sources.models(), sources.profiles(), sources.service(), instanceCheck]);
  const seenId = sources.state.activityNewestId;
  if (savedRates.activityId !== null && seenId !== null && seenId < savedRates.activityId) sources.forgetRates();
  // Metrics and process figures need the /running answer (only ready models are scraped).
  const liveIds = running.value.ok ? liveModels(running.value.value).map((m) => m.id).sort() : [];
  const [metrics, activity, host, processes, record, loaded] = await Promise.all([
    sources.metrics(readyIds(running.value)),
    liveIds.length > 0 ? sources.activity(liveIds) : Promise.resolve({ at: clock(), value: null }),
    sources.host(),
    sources.processes(),
    deps.readLastAction().catch(() => null),
    persist ? loadHistory(cacheDir, clock(), capacity * sources.timings.idleMs, capacity) : Promise.resolve({ snapshot: null, warning: null }),
  ]);
  const history = loaded.snapshot ? History.from(loaded.snapshot, { capacity }) : new History({ capacity });
  history.record(sampleOf(running, metrics.value, host.value, processes.value));
  const snapshot = history.snapshot();
  // Files set aside at start (rates.json here, sparklines.json by the caller), then failed writes.
  const fileWarnings: string[] = [...(deps.fileWarnings ?? []), ...(savedRates.warning !== undefined ? [savedRates.warning] : [])];
  if (persist) {
    const now = clock();
    // A file that was ignored is replaced, so its warning shows once, not on every run.
    const saved = await saveHistory(cacheDir, snapshot, now);
    if (!saved.ok) fileWarnings.push(saved.message);
    const ratesError = await saveRates(cacheDir, sources.rateStates, sources.state.activityNewestId ?? savedRates.activityId, now);
    if (ratesError !== null) fileWarnings.push(ratesError);
    for (const message of fileWarnings) deps.debug?.('file problem', { message });
  }
  const fresh = record !== null && clock() < (record.pendingUntil ?? record.at + sources.timings.actionShowMs);
  return buildMenuModel({
    config: deps.config,
    configWarnings: deps.configWarnings,
    running: running.value,
    models: models.value,
    profiles: profiles.value,
    metrics: metrics.value,
    activity: activity.value,
    host: host.value,
    processes: processes.value,
    service: service.value,
    history: snapshot,
    historyWarning: loaded.warning,
    fileWarnings,
    invoker: deps.invoker,
    lastAction: fresh ? { ok: record.ok, message: record.message, ...(record.pendingUntil !== undefined ? { pending: true } : {}) } : null,
    now: running.at,
  });
}
