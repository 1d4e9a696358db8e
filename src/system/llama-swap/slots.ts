/**
 * llama-server's `/slots` (tools/server/server-context.cpp, server_slot::to_json), read only for
 * what live rates need: which slots are processing which task, and how many tokens each task
 * has generated so far. Lenient: unknown fields are ignored, a slot without progress counts 0.
 */
import { z } from 'zod';
import type { SlotProgress } from '../types.js';

const count = z.number().finite().nonnegative();

const SlotSchema = z.object({
  id: z.number().int(),
  is_processing: z.boolean().catch(false),
  id_task: z.number().int().optional().catch(undefined),
  next_token: z
    .array(z.object({ n_decoded: count.catch(0).optional().default(0) }).catch({ n_decoded: 0 }))
    .optional()
    .catch(undefined),
});

/** The answer of `/slots`: an array of slots (llama-server answers 501 when started with --no-slots). */
export const SlotsSchema = z.array(SlotSchema);

/** Parses a `/slots` body; null when it is not one. */
export function parseSlots(json: unknown): readonly SlotProgress[] | null {
  const p = SlotsSchema.safeParse(json);
  if (!p.success) return null;
  return p.data.map((s) => ({
    id: s.id,
    task: s.id_task ?? null,
    processing: s.is_processing,
    decoded: s.next_token?.[0]?.n_decoded ?? 0,
  }));
}

/** The tasks being processed, as a comparable key ("3:17,5:22"). */
export function processingKey(slots: readonly SlotProgress[]): string {
  return slots
    .filter((s) => s.processing)
    .map((s) => `${s.id}:${s.task ?? '-'}`)
    .sort()
    .join(',');
}
