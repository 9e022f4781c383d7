const PIECE = /\s*\S{1,12}|\s+$/gu;

/**
 * Splits text into stream deltas of about one token each: a word with its leading space, long
 * words and JSON in runs of at most 12 characters. Joining the pieces gives the text back.
 *
 * @example
 * splitPieces('Hello there'); // ['Hello', ' there']
 */
export function splitPieces(text: string): string[] {
  return text.match(PIECE) ?? [];
}
