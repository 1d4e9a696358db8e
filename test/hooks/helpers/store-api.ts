/** FakeApi with llama-swap's activity record: rows with ids, `min_id` reads, per-model stats, and a restart. */
import type { ActivityRow, ModelStats, Result } from '../../../src/system/types.js';
import { FakeApi } from './fake-api.js';

/** llama-swap's activity store as its API answers it (min_id, newest rows, per-model stats). */
export class StoreApi extends FakeApi {
  rows: ActivityRow[] = [];
  readonly asked: (number | null)[] = [];

  add(model: string, outputTokens: number, durationMs = 1000): void {
    const id = (this.rows.at(-1)?.id ?? 0) + 1;
    this.rows.push({ id, model, path: '/v1/chat/completions', status: 200, inputTokens: 10, outputTokens, promptTps: -1, genTps: -1, durationMs });
  }

  /** Another llama-swap process with an empty in-memory store. */
  restart(): void {
    this.rows = [];
  }

  activity(afterId: number | null): Promise<Result<readonly ActivityRow[]>> {
    this.asked.push(afterId);
    const rows = afterId === null ? this.rows.slice(-100) : this.rows.filter((r) => r.id > afterId);
    return Promise.resolve({ ok: true, value: rows });
  }

  modelStats(id: string): Promise<Result<ModelStats>> {
    const mine = this.rows.filter((r) => r.model === id);
    const sum = (f: (r: ActivityRow) => number): number => mine.reduce((n, r) => n + f(r), 0);
    return Promise.resolve({ ok: true, value: { totalRequests: mine.length, inputTokens: sum((r) => r.inputTokens), outputTokens: sum((r) => r.outputTokens), genP50: null, genP95: null } });
  }
}
