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
// The shortest text any pattern above matches (`sk-ant-` and 8 characters).
const SHORTEST_KEY_MATCH = 15;

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
  // Shorter text holds no secret and matches no pattern (roles, finish reasons, model ids).
  const shortest = Math.min(SHORTEST_KEY_MATCH, exact.at(-1)?.length ?? SHORTEST_KEY_MATCH);
  return (text: string) => {
    if (text.length < shortest) return text;
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

/**
 * Applies a redactor to every string inside a JSON-like value (a copy; the value is not changed).
 * Runs on every call record, so it copies with plain loops rather than `Object.entries`.
 */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) copy[index] = redactDeep(value[index], redact);
    return copy as T;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = redactDeep((value as Record<string, unknown>)[key], redact);
      // A parsed `"__proto__"` key is data: define it, never assign it (that would set the prototype).
      if (key === '__proto__')
        Object.defineProperty(copy, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else copy[key] = item;
    }
    return copy as T;
  }
  return value;
}
