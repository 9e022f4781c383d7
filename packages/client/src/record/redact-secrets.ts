/**
 * Patterns of provider API keys and bearer tokens. Anthropic first: its keys also start `sk-`.
 * Kept deliberately broad: a false positive costs a `[REDACTED]` in a log; a miss leaks a key.
 */
const KEY_PATTERNS: RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g,
  /(Bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/gi,
  /(x-api-key["']?\s*[:=]\s*["']?)[A-Za-z0-9._-]{8,}/gi,
];

// Every pattern above needs one of these; one scan for them is ~3x cheaper than the four patterns.
const MAY_HOLD_KEY = /sk-|bearer|x-api-key/i;

export const REDACTED = '[REDACTED]';

/**
 * Removes API keys and configured secrets from a string.
 *
 * @example
 * const redact = createRedactor([process.env.MY_TOKEN ?? '']);
 * redact('key sk-proj-abc123abc123abc123') // 'key [REDACTED]'
 */
export function createRedactor(secrets: Iterable<string | undefined> = []): (text: string) => string {
  const exact = [...secrets].filter(
    (secret): secret is string => typeof secret === 'string' && secret.length >= 6,
  );
  // Longest first, so a secret that contains another is removed whole.
  exact.sort((a, b) => b.length - a.length);
  return (text: string) => {
    let result = text;
    for (const secret of exact) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    if (!MAY_HOLD_KEY.test(result)) return result;
    for (const pattern of KEY_PATTERNS) {
      result = result.replace(pattern, (match, prefix?: string) =>
        typeof prefix === 'string' && match.startsWith(prefix) ? prefix + REDACTED : REDACTED,
      );
    }
    return result;
  };
}

/** Applies a redactor to every string inside a JSON-like value. */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]),
    ) as T;
  }
  return value;
}
