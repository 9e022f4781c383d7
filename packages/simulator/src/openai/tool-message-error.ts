/** The text starts with the word "error" or "invalid", in any case (`Error: …`, `error: …`, `Invalid arguments …`). */
const ERROR_TEXT = /^\s*(?:error|invalid)\b/i;

/**
 * Whether the text of an OpenAI `role: 'tool'` message reports an error. The wire has no error
 * flag, so the simulator reads the text as a model would: JSON with a top-level `"error"` key, or
 * text that starts with the word `Error` or `Invalid` (any case).
 *
 * @example
 * toolMessageIsError('Error: Invalid arguments for tool "weather"'); // true
 * toolMessageIsError('{"error": "city not found"}'); // true
 * toolMessageIsError('{"temperature": 21}'); // false
 */
export function toolMessageIsError(text: string): boolean {
  if (ERROR_TEXT.test(text)) return true;
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(trimmed);
    return (
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, 'error')
    );
  } catch {
    return false;
  }
}
