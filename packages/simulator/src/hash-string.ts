/**
 * FNV-1a over UTF-16 code units, as an unsigned 32-bit integer. Used to seed answers from the
 * request and to key caches; not a cryptographic hash.
 *
 * @example
 * hashString('hello') === hashString('hello'); // true
 */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The seed of a conversation's answer, and a 64-bit fingerprint that tells conversations apart
 * (the 32-bit seed alone may collide) for caching replies.
 */
export function conversationSeed(text: string): { seed: number; fingerprint: string } {
  const seed = hashString(text);
  return { seed, fingerprint: `${seed.toString(36)}.${hashString(text, 0x9747b28c).toString(36)}` };
}
