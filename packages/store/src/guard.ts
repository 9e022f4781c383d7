import { createRedactor, stripBase64FromText } from '@reins/client/record';

/** Environment variables whose values are redacted from everything the store writes. */
export const SECRET_ENV_KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'] as const;

// Joins strings for one combined check. No redaction or base64 pattern matches it, so a match in
// the joined text lies inside one of the strings, and a clean joined text means clean strings.
const SEPARATOR = '\u0000';

export type TextGuard = {
  /** The strings redacted besides the key patterns (configured secrets and env keys): what builds the same guard in another thread. */
  secrets: readonly string[];
  /** Redacts API keys and configured secrets. */
  redact: (text: string) => string;
  /** Strips base64 (data URLs, long runs), then redacts: what every stored string goes through. */
  clean: (text: string) => string;
  /** True when no string inside `value` would change under `clean` and it holds no inline image. */
  isClean: (value: unknown) => boolean;
  /** True when none of `texts` would change under `clean` (one combined pass). */
  isCleanText: (texts: readonly string[]) => boolean;
  /** Cleans every string property of a row in place (one combined pass when nothing needs it). */
  cleanRow: <T extends object>(row: T) => T;
};

function collectStrings(value: unknown, into: string[]): boolean {
  if (typeof value === 'string') {
    into.push(value);
    return true;
  }
  if (Array.isArray(value)) return value.every((item) => collectStrings(item, into));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record['type'] === 'image' && typeof record['data'] === 'string') return false;
    for (const item of Object.values(record)) if (!collectStrings(item, into)) return false;
  }
  return true;
}

/**
 * Builds the store's own redaction, independent of the client's: the store is the last line of
 * defence, so it strips and redacts again whatever a sink hands it. Configured secrets are also
 * matched in their JSON-escaped form, since rows hold JSON text.
 *
 * @example
 * const guard = createTextGuard(['my-webhook-token'], process.env);
 * guard.clean('token my-webhook-token') // 'token [REDACTED]'
 */
export function createTextGuard(
  secrets: readonly string[] = [],
  env: Record<string, string | undefined> = process.env,
): TextGuard {
  const plain = [...secrets, ...SECRET_ENV_KEYS.map((key) => env[key])].filter(
    (secret): secret is string => typeof secret === 'string' && secret !== '',
  );
  const escaped = plain
    .map((secret) => JSON.stringify(secret).slice(1, -1))
    .filter((secret, index) => secret !== plain[index]);
  const redact = createRedactor([...plain, ...escaped]);
  // `stripBase64FromText` pre-checks cheaply (~1 ns a character) before its regular expressions.
  const clean = (text: string) => redact(stripBase64FromText(text));
  const isCleanText = (texts: readonly string[]): boolean => {
    const joined = texts.join(SEPARATOR);
    return clean(joined) === joined;
  };
  const isCleanRow = (row: object): boolean => {
    const record = row as Record<string, unknown>;
    const strings: string[] = [];
    for (const key in record) {
      const value = record[key];
      if (typeof value === 'string') strings.push(value);
    }
    return isCleanText(strings);
  };
  return {
    secrets: plain,
    redact,
    clean,
    isClean: (value) => {
      const strings: string[] = [];
      if (!collectStrings(value, strings)) return false;
      const joined = strings.join(SEPARATOR);
      return clean(joined) === joined;
    },
    isCleanText,
    cleanRow: (row) => {
      if (isCleanRow(row)) return row;
      const record = row as Record<string, unknown>;
      for (const key in record) {
        const value = record[key];
        if (typeof value === 'string') record[key] = clean(value);
      }
      return row;
    },
  };
}
