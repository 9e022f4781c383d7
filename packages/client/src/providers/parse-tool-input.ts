/**
 * Parses a tool call's JSON arguments. Invalid JSON yields `undefined`, so the tool loop can
 * send the model a "your arguments are not valid JSON" result instead of throwing.
 *
 * @example
 * parseToolInput('{"city":"Oslo"}') // { city: 'Oslo' }
 * parseToolInput('') // {}
 */
export function parseToolInput(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
