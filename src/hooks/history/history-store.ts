/**
 * Saves the history to `<cacheDir>/history.json` so a plugin restart keeps its charts. The file
 * is versioned and tagged; a corrupt, truncated or foreign file is ignored with a warning, and
 * anything that is not a regular file within its size limit is set aside (cache-file.ts).
 * Each save merges the samples already in the file, so two plugins sharing the folder keep
 * each other's (history-merge.ts).
 */
import path from 'node:path';
import { z } from 'zod';
import { monotonicNow } from '../../system/clock.js';
import { writeFileSafely } from '../../system/safe-file.js';
import { CACHE_FILE_LIMITS, readCacheFile, setAsideWarning } from '../../system/cache-file.js';
import { mergeHistories } from './history-merge.js';
import { MODEL_SERIES, SYSTEM_SERIES, type HistorySnapshot, type ModelSeriesName, type SystemSeriesName } from './history.js';

/** Outcome of a load: the snapshot (null when absent or ignored) and why it was ignored. */
export type HistoryLoad = {
  readonly snapshot: HistorySnapshot | null;
  readonly warning: string | null;
};

export type HistorySaver = {
  /** Saves `snapshot` now if the last save is older than the throttle, else remembers it. */
  schedule(snapshot: HistorySnapshot): void;
  /** Writes the remembered snapshot now (on exit / unmount). */
  flush(): Promise<void>;
  /** Stops the trailing timer without writing. */
  cancel(): void;
};

export type HistorySaverOptions = {
  readonly cacheDir: string;
  /** @default 20000 */
  readonly throttleMs?: number;
  /** Wall time, for the file's `savedAt`. @default Date.now */
  readonly clock?: () => number;
  /** Monotonic time, for the throttle and the retry waits. @default performance.now */
  readonly monotonic?: () => number;
  /**
   * Called after each write that changes the outcome: a one-line reason when it failed (the
   * plugin keeps running and retries with backoff), null when a write succeeds again.
   */
  readonly onError?: (message: string | null) => void;
};

/** File name inside PluginConfig.cacheDir. */
export const HISTORY_FILE = 'history.json';
/** The tag that tells our file from anything else sharing the name. */
export const HISTORY_SCHEMA = 'llama-swap-swiftbar/history';
export const HISTORY_VERSION = 1;
/** After 4 failed writes in a row the wait stays at 16 throttle periods (~5 min by default). */
const MAX_BACKOFF_DOUBLINGS = 4;

const series = z.array(z.number().nullable());
const fileSchema = z.object({
  schema: z.literal(HISTORY_SCHEMA),
  version: z.literal(HISTORY_VERSION),
  savedAt: z.number(),
  times: z.array(z.number()),
  system: z.object(Object.fromEntries(SYSTEM_SERIES.map((n) => [n, series])) as Record<SystemSeriesName, typeof series>),
  // Added after version 1 shipped: files without it still load (source unknown).
  systemSource: z.enum(['llama-swap', 'local']).nullable().optional(),
  models: z.record(z.string(), z.object(Object.fromEntries(MODEL_SERIES.map((n) => [n, series])) as Record<ModelSeriesName, typeof series>)),
});
type HistoryFile = z.infer<typeof fileSchema>;

const toJson = (values: readonly number[]): (number | null)[] => values.map((v) => (Number.isFinite(v) ? v : null));
const fromJson = (values: readonly (number | null)[], keep: readonly number[]): number[] =>
  keep.map((i) => values[i] ?? Number.NaN);

/** The file's text for a snapshot (NaN gaps become null). */
export function encodeHistory(snapshot: HistorySnapshot, savedAt: number): string {
  const file: HistoryFile = {
    schema: HISTORY_SCHEMA,
    version: HISTORY_VERSION,
    savedAt,
    times: [...snapshot.times],
    system: Object.fromEntries(SYSTEM_SERIES.map((n) => [n, toJson(snapshot.system[n])])) as HistoryFile['system'],
    systemSource: snapshot.systemSource ?? null,
    models: Object.fromEntries(
      Object.entries(snapshot.models).map(([id, s]) => [id, Object.fromEntries(MODEL_SERIES.map((n) => [n, toJson(s[n])]))]),
    ) as HistoryFile['models'],
  };
  return JSON.stringify(file);
}

/** Parses and validates a file's text; drops samples older than `now - windowMs` (none when the window is infinite). */
export function decodeHistory(text: string, now: number, windowMs: number, capacity: number): HistoryLoad {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { snapshot: null, warning: 'History file ignored: it is not valid JSON (corrupt or truncated).' };
  }
  const tagged = typeof json === 'object' && json !== null && (json as { schema?: unknown }).schema === HISTORY_SCHEMA;
  if (!tagged) return { snapshot: null, warning: 'History file ignored: it was not written by this plugin.' };
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const version = (json as { version?: unknown }).version;
    const why = version !== HISTORY_VERSION ? `unknown format version ${String(version)}` : 'its content is malformed';
    return { snapshot: null, warning: `History file ignored: ${why}.` };
  }
  const file = parsed.data;
  const n = file.times.length;
  const lengths = [...SYSTEM_SERIES.map((k) => file.system[k].length), ...Object.values(file.models).flatMap((m) => MODEL_SERIES.map((k) => m[k].length))];
  if (lengths.some((len) => len !== n)) return { snapshot: null, warning: 'History file ignored: its series have different lengths.' };
  // Samples stamped after `now` were taken before the wall clock was set back: they keep their
  // spacing and are re-anchored so the newest lies at `now` (dropping them would lose the charts).
  const newestAt = file.times.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const shift = newestAt > now ? now - newestAt : 0;
  const keep: number[] = [];
  file.times.forEach((at, i) => {
    if ((windowMs === Number.POSITIVE_INFINITY || at + shift >= now - windowMs) && at + shift <= now) keep.push(i);
  });
  const newest = keep.slice(-Math.max(1, capacity));
  const times = newest.map((i) => (file.times[i] ?? 0) + shift);
  const s = file.system;
  const system: HistorySnapshot['system'] = {
    cpuPercent: fromJson(s.cpuPercent, newest),
    memUsedBytes: fromJson(s.memUsedBytes, newest),
    gpuUtilPercent: fromJson(s.gpuUtilPercent, newest),
    gpuMemUsedBytes: fromJson(s.gpuMemUsedBytes, newest),
  };
  const models: Record<string, HistorySnapshot['models'][string]> = {};
  for (const [id, m] of Object.entries(file.models)) {
    const values: HistorySnapshot['models'][string] = {
      genTps: fromJson(m.genTps, newest),
      promptTps: fromJson(m.promptTps, newest),
      memoryBytes: fromJson(m.memoryBytes, newest),
      queue: fromJson(m.queue, newest),
    };
    if (MODEL_SERIES.some((k) => values[k].some((v) => !Number.isNaN(v)))) models[id] = values;
  }
  return { snapshot: { capacity, times, system, systemSource: file.systemSource ?? null, models }, warning: null };
}

/** Reads `<cacheDir>/history.json`; a missing file is no warning, any other failure is one. */
export async function loadHistory(cacheDir: string, now: number, windowMs: number, capacity: number): Promise<HistoryLoad> {
  const read = await readCacheFile(path.join(cacheDir, HISTORY_FILE), { maxBytes: CACHE_FILE_LIMITS.history, clock: () => now });
  switch (read.kind) {
    case 'text':
      return decodeHistory(read.text, now, windowMs, capacity);
    case 'missing':
      return { snapshot: null, warning: null };
    case 'set-aside':
      return { snapshot: null, warning: setAsideWarning('History file', read) };
    default:
      return { snapshot: null, warning: `History file ignored: it could not be read (${read.kind === 'unreadable' ? read.code : read.why}).` };
  }
}

/**
 * Writes the snapshot atomically (temp file + rename), creating the cache folder, merged with the
 * samples the file holds now (another plugin's, sharing the folder). Merging on save rather than
 * a lock: nothing to go stale after a kill -9, nothing waits, and a sample lost to two saves
 * racing is still in its writer's memory and comes back with that writer's next save.
 */
export async function saveHistory(cacheDir: string, snapshot: HistorySnapshot, savedAt: number): Promise<{ ok: true } | { ok: false; message: string }> {
  const file = path.join(cacheDir, HISTORY_FILE);
  const current = await readCacheFile(file, { maxBytes: CACHE_FILE_LIMITS.history, clock: () => savedAt });
  // Every sample the file holds, whatever its age: the capacity keeps the newest.
  const theirs = current.kind === 'text' ? decodeHistory(current.text, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, snapshot.capacity).snapshot : null;
  const merged = theirs === null ? snapshot : mergeHistories(theirs, snapshot);
  const result = await writeFileSafely(file, encodeHistory(merged, savedAt), { mode: 0o600, onSymlink: 'replace' });
  return result.ok ? { ok: true } : { ok: false, message: `History not saved: ${result.message}` };
}

/** A throttled saver: at most one write per `throttleMs`, the latest snapshot always wins. */
export function createHistorySaver(options: HistorySaverOptions): HistorySaver {
  const throttleMs = options.throttleMs ?? 20_000;
  const clock = options.clock ?? Date.now;
  const monotonic = options.monotonic ?? monotonicNow;
  let lastSave = Number.NEGATIVE_INFINITY;
  let pending: HistorySnapshot | null = null;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  // Consecutive failed writes: each doubles the wait before the next try (full disk, read-only folder).
  let failures = 0;
  let lastError: string | null = null;
  const backoffMs = (): number => throttleMs * 2 ** Math.min(failures, MAX_BACKOFF_DOUBLINGS);

  const write = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const snapshot = pending;
    pending = null;
    if (!snapshot) return writing;
    lastSave = monotonic();
    const savedAt = clock();
    // Writes are chained so two saves never race on the temp file.
    writing = writing.then(async () => {
      const result = await saveHistory(options.cacheDir, snapshot, savedAt);
      const error = result.ok ? null : result.message;
      failures = result.ok ? 0 : failures + 1;
      // A failed write keeps its snapshot unless a newer one arrived meanwhile.
      if (!result.ok) pending ??= snapshot;
      if (error !== lastError) options.onError?.(error);
      lastError = error;
    });
    return writing;
  };

  return {
    schedule(snapshot) {
      pending = snapshot;
      const wait = lastSave + backoffMs() - monotonic();
      if (wait <= 0) {
        void write();
      } else if (!timer) {
        timer = setTimeout(() => void write(), wait);
        timer.unref();
      }
    },
    flush: write,
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
