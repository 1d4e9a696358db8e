/**
 * zod schemas of llama-swap's live API, read from its source: `/api/events` payloads
 * (internal/server/apigroup.go handleAPIEvents, inflight.go, swaputil/events.go),
 * `/api/metrics/activity` and `/api/metrics/stats` (internal/store/store.go).
 * Request headers of in-flight requests are dropped here (they may carry other clients' keys).
 */
import { z } from 'zod';

const num = z.number().finite();

/** The SSE `data:` of every event: `{"type": …, "data": "<JSON text>"}` (data is a string). */
export const EnvelopeSchema = z.object({ type: z.string(), data: z.string() });

/**
 * `modelStatus`: every configured model with its process state. Newer llama-swap (see README.md
 * here, "Newer llama-swap") adds, only while a model is ready, `readySince` (RFC 3339, whole
 * seconds) and `uptimeMs` (ms ready as of the payload, at least 1); older ones send neither.
 * Peer models follow the local ones: id `<peer>/<model>`, `peerID` set and `state` empty (no
 * process here).
 */
export const ModelStatusSchema = z.array(
  z.object({
    id: z.string(),
    state: z.string(),
    peerID: z.string().optional().catch(undefined),
    readySince: z.string().optional().catch(undefined),
    uptimeMs: num.nonnegative().optional().catch(undefined),
  }),
);

/** `logData` of `/api/events` (older) or `/api/events/logs` (newer): one log chunk or a stream's history. */
export const LogDataSchema = z.object({ source: z.string(), data: z.string() });

const inflightEntry = z.object({
  id: z.string(),
  timestamp: z.string().optional(),
  model: z.string().catch(''),
  req_path: z.string().catch(''),
  method: z.string().catch(''),
  resp_bytes: num.catch(0).optional().default(0),
  elapsed_ms: num.catch(0).optional().default(0),
});
export type InflightEntryJson = z.infer<typeof inflightEntry>;

/** `inflight`: a snapshot (requests omitted when empty: Go's omitempty), an upsert or a remove. */
export const InflightEventSchema = z.discriminatedUnion('operation', [
  z.object({ operation: z.literal('snapshot'), requests: z.array(inflightEntry).nullable().optional() }),
  z.object({ operation: z.literal('upsert'), request: inflightEntry }),
  z.object({ operation: z.literal('remove'), id: z.string() }),
]);

export const ActivityEventSchema = z.object({ id: z.number().int() });

export const ProfileChangedSchema = z.object({ active: z.string().nullable().optional() });

const activityRow = z.object({
  id: z.number().int(),
  model: z.string().catch(''),
  req_path: z.string().catch(''),
  resp_status_code: num.catch(0).optional().default(0),
  tokens: z
    .object({
      input_tokens: num.catch(-1).optional().default(-1),
      output_tokens: num.catch(-1).optional().default(-1),
      prompt_per_second: num.catch(-1).optional().default(-1),
      tokens_per_second: num.catch(-1).optional().default(-1),
    })
    .catch({ input_tokens: -1, output_tokens: -1, prompt_per_second: -1, tokens_per_second: -1 }),
  duration_ms: num.catch(0).optional().default(0),
});

/** `GET /api/metrics/activity`: one page of rows. */
export const ActivityRowsSchema = z.object({ data: z.array(activityRow).nullable().optional(), total: z.number().int().optional() });

const histogram = z.object({ p50: num, p95: num }).nullable().optional().catch(null);

/** `GET /api/metrics/stats?model=`. */
export const ActivityStatsSchema = z.object({
  total_requests: z.number().int().nonnegative(),
  total_input_tokens: num.catch(0).optional().default(0),
  total_output_tokens: num.catch(0).optional().default(0),
  gen_histogram: histogram,
});

/** `meta.llamaswap` of a `/v1/models` entry. */
export const LlamaSwapMetaSchema = z
  .object({
    type: z.string().optional(),
    strategy: z.string().optional().catch(undefined),
    targets: z.array(z.string()).optional().catch(undefined),
    peerID: z.string().optional().catch(undefined),
  })
  .optional()
  .catch(undefined);
