/** Turns one poll's figures into one history sample (pure). */
import type { HostStats, Result, RunningModel } from '../../system/types.js';
import type { HistorySample, ModelSample } from './history.js';
import type { ModelMetricsEntry, ProcessView } from '../model/menu-input.js';
import { liveModels } from '../model/menu-model.js';
import type { Stamped } from '../polling/poll-sources.js';

/** One history sample from one /running poll and the latest other figures. */
export function sampleOf(
  running: Stamped<Result<readonly RunningModel[]>>,
  metrics: Readonly<Record<string, ModelMetricsEntry>>,
  host: HostStats | null,
  processes: ProcessView | null,
): HistorySample {
  const gpu = host?.gpus[0];
  const models: Record<string, ModelSample> = {};
  if (running.value.ok) {
    for (const m of liveModels(running.value.value)) {
      const e = m.state === 'ready' ? metrics[m.id] : undefined;
      const live = e?.status === 'ok';
      models[m.id] = {
        genTps: live ? e.genTps : null,
        promptTps: live ? e.promptTps : null,
        memoryBytes: processes?.models[m.id]?.rssBytes ?? null,
        queue: live && e.processing !== null ? e.processing + (e.deferred ?? 0) : null,
      };
    }
  }
  return {
    at: running.at,
    system: host
      ? { cpuPercent: host.cpuPercent, memUsedBytes: host.memUsedBytes, gpuUtilPercent: gpu?.utilPercent ?? null, gpuMemUsedBytes: gpu?.memUsedBytes ?? null }
      : null,
    systemSource: host?.source ?? null,
    models,
  };
}

