import type { CompletionFlavor, LlamaEngine, SlotView, Timings } from './llama-engine.js';

export type { CompletionFlavor } from './llama-engine.js';

/** Build string reported by the real server the fixtures came from. */
export const BUILD_INFO = 'b9694-4a79037b';

/** Result of a finished generation, as the bodies need it. */
export type Finished = {
  readonly id: string;
  readonly created: number;
  readonly text: string;
  readonly slotId: number;
  readonly promptTokens: number;
  readonly nPredict: number;
  readonly prompt: string;
  readonly truncated: boolean;
  readonly timings: Timings;
};

/** llama.cpp's JSON error body (`{"error":{"code","message","type"}}`, plus n_prompt_tokens/n_ctx when the context is exceeded). */
export function errorBody(code: number, message: string, type: string, extra?: Readonly<Record<string, number>>): string {
  return JSON.stringify({ error: { code, message, type, ...extra } });
}

export const LOADING_BODY = errorBody(503, 'Loading model', 'unavailable_error');
export const METRICS_DISABLED_BODY = errorBody(501, 'This server does not support metrics endpoint. Start it with `--metrics`', 'not_supported_error');
export const NOT_FOUND_BODY = errorBody(404, 'File Not Found', 'not_found_error');

/**
 * A task's sampling params in the real key order; `full` adds what responses carry but `/slots`
 * leaves out (task_params::to_json(only_metrics)). The flavour decides the chat fields.
 */
function slotParams(nPredict: number, stream: boolean, flavor: CompletionFlavor | 'default', full = false): Record<string, unknown> {
  const chat = flavor === 'chat';
  const only = <T extends object>(fields: T): T | Record<string, never> => (full ? fields : {});
  return {
    seed: 4294967295, temperature: 0.800000011920929, dynatemp_range: 0.0, dynatemp_exponent: 1.0, top_k: 40,
    top_p: 0.949999988079071, min_p: 0.05000000074505806, top_n_sigma: -1.0, xtc_probability: 0.0, xtc_threshold: 0.10000000149011612,
    typical_p: 1.0, repeat_last_n: 64, repeat_penalty: 1.0, presence_penalty: 0.0, frequency_penalty: 0.0, dry_multiplier: 0.0,
    dry_base: 1.75, dry_allowed_length: 2, dry_penalty_last_n: 64, ...only({ dry_sequence_breakers: ['\n', ':', '"', '*'] }),
    mirostat: 0, mirostat_tau: 5.0, mirostat_eta: 0.10000000149011612, adaptive_target: -1.0, adaptive_decay: 0.8999999761581421,
    ...only({ stop: [] }), max_tokens: nPredict, n_predict: nPredict, n_keep: 0, n_discard: 0, ignore_eos: false, stream,
    ...only({ logit_bias: [] }), n_probs: 0, min_keep: 0,
    ...only({ grammar: '', grammar_lazy: false, grammar_triggers: [], preserved_tokens: [] }),
    chat_format: chat ? 'peg-native' : 'Content-only', reasoning_format: flavor === 'default' ? 'none' : 'deepseek',
    reasoning_in_content: false, generation_prompt: chat ? '<|im_start|>assistant\n' : '',
    samplers: ['penalties', 'dry', 'top_n_sigma', 'top_k', 'typ_p', 'top_p', 'min_p', 'xtc', 'temperature'],
    'speculative.types': 'none', timings_per_token: false, post_sampling_probs: false, backend_sampling: false, lora: [],
  };
}

/**
 * `/slots` (server_slot::to_json): bare entries for never-used slots; a busy slot's live progress;
 * after release the previous task's id and params stay, but its stats are reset (stats = {}), so
 * n_decoded, n_prompt_tokens_processed and n_prompt_tokens_cache read 0 and n_remain -1.
 */
export function slotsBody(views: readonly SlotView[]): string {
  return JSON.stringify(views.map((v) => {
    const base = { id: v.id, n_ctx: v.nCtx, speculative: false, is_processing: v.task !== null };
    const t = v.task ?? v.last;
    if (!t) return base;
    const live = v.task;
    return {
      ...base, id_task: t.idTask, n_prompt_tokens: v.nTokens,
      n_prompt_tokens_processed: live?.promptCounted ? live.job.promptTokens - live.cached : 0,
      n_prompt_tokens_cache: live ? live.cached : 0, params: slotParams(t.job.nPredict, t.job.stream, t.job.flavor ?? 'chat'),
      next_token: [{
        has_next_token: live !== null, has_new_line: live ? live.text.includes('\n') : false,
        n_remain: live ? live.job.nPredict - live.decoded : -1, n_decoded: live ? live.decoded : 0,
      }],
    };
  }));
}

const CHAT_TEMPLATE = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";
const CHAT_TEMPLATE_CAPS = {
  supports_object_arguments: false, supports_parallel_tool_calls: false, supports_preserve_reasoning: false, supports_reasoning_effort: false,
  supports_string_content: true, supports_system_role: true, supports_tool_calls: false, supports_tools: false, supports_typed_content: false,
};

/** `/props` in the real key order. */
export function propsBody(engine: LlamaEngine): string {
  return JSON.stringify({
    default_generation_settings: { params: slotParams(-1, false, 'default'), n_ctx: engine.nCtx },
    total_slots: engine.nSlots, model_alias: engine.alias, model_ftype: 'Q4_K - Medium', model_path: engine.modelPath,
    modalities: { vision: false, video: false, audio: false }, media_marker: '<__media__>', endpoint_slots: true, endpoint_props: false,
    endpoint_metrics: engine.metricsEnabled, ui: true, ui_settings: {}, chat_template: CHAT_TEMPLATE, chat_template_caps: CHAT_TEMPLATE_CAPS,
    bos_token: '<s>', eos_token: '</s>',
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

/** The slot's sequence after the request: the last sampled token is never decoded. */
function tokensCached(f: Finished): number {
  return f.promptTokens + Math.max(0, f.timings.predicted_n - 1);
}

function usage(f: Finished): Record<string, unknown> {
  return { completion_tokens: f.timings.predicted_n, prompt_tokens: f.promptTokens, total_tokens: f.timings.predicted_n + f.promptTokens, prompt_tokens_details: { cached_tokens: f.timings.cache_n } };
}

/** Non-streaming response body for each endpoint flavour. */
export function completionBody(flavor: CompletionFlavor, model: string, f: Finished): string {
  if (flavor === 'native') {
    return JSON.stringify({
      index: 0, content: f.text, tokens: [], id_slot: f.slotId, stop: true, model, tokens_predicted: f.timings.predicted_n,
      tokens_evaluated: f.promptTokens, generation_settings: slotParams(f.nPredict, false, 'native', true), prompt: f.prompt, has_new_line: f.text.includes('\n'),
      truncated: f.truncated, stop_type: 'limit', stopping_word: '', tokens_cached: tokensCached(f), timings: f.timings,
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
    return [JSON.stringify({ index: 0, content: '', tokens: [], id_slot: f.slotId, stop: true, model: m.model, tokens_predicted: f.timings.predicted_n, tokens_evaluated: f.promptTokens, stop_type: 'limit', stopping_word: '', tokens_cached: tokensCached(f), timings: f.timings })];
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
