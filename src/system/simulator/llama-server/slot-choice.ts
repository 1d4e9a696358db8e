/** What slot selection needs to know about one slot. */
export type SlotCandidate = {
  readonly busy: boolean;
  /** Text whose tokens the slot still holds (last prompt + generation); '' when empty. */
  readonly cachedText: string;
  /** Time the slot was last released; -1 when never used. */
  readonly lastUsed: number;
};

/** llama-server's default `--slot-prompt-similarity`. */
const SIMILARITY = 0.1;

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Prompt tokens a slot can reuse for `prompt` (`promptTokens` long): the common prefix in tokens
 * (about four characters each, plus BOS), always leaving one token to evaluate for the logits.
 */
export function reusableTokens(cachedText: string, prompt: string, promptTokens: number): number {
  const chars = cachedText && prompt ? commonPrefix(cachedText, prompt) : 0;
  if (chars === 0) return 0;
  return Math.max(0, Math.min(promptTokens - 1, 1 + Math.floor(chars / 4)));
}

/**
 * Index of the idle slot a new request goes to, or -1: the one sharing the largest part of the
 * prompt (above 10 %), else the least recently used (get_available_slot); its `<=` makes the
 * highest id win a tie, so a fresh server starts with its last slot.
 */
export function chooseSlot(slots: readonly SlotCandidate[], prompt: string, promptTokens: number): number {
  let best = -1;
  let bestSim = 0;
  for (const [i, s] of slots.entries()) {
    if (s.busy || !s.cachedText) continue;
    const sim = reusableTokens(s.cachedText, prompt, promptTokens) / promptTokens;
    if (sim > bestSim && sim > SIMILARITY) {
      best = i;
      bestSim = sim;
    }
  }
  if (best >= 0) return best;
  let oldest = -1;
  for (const [i, s] of slots.entries()) {
    if (s.busy) continue;
    if (oldest < 0 || s.lastUsed <= (slots[oldest]?.lastUsed ?? 0)) oldest = i;
  }
  return oldest;
}
