const WORDS = [
  ' the', ' model', ' swaps', ' quietly', ' while', ' a', ' little', ' llama', ' reads', ' tokens',
  ' from', ' its', ' cache', '.', ' Then', ' it', ' writes', ' code', ',', ' tests', ' and', ' stories',
  ' about', ' slots', ' that', ' never', ' sleep', '\n', ' One', ' day', ' metrics', ' moved',
];

/** Deterministic stream of token pieces (each piece counts as one generated token). */
export function makeTokenSource(seed: number): () => string {
  let state = (seed * 2654435761 + 12345) >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return WORDS[state % WORDS.length] ?? ' token';
  };
}

/** Rough prompt-token estimate: about four characters per token plus BOS. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4) + 1);
}
