/**
 * Rolling history of the figures charted in the menu: one aligned time axis and, per tick, one
 * value per series (NaN for a gap). Model series are keyed by model id, so they survive API
 * outages and model restarts; a series is dropped only once it holds nothing but gaps.
 */
import { RingBuffer } from './ring-buffer.js';

export const MODEL_SERIES = ['genTps', 'promptTps', 'memoryBytes', 'queue'] as const;
export const SYSTEM_SERIES = ['cpuPercent', 'memUsedBytes', 'gpuUtilPercent', 'gpuMemUsedBytes'] as const;

export type ModelSeriesName = (typeof MODEL_SERIES)[number];
export type SystemSeriesName = (typeof SYSTEM_SERIES)[number];

/** One model's figures at one poll; null = unknown (recorded as a gap). */
export type ModelSample = { readonly [K in ModelSeriesName]: number | null };
export type SystemSample = { readonly [K in SystemSeriesName]: number | null };

/** Where system figures come from: llama-swap's /api/performance (its machine) or this computer. */
export type SystemSource = 'llama-swap' | 'local';

/** Everything sampled at one poll. `system: null` and no models = the API was down. */
export type HistorySample = {
  readonly at: number;
  readonly system: SystemSample | null;
  /** The machine `system` describes; absent in samples of old history files (unknown). */
  readonly systemSource?: SystemSource | null;
  readonly models: Readonly<Record<string, ModelSample>>;
};

/** Plain arrays (oldest first), aligned with `times`. */
export type HistorySnapshot = {
  readonly capacity: number;
  readonly times: readonly number[];
  readonly system: { readonly [K in SystemSeriesName]: readonly number[] };
  /** The one machine every value of `system` describes; null or absent when unknown (old files). */
  readonly systemSource?: SystemSource | null;
  readonly models: Readonly<Record<string, { readonly [K in ModelSeriesName]: readonly number[] }>>;
};

export type HistoryOptions = {
  /** Samples kept per series (PluginConfig.historySize). */
  readonly capacity: number;
  /** A pause longer than this between two samples is marked by one gap. @default 35000 */
  readonly gapMs?: number;
};

type Rings<K extends string> = Record<K, RingBuffer>;

function rings<K extends string>(names: readonly K[], capacity: number, fill: number): Rings<K> {
  const out = {} as Rings<K>;
  for (const name of names) {
    const ring = new RingBuffer(capacity);
    for (let i = 0; i < fill; i += 1) ring.push(Number.NaN);
    out[name] = ring;
  }
  return out;
}

function num(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
}

/** Mutable history owned by one hook; read it through `snapshot()`. */
export class History {
  readonly capacity: number;
  private readonly gapMs: number;
  private readonly times: RingBuffer;
  private system: Rings<SystemSeriesName>;
  /** The machine the system series describe; null = unknown (empty, or loaded from an old file). */
  private systemSource: SystemSource | null = null;
  /**
   * One set of system series per machine, kept aligned with `times` (a sample of one source is a
   * gap in the others): after an outage llama-swap's earlier figures come back, never mixed.
   */
  private readonly systemBySource = new Map<SystemSource, Rings<SystemSeriesName>>();
  private readonly models = new Map<string, Rings<ModelSeriesName>>();
  private lastAt: number | null = null;
  private cached: HistorySnapshot | null = null;

  constructor(options: HistoryOptions) {
    this.capacity = Math.max(1, Math.floor(options.capacity));
    this.gapMs = options.gapMs ?? 35_000;
    this.times = new RingBuffer(this.capacity);
    this.system = rings(SYSTEM_SERIES, this.capacity, 0);
  }

  /** Rebuilds a history from a snapshot (e.g. loaded from disk), keeping the newest samples. */
  static from(snapshot: HistorySnapshot, options: HistoryOptions): History {
    const history = new History(options);
    for (const sample of snapshotSamples(snapshot)) history.push(sample, true);
    return history;
  }

  /** Appends the samples of `snapshot` newer than the last one held (gaps marked as usual). */
  append(snapshot: HistorySnapshot): void {
    for (const sample of snapshotSamples(snapshot)) this.record(sample);
  }

  /** Time of the newest sample, or null when empty. */
  get lastSampleAt(): number | null {
    return this.lastAt;
  }

  /** Number of samples held. */
  get length(): number {
    return this.times.length;
  }

  /**
   * Records one poll. Returns false (and records nothing) when `at` is not newer than the last
   * sample, so a re-render without a new poll never adds a sample.
   */
  record(sample: HistorySample): boolean {
    if (this.lastAt !== null && !(sample.at > this.lastAt)) return false;
    if (this.lastAt !== null && sample.at - this.lastAt > this.gapMs) {
      this.push({ at: sample.at - 1, system: null, models: {} }, false);
    }
    this.push(sample, false);
    return true;
  }

  /**
   * Moves every sample's time by `deltaMs`, keeping their spacing: after the wall clock was set
   * back, the samples keep their age instead of lying in the "future" (where every new sample
   * would be refused as not newer).
   */
  shiftTimes(deltaMs: number): void {
    if (!Number.isFinite(deltaMs) || deltaMs === 0 || this.lastAt === null) return;
    this.times.addToAll(deltaMs);
    this.lastAt += deltaMs;
    this.cached = null;
  }

  /**
   * Notes that at `at` the figures were still those of the last sample, without adding one (a
   * steady menu then neither slides its charts nor, once they change again, shows a gap).
   */
  touch(at: number): void {
    if (this.lastAt !== null && at > this.lastAt) this.lastAt = at;
  }

  private push(sample: HistorySample, keepEmpty: boolean): void {
    const filled = this.times.length;
    // Figures of another machine (or of an unknown one) never share a series with these: the
    // system series start afresh, as gaps, so charts and min/avg/max cover one source only.
    const source = sample.system === null ? null : (sample.systemSource ?? null);
    if (source !== null && source !== this.systemSource) {
      let own = this.systemBySource.get(source);
      if (own === undefined) {
        own = rings(SYSTEM_SERIES, this.capacity, Math.min(filled, this.capacity));
        this.systemBySource.set(source, own);
      }
      this.system = own;
      this.systemSource = source;
    }
    this.times.push(sample.at);
    for (const name of SYSTEM_SERIES) this.system[name].push(num(sample.system?.[name]));
    // Every other machine's series gets a gap for this sample, so each stays aligned with `times`.
    for (const other of this.systemBySource.values()) {
      if (other !== this.system) for (const name of SYSTEM_SERIES) other[name].push(Number.NaN);
    }
    for (const [id, values] of Object.entries(sample.models)) {
      if (!this.models.has(id)) this.models.set(id, rings(MODEL_SERIES, this.capacity, Math.min(filled, this.capacity)));
      const series = this.models.get(id);
      if (series) for (const name of MODEL_SERIES) series[name].push(num(values[name]));
    }
    for (const [id, series] of this.models) {
      if (Object.hasOwn(sample.models, id)) continue;
      for (const name of MODEL_SERIES) series[name].push(Number.NaN);
      // A model gone for a whole window has nothing left to chart.
      if (!keepEmpty && series.genTps.allGaps() && series.promptTps.allGaps() && series.memoryBytes.allGaps() && series.queue.allGaps()) {
        this.models.delete(id);
      }
    }
    this.lastAt = sample.at;
    this.cached = null;
  }

  /** Plain arrays for rendering and saving; the same object until the next record. */
  snapshot(): HistorySnapshot {
    if (this.cached) return this.cached;
    const models: Record<string, { readonly [K in ModelSeriesName]: readonly number[] }> = {};
    for (const [id, series] of this.models) {
      models[id] = {
        genTps: series.genTps.toArray(),
        promptTps: series.promptTps.toArray(),
        memoryBytes: series.memoryBytes.toArray(),
        queue: series.queue.toArray(),
      };
    }
    this.cached = {
      capacity: this.capacity,
      times: this.times.toArray(),
      system: {
        cpuPercent: this.system.cpuPercent.toArray(),
        memUsedBytes: this.system.memUsedBytes.toArray(),
        gpuUtilPercent: this.system.gpuUtilPercent.toArray(),
        gpuMemUsedBytes: this.system.gpuMemUsedBytes.toArray(),
      },
      systemSource: this.systemSource,
      models,
    };
    return this.cached;
  }
}

/** A snapshot as the samples it was recorded from, oldest first. */
export function snapshotSamples(snapshot: HistorySnapshot): HistorySample[] {
  return snapshot.times.map((at, i) => {
    const models: Record<string, ModelSample> = {};
    for (const [id, m] of Object.entries(snapshot.models)) {
      models[id] = { genTps: m.genTps[i] ?? null, promptTps: m.promptTps[i] ?? null, memoryBytes: m.memoryBytes[i] ?? null, queue: m.queue[i] ?? null };
    }
    const s = snapshot.system;
    const system: SystemSample = {
      cpuPercent: s.cpuPercent[i] ?? null,
      memUsedBytes: s.memUsedBytes[i] ?? null,
      gpuUtilPercent: s.gpuUtilPercent[i] ?? null,
      gpuMemUsedBytes: s.gpuMemUsedBytes[i] ?? null,
    };
    return { at, system, systemSource: snapshot.systemSource ?? null, models };
  });
}
