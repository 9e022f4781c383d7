/** One tool result of a round: the tool it answers and whether it reports an error. */
export interface ToolResultOutcome {
  /** The name of the tool whose call the result answers ('' when the call is not found). */
  name: string;
  error: boolean;
}

/** A tool whose result in the latest turn was an error. */
export interface FailingTool {
  name: string;
  /** Consecutive rounds, ending with the latest, in which the tool returned an error (≥ 1). */
  rounds: number;
}

/**
 * After this many consecutive error rounds for a tool, the model stops calling it again and
 * answers in prose that the tool keeps failing.
 */
export const MAX_TOOL_ERROR_ROUNDS = 3;

/**
 * The tools whose results in the latest round are errors, each once, in the order of their
 * first error result, with the number of consecutive rounds (counting back from the latest) in
 * which each returned an error. `rounds` are the conversation's trailing tool rounds (an
 * assistant turn's tool calls and the results that answer them), oldest first.
 *
 * @example
 * failingTools([[{ name: 'a', error: true }], [{ name: 'a', error: true }, { name: 'b', error: false }]]);
 * // [{ name: 'a', rounds: 2 }]
 */
export function failingTools(rounds: ReadonlyArray<readonly ToolResultOutcome[]>): FailingTool[] {
  const latest = rounds.at(-1);
  if (latest === undefined) return [];
  const failing: FailingTool[] = [];
  const seen = new Set<string>();
  for (const outcome of latest) {
    if (!outcome.error || outcome.name === '' || seen.has(outcome.name)) continue;
    seen.add(outcome.name);
    let count = 1;
    for (let index = rounds.length - 2; index >= 0; index--) {
      const round = rounds[index] ?? [];
      if (!round.some((earlier) => earlier.error && earlier.name === outcome.name)) break;
      count++;
    }
    failing.push({ name: outcome.name, rounds: count });
  }
  return failing;
}
