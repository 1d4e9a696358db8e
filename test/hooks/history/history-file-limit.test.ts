/**
 * The history file's size limit has room for the largest file the plugin writes: the most
 * samples LLAMA_SWAP_HISTORY_SIZE allows, many models, every value at full float precision.
 */
import { describe, expect, it } from 'vitest';
import { History } from '../../../src/hooks/history/history.js';
import { encodeHistory } from '../../../src/hooks/history/history-store.js';
import { SETTING_RANGES } from '../../../src/system/config.js';
import { CACHE_FILE_LIMITS } from '../../../src/system/cache-file.js';

/** Values with as many digits as JSON ever gives a double (e.g. 0.30000000000000004 × 1e…). */
const wide = (i: number, scale: number): number => (i + 0.1234567890123456) * scale + 1 / 3;

function largest(models: number): string {
  const capacity = SETTING_RANGES.historySize.max;
  const history = new History({ capacity });
  const ids = Array.from({ length: models }, (_, m) => `org/some-model-name-${m}-GGUF:Q4_K_M`);
  for (let i = 0; i < capacity; i += 1) {
    const at = 1_800_000_000_000 + i * 1000;
    const model = { genTps: wide(i, 0.01), promptTps: wide(i, 1.1), memoryBytes: wide(i, 1e7), queue: wide(i, 1e-3) };
    history.record({
      at,
      systemSource: 'llama-swap',
      system: { cpuPercent: wide(i, 0.01), memUsedBytes: wide(i, 1e8), gpuUtilPercent: wide(i, 0.001), gpuMemUsedBytes: wide(i, 1e8) },
      models: Object.fromEntries(ids.map((id) => [id, model])),
    });
  }
  return encodeHistory(history.snapshot(), 1_800_000_000_000);
}

describe('history file size limit', () => {
  it('holds the largest history with 32 models, with at least 40 % to spare', () => {
    const bytes = Buffer.byteLength(largest(32));
    expect(bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(bytes / CACHE_FILE_LIMITS.history).toBeLessThan(0.6);
  }, 120_000);
});
