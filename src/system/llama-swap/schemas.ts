/**
 * zod schemas of llama-swap's JSON answers, read from its source (internal/server/api.go,
 * apigroup.go). Lenient where versions differ (missing fields default), strict on types.
 */
import { z } from 'zod';
import { LlamaSwapMetaSchema } from './live-schemas.js';

const str = z.string().catch('');
const num = z.number().finite();
const optNum = z.number().nullable().optional();

/** `GET /running`. */
export const RunningSchema = z.object({
  running: z.array(
    z.object({
      model: z.string(),
      state: z.string(),
      cmd: str.optional().default(''),
      proxy: str.optional().default(''),
      ttl: num.catch(0).optional().default(0),
      name: str.optional().default(''),
      description: str.optional().default(''),
    }),
  ),
});

/** `GET /v1/models`; `status` is absent on older versions. */
export const ModelsSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      name: str.optional().default(''),
      description: str.optional().default(''),
      status: z.object({ value: z.string() }).optional().catch(undefined),
      meta: z.object({ llamaswap: LlamaSwapMetaSchema }).optional().catch(undefined),
    }),
  ),
});

const sysStat = z.object({
  timestamp: z.string().optional(),
  cpu_util_per_core: z.array(num).nullable().optional(),
  mem_total_mb: num,
  mem_used_mb: num,
  swap_total_mb: optNum,
  swap_used_mb: optNum,
  load_avg_1: optNum,
});

const gpuStat = z.object({
  timestamp: z.string().optional(),
  id: z.union([z.number(), z.string()]).optional(),
  name: z.string().optional(),
  uuid: z.string().optional(),
  temp_c: optNum,
  gpu_util_pct: optNum,
  mem_used_mb: optNum,
  mem_total_mb: optNum,
  power_draw_w: optNum,
});

/** `GET /api/performance`; gpu_stats is null on GPU-less hosts. */
export const PerformanceSchema = z.object({
  enabled: z.boolean().optional(),
  sys_stats: z.array(sysStat).nullable().optional(),
  gpu_stats: z.array(gpuStat).nullable().optional(),
});

export type SysStatJson = z.infer<typeof sysStat>;
export type GpuStatJson = z.infer<typeof gpuStat>;

/** `GET /api/profiles`. */
export const ProfilesSchema = z.object({
  active: z.string().nullable().optional().default(null),
  profiles: z
    .array(
      z.object({
        id: z.string(),
        description: str.optional().default(''),
        pins: z.record(z.string(), z.string()).nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
});

/** `PUT /api/profiles/active`. */
export const ActiveProfileSchema = z.object({ active: z.string().nullable().optional() });

/** `GET /api/metrics/activity` (one page of activity rows; `total` counts every matching row). */
export const ActivityPageSchema = z.object({ total: z.number().int().nonnegative() });
