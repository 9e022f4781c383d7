const PLACEHOLDER_WORDS = [
  'changeme',
  'change-me',
  'change_me',
  'replaceme',
  'replace-me',
  'replace_me',
  'placeholder',
];
const PLACEHOLDER_EXACT = new Set([
  'secret',
  'password',
  'todo',
  'test',
  'example',
  'dummy',
  'none',
  'null',
  'undefined',
]);

/**
 * True for values copied from a template rather than a real secret: `changeme`, `sk-...`,
 * `your-api-key`, `<key>`, `${KEY}`, `xxxx`. Real keys never look like these, so refusing them
 * turns a silent 401 at the first request into an error at start-up.
 *
 * @example
 * isPlaceholderSecret('sk-your-key-here'); // true
 * isPlaceholderSecret('sk-proj-3kd93…');    // false
 */
export function isPlaceholderSecret(value: string): boolean {
  const lower = value.trim().toLowerCase();
  if (PLACEHOLDER_EXACT.has(lower)) return true;
  if (PLACEHOLDER_WORDS.some((word) => lower.includes(word))) return true;
  if (/(^|[-_])your([-_]|$)/.test(lower)) return true;
  if (lower.includes('...') || lower.includes('…')) return true;
  if (/^<.*>$/.test(lower) || /^\$\{.*\}$/.test(lower)) return true;
  if (/x{4,}/.test(lower)) return true;
  return false;
}
