/** Trims and collapses runs of whitespace, and lower-cases unless `caseSensitive`. */
export function normalizeText(text: string, caseSensitive: boolean): string {
  const collapsed = text.trim().replace(/\s+/g, ' ');
  return caseSensitive ? collapsed : collapsed.toLowerCase();
}
