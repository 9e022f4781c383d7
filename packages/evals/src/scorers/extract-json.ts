/**
 * The JSON value in a model's answer: the whole text, else the body of a ```json fence, else the
 * span from the first `{`/`[` to the last `}`/`]`. `undefined` when none parses.
 *
 * @example
 * extractJson('Here you go:\n```json\n{"ok": true}\n```') // { ok: true }
 */
export function extractJson(text: string): unknown {
  const candidates = [text.trim()];
  const fence = /```(?:json)?\s*\n([\s\S]*?)```/i.exec(text);
  if (fence?.[1] !== undefined) candidates.push(fence[1].trim());
  const start = text.search(/[[{]/);
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  if (start !== -1 && end > start) candidates.push(text.slice(start, end + 1));
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next reading
    }
  }
  return undefined;
}
