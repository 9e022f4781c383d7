/** Characters a tool name may contain (`^[a-zA-Z0-9_-]{1,64}$` on both APIs): a name must not touch them. */
const NAME_CHARACTER = /[A-Za-z0-9_-]/;

/**
 * The tools whose exact name (case-sensitive, as a whole word) appears in `text`, each once, in
 * the order their names first appear. Decides the parallel tool calls of a turn.
 *
 * @example
 * namedTools('Check get_weather, then search_docs', [searchDocs, getWeather]);
 * // [getWeather, searchDocs]
 */
export function namedTools<Tool extends { name: string }>(text: string, tools: readonly Tool[]): Tool[] {
  const found: Array<{ tool: Tool; at: number }> = [];
  const seen = new Set<string>();
  for (const tool of tools) {
    if (seen.has(tool.name)) continue;
    seen.add(tool.name);
    const at = wholeWordIndex(text, tool.name);
    if (at >= 0) found.push({ tool, at });
  }
  return found.sort((left, right) => left.at - right.at).map((entry) => entry.tool);
}

function wholeWordIndex(text: string, name: string): number {
  if (name === '') return -1;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text.charAt(at - 1);
    const after = text.charAt(at + name.length);
    if (!NAME_CHARACTER.test(before) && !NAME_CHARACTER.test(after)) return at;
  }
  return -1;
}
