/** One configured model of the simulated llama-swap (mirrors a `models:` entry of its YAML). */
export type SimModelConfig = {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly aliases?: readonly string[];
  readonly unlisted?: boolean;
  /** Unload after this many idle seconds; 0 = never. */
  readonly ttl?: number;
  /** Whether the simulated llama-server was started with `--metrics`. */
  readonly metrics?: boolean;
  readonly slots?: number;
  /** Tokens per second per slot. */
  readonly tps?: number;
  /** Milliseconds in state `starting`; defaults to the simulator's `loadMs`. */
  readonly loadMs?: number;
  readonly nCtx?: number;
  /** Resident memory of the loaded model, for `/api/performance`. */
  readonly memMb?: number;
  /** `openai`: an upstream that is not llama.cpp (vLLM, fake-model…): no `/metrics` route (404). @default 'llama-server' */
  readonly upstream?: 'llama-server' | 'openai';
  /** The command fails during start-up with this reason (llama-swap logs it and answers 500). */
  readonly failStart?: string;
};

/** A `selectors:` entry: a virtual id llama-swap resolves to one of its targets per request. */
export type SimSelectorConfig = {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly strategy: 'warm' | 'pin' | 'spillover';
  readonly targets: readonly string[];
};

/** A `groups:` entry; models in no group form the default group (swap and exclusive). */
export type SimGroupConfig = {
  readonly members: readonly string[];
  /** Only one member runs at a time (default true). */
  readonly swap?: boolean;
  /** Loading a member unloads models of other, non-persistent groups (default true). */
  readonly exclusive?: boolean;
  /** Other groups never unload this group's models (default false). */
  readonly persistent?: boolean;
};

/** A `profiles:` entry. */
export type SimProfileConfig = {
  readonly id: string;
  readonly description?: string;
  readonly pins: Readonly<Record<string, string>>;
};

export const DEFAULT_GROUP_ID = '(default)';

/** The default model set: four realistic models, one without `--metrics`. */
export const DEFAULT_MODELS: readonly SimModelConfig[] = [
  { id: 'qwen2.5-coder-7b', name: 'Qwen 2.5 Coder 7B', description: 'code completion', aliases: ['coder'], ttl: 0, metrics: true, slots: 4, tps: 42, memMb: 5200 },
  { id: 'llama-3.2-3b-instruct', name: 'Llama 3.2 3B Instruct', description: 'fast chat', aliases: ['fast'], ttl: 300, metrics: true, slots: 4, tps: 78, memMb: 2600 },
  { id: 'gemma-3-12b', name: 'Gemma 3 12B', description: 'general assistant', ttl: 600, metrics: true, slots: 2, tps: 21, memMb: 8900 },
  { id: 'nomic-embed-text', name: 'Nomic Embed Text v1.5', description: 'embeddings, started without --metrics', ttl: 120, metrics: false, slots: 8, tps: 400, memMb: 300 },
];

/**
 * Example groups (not the default, which is llama-swap's single swapping group): the chat models
 * swap among themselves while the embedder stays loaded alongside.
 */
export const EXAMPLE_GROUPS: Readonly<Record<string, SimGroupConfig>> = {
  chat: { members: ['qwen2.5-coder-7b', 'llama-3.2-3b-instruct', 'gemma-3-12b'], swap: true, exclusive: false },
  embed: { members: ['nomic-embed-text'], swap: true, exclusive: false, persistent: true },
};

/** One selector, so the demo shows one: the coder when loaded, else the fast chat model. */
export const DEFAULT_SELECTORS: readonly SimSelectorConfig[] = [
  { id: 'assistant', name: 'Assistant', description: 'the coder when loaded, else the fast chat model', strategy: 'warm', targets: ['qwen2.5-coder-7b', 'llama-3.2-3b-instruct'] },
];

export const DEFAULT_PROFILES: readonly SimProfileConfig[] = [
  { id: 'coding', description: 'Coder with the embedder', pins: { coder: 'qwen2.5-coder-7b', embed: 'nomic-embed-text' } },
  { id: 'chat', description: 'General chat', pins: { chat: 'gemma-3-12b', fast: 'llama-3.2-3b-instruct' } },
];

/** Resolves group membership with llama-swap's semantics (unlisted models join the default group). */
export function groupOf(groups: Readonly<Record<string, SimGroupConfig>>, modelId: string): { id: string; swap: boolean; exclusive: boolean; persistent: boolean } {
  for (const [id, g] of Object.entries(groups)) {
    if (g.members.includes(modelId)) return { id, swap: g.swap ?? true, exclusive: g.exclusive ?? true, persistent: g.persistent ?? false };
  }
  return { id: DEFAULT_GROUP_ID, swap: true, exclusive: true, persistent: false };
}

/** Which running models must stop before `target` starts (llama-swap's groupSwapper rules). */
export function evictionsFor(groups: Readonly<Record<string, SimGroupConfig>>, target: string, running: readonly string[]): string[] {
  const tg = groupOf(groups, target);
  return running.filter((id) => {
    if (id === target) return false;
    const og = groupOf(groups, id);
    if (og.id === tg.id) return tg.swap;
    return tg.exclusive && !og.persistent;
  });
}
