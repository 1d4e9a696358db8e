import type { LlamaEngine, SlotView, Timings } from './llama-engine.js';

/** Build string reported by the real server the fixtures came from. */
export const BUILD_INFO = 'b9694-4a79037b';

/** Which completion endpoint shaped the request. */
export type CompletionFlavor = 'native' | 'text' | 'chat';

/** Result of a finished generation, as the bodies need it. */
export type Finished = {
  readonly id: string;
  readonly created: number;
  readonly text: string;
  readonly slotId: number;
  readonly promptTokens: number;
  readonly nPredict: number;
  readonly prompt: string;
  readonly timings: Timings;
};

/** llama.cpp's JSON error body (`{"error":{"code","message","type"}}`). */
export function errorBody(code: number, message: string, type: string): string {
  return JSON.stringify({ error: { code, message, type } });
}

export const LOADING_BODY = errorBody(503, 'Loading model', 'unavailable_error');
export const METRICS_DISABLED_BODY = errorBody(501, 'This server does not support metrics endpoint. Start it with `--metrics`', 'not_supported_error');
export const NOT_FOUND_BODY = errorBody(404, 'File Not Found', 'not_found_error');

function slotParams(nPredict: number, stream: boolean): Record<string, unknown> {
  return {
    seed: 4294967295, temperature: 0.800000011920929, top_k: 40, top_p: 0.949999988079071, min_p: 0.05000000074505806,
    max_tokens: nPredict, n_predict: nPredict, n_keep: 0, n_discard: 0, ignore_eos: false, stream, n_probs: 0,
    chat_format: 'Content-only', samplers: ['penalties', 'dry', 'top_n_sigma', 'top_k', 'typ_p', 'top_p', 'min_p', 'xtc', 'temperature'],
    lora: [],
  };
}

/** `/slots`: bare entries for never-used slots, progress for busy and previously used ones. */
export function slotsBody(views: readonly SlotView[]): string {
  return JSON.stringify(views.map((v) => {
    const base = { id: v.id, n_ctx: v.nCtx, speculative: false, is_processing: v.task !== null };
    const t = v.task ?? v.last;
    if (!t) return base;
    const promptDone = t.promptCounted ? t.job.promptTokens : 0;
    return {
      ...base, id_task: t.idTask, n_prompt_tokens: t.job.promptTokens, n_prompt_tokens_processed: promptDone,
      n_prompt_tokens_cache: 0, params: slotParams(t.job.nPredict, t.job.stream),
      next_token: [{ has_next_token: v.task !== null, has_new_line: t.text.includes('\n'), n_remain: Math.max(0, t.job.nPredict - t.decoded), n_decoded: t.decoded }],
    };
  }));
}

/** `/props` with the fields a monitor reads. */
export function propsBody(engine: LlamaEngine): string {
  return JSON.stringify({
    default_generation_settings: { params: slotParams(-1, false), n_ctx: engine.nCtx },
    total_slots: engine.nSlots, model_alias: engine.alias, model_path: engine.modelPath,
    modalities: { vision: false, video: false, audio: false }, endpoint_slots: true, endpoint_props: false,
    endpoint_metrics: engine.metricsEnabled, ui: true, webui: true, bos_token: '<s>', eos_token: '</s>',
    build_info: BUILD_INFO, is_sleeping: false, cors_proxy_enabled: false,
  });
}

/** `/models` and `/v1/models` (both shapes in one body, as the real server answers). */
export function modelsBody(engine: LlamaEngine, created: number): string {
  return JSON.stringify({
    models: [{ name: engine.alias, model: engine.alias, modified_at: '', size: '', digest: '', type: 'model', description: '', tags: [''], capabilities: ['completion'], parameters: '', details: { parent_model: '', format: 'gguf', family: '', families: [''], parameter_size: '', quantization_level: '' } }],
    object: 'list',
    data: [{ id: engine.alias, aliases: [engine.alias], tags: [], object: 'model', created, owned_by: 'llamacpp', meta: { vocab_type: 2, n_vocab: 151936, n_ctx: engine.nCtx, n_ctx_train: 32768, n_embd: 3584, n_params: 7615616512, size: 4677120000 } }],
  });
}

function usage(f: Finished): Record<string, unknown> {
  return { completion_tokens: f.timings.predicted_n, prompt_tokens: f.promptTokens, total_tokens: f.timings.predicted_n + f.promptTokens, prompt_tokens_details: { cached_tokens: 0 } };
}

/** Non-streaming response body for each endpoint flavour. */
export function completionBody(flavor: CompletionFlavor, model: string, f: Finished): string {
  if (flavor === 'native') {
    return JSON.stringify({
      index: 0, content: f.text, tokens: [], id_slot: f.slotId, stop: true, model, tokens_predicted: f.timings.predicted_n,
      tokens_evaluated: f.promptTokens, generation_settings: slotParams(f.nPredict, false), prompt: f.prompt, has_new_line: f.text.includes('\n'),
      truncated: false, stop_type: 'limit', stopping_word: '', tokens_cached: f.promptTokens + f.timings.predicted_n, timings: f.timings,
    });
  }
  const common = { created: f.created, model, system_fingerprint: BUILD_INFO };
  if (flavor === 'text') {
    return JSON.stringify({ choices: [{ text: f.text, index: 0, logprobs: null, finish_reason: 'length' }], ...common, object: 'text_completion', usage: usage(f), id: f.id, timings: f.timings });
  }
  return JSON.stringify({ choices: [{ finish_reason: 'length', index: 0, message: { role: 'assistant', content: f.text } }], ...common, object: 'chat.completion', usage: usage(f), id: f.id, timings: f.timings });
}

/** Identity of one streamed response. */
export type StreamMeta = { readonly flavor: CompletionFlavor; readonly model: string; readonly id: string; readonly created: number };

/** The first SSE chunk (only chat sends one before any token). */
export function streamStartChunk(m: StreamMeta): string | null {
  if (m.flavor !== 'chat') return null;
  return JSON.stringify({ choices: [{ finish_reason: null, index: 0, delta: { role: 'assistant', content: null } }], created: m.created, id: m.id, model: m.model, system_fingerprint: BUILD_INFO, object: 'chat.completion.chunk' });
}

/** One SSE chunk carrying a token piece. */
export function streamTokenChunk(m: StreamMeta, piece: string, slotId: number): string {
  if (m.flavor === 'native') return JSON.stringify({ index: 0, content: piece, tokens: [], stop: false, id_slot: slotId, tokens_predicted: 0, tokens_evaluated: 0 });
  if (m.flavor === 'text') return JSON.stringify({ choices: [{ text: piece, index: 0, logprobs: null, finish_reason: null }], created: m.created, model: m.model, system_fingerprint: BUILD_INFO, object: 'text_completion', id: m.id });
  return JSON.stringify({ choices: [{ finish_reason: null, index: 0, delta: { content: piece } }], created: m.created, id: m.id, model: m.model, system_fingerprint: BUILD_INFO, object: 'chat.completion.chunk' });
}

/** The closing SSE chunks (without the `[DONE]` line). */
export function streamEndChunks(m: StreamMeta, f: Finished, includeUsage: boolean): string[] {
  if (m.flavor === 'native') {
    return [JSON.stringify({ index: 0, content: '', tokens: [], id_slot: f.slotId, stop: true, model: m.model, tokens_predicted: f.timings.predicted_n, tokens_evaluated: f.promptTokens, stop_type: 'limit', stopping_word: '', tokens_cached: f.promptTokens + f.timings.predicted_n, timings: f.timings })];
  }
  const common = { created: m.created, id: m.id, model: m.model, system_fingerprint: BUILD_INFO };
  const object = m.flavor === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const finish = m.flavor === 'chat'
    ? { choices: [{ finish_reason: 'length', index: 0, delta: {} }], ...common, object }
    : { choices: [{ text: '', index: 0, logprobs: null, finish_reason: 'length' }], ...common, object };
  const chunks = [JSON.stringify(finish)];
  if (includeUsage) chunks.push(JSON.stringify({ choices: [], ...common, object, usage: usage(f), timings: f.timings }));
  return chunks;
}
