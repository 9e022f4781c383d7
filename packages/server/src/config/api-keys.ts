import { createHash } from 'node:crypto';
import { isPlaceholderSecret } from './is-placeholder-secret.ts';

/** An API key the server accepts; `owner` is what tasks, calls and usage are scoped to. */
export type ApiKey = { owner: string; key: string };

/** The shortest bearer key accepted: shorter ones are guessable. */
export const MIN_API_KEY_LENGTH = 16;

/**
 * Parses `REINS_API_KEYS`: a comma-separated list of `owner:key` (or a bare `key`, whose owner
 * becomes `key-<first 8 hex of its sha256>`). Returns an error message instead of throwing so the
 * config loader can report it against the variable.
 *
 * @example
 * parseApiKeys('alice:3f9a0c6e1b7d4e28a5c1,bob:8e2f61d0c4b9a7e35d10');
 * // [{ owner: 'alice', key: '3f9a…' }, { owner: 'bob', key: '8e2f…' }]
 */
export function parseApiKeys(value: string): ApiKey[] | { error: string } {
  const keys: ApiKey[] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(':');
    const owner = separator === -1 ? ownerOf(entry) : entry.slice(0, separator).trim();
    const key = separator === -1 ? entry : entry.slice(separator + 1).trim();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(owner)) {
      return { error: `entry ${index + 1}: the owner must be 1-64 characters of A-Z a-z 0-9 . _ -` };
    }
    if (key.length < MIN_API_KEY_LENGTH) {
      return {
        error: `entry ${index + 1} (${owner}): a key needs at least ${MIN_API_KEY_LENGTH} characters`,
      };
    }
    if (isPlaceholderSecret(key)) {
      return { error: `entry ${index + 1} (${owner}): the key is a placeholder, not a secret` };
    }
    if (keys.some((existing) => existing.owner === owner)) {
      return { error: `owner '${owner}' appears twice` };
    }
    if (keys.some((existing) => existing.key === key)) {
      return { error: `entry ${index + 1} (${owner}): the same key is listed twice` };
    }
    keys.push({ owner, key });
  }
  return keys;
}

function ownerOf(key: string): string {
  return `key-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}
