/** Word tokens for text overlap: runs of letters or digits, lower-cased, in any script. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Length of the longest common subsequence of two token lists (O(n·m) time, O(m) memory). */
export function longestCommonSubsequence(left: readonly string[], right: readonly string[]): number {
  if (left.length === 0 || right.length === 0) return 0;
  let previous = new Uint32Array(right.length + 1);
  let current = new Uint32Array(right.length + 1);
  for (const token of left) {
    for (let index = 1; index <= right.length; index++) {
      current[index] =
        token === right[index - 1]
          ? previous[index - 1]! + 1
          : Math.max(previous[index]!, current[index - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[right.length]!;
}

/**
 * ROUGE-L F1 between a candidate and a reference (Lin, 2004): precision and recall of their longest
 * common word subsequence, combined as F1. 1 for identical token lists, 0 for no common word; two
 * empty texts count as identical.
 *
 * @example
 * rougeL('the cat sat on the mat', 'the cat is on the mat') // ≈ 0.83
 */
export function rougeL(candidate: string, reference: string): number {
  const candidateTokens = wordTokens(candidate);
  const referenceTokens = wordTokens(reference);
  if (candidateTokens.length === 0 && referenceTokens.length === 0) return 1;
  const common = longestCommonSubsequence(candidateTokens, referenceTokens);
  if (common === 0) return 0;
  const precision = common / candidateTokens.length;
  const recall = common / referenceTokens.length;
  return (2 * precision * recall) / (precision + recall);
}
