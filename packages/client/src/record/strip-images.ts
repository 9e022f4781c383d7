import { createHash } from 'node:crypto';
import type { ContentPart, Message } from '../messages.ts';

const DATA_URL = /data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\r\n]+)/gi;
// A run this long of base64 alphabet inside text is a pasted file, not prose.
const LONG_BASE64 = /[A-Za-z0-9+/]{512,}={0,2}/g;

/**
 * The placeholder that stands for an image in logs and the store, so a person sees that an
 * image was there, what kind, how big, and can match it to others by hash.
 *
 * @example
 * imagePlaceholder('image/png', base64) // '[image image/png 34.2 KB sha256:ab12cd34]'
 */
export function imagePlaceholder(mediaType: string, base64: string): string {
  const bytes = Math.floor((base64.replace(/[\r\n=]/g, '').length * 3) / 4);
  const hash = createHash('sha256').update(base64).digest('hex').slice(0, 8);
  return `[image ${mediaType} ${formatBytes(bytes)} sha256:${hash}]`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// The regular expressions above cost ~20 ns per character of ordinary prose; `mayHoldBase64`
// answers "maybe" for any data URL and any run of 64+ base64 characters (far below LONG_BASE64's
// 512) at a small fraction of that, so clean text, nearly all of it, skips them.
const MIN_SUSPECT_RUN = 64;
const BASE64_CODES = new Uint8Array(128);
for (const character of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  BASE64_CODES[character.charCodeAt(0)] = 1;

function isBase64Code(code: number): boolean {
  return code < 128 && BASE64_CODES[code] === 1;
}

/**
 * True when `text` may hold what `stripBase64FromText` replaces: a `data:` (any case) or a run of
 * 64+ base64 characters. Never false when the strip would change the text. Every run of 64
 * characters covers exactly one index ≡ 63 (mod 64), so only those indexes are sampled and a run
 * is measured around a sample that is a base64 character: about one character in ten is read.
 */
export function mayHoldBase64(text: string): boolean {
  const length = text.length;
  for (let sample = MIN_SUSPECT_RUN - 1; sample < length; sample += MIN_SUSPECT_RUN) {
    if (!isBase64Code(text.charCodeAt(sample))) continue;
    let start = sample;
    while (start > 0 && sample - start < MIN_SUSPECT_RUN - 1 && isBase64Code(text.charCodeAt(start - 1)))
      start--;
    let end = sample + 1;
    while (end < length && end - start < MIN_SUSPECT_RUN && isBase64Code(text.charCodeAt(end))) end++;
    if (end - start >= MIN_SUSPECT_RUN) return true;
  }
  return hasDataScheme(text);
}

/** `data:` in any case; `indexOf(':')` is far cheaper than a case-insensitive regular expression. */
function hasDataScheme(text: string): boolean {
  for (let colon = text.indexOf(':', 4); colon !== -1; colon = text.indexOf(':', colon + 1)) {
    if (
      (text.charCodeAt(colon - 4) | 0x20) === 0x64 && // d
      (text.charCodeAt(colon - 3) | 0x20) === 0x61 && // a
      (text.charCodeAt(colon - 2) | 0x20) === 0x74 && // t
      (text.charCodeAt(colon - 1) | 0x20) === 0x61 // a
    )
      return true;
  }
  return false;
}

/** The replacement itself, without the pre-check (exported for the test that checks the pre-check). */
export function replaceBase64(text: string): string {
  return text
    .replace(DATA_URL, (_match, mediaType: string, data: string) => imagePlaceholder(mediaType, data))
    .replace(LONG_BASE64, (data) => imagePlaceholder('application/octet-stream', data));
}

/**
 * Replaces data URLs and long base64 runs inside free text with a placeholder.
 *
 * @example
 * stripBase64FromText('see data:image/png;base64,iVBOR...') // 'see [image image/png 1.2 KB sha256:…]'
 */
export function stripBase64FromText(text: string): string {
  if (text.length < 64 || !mayHoldBase64(text)) return text;
  return replaceBase64(text);
}

function stripPart(part: ContentPart): ContentPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: stripBase64FromText(part.text) };
    case 'image':
      if (part.data !== undefined) return { type: 'text', text: imagePlaceholder(part.mediaType, part.data) };
      return { type: 'image', url: stripBase64FromText(part.url) };
    case 'tool-call':
      return { ...part, input: stripDeep(part.input) };
    case 'tool-result':
      return { ...part, output: stripDeep(part.output) };
  }
}

/** Strips base64 from any JSON-like value (tool inputs and outputs). */
export function stripDeep(value: unknown): unknown {
  if (typeof value === 'string') return stripBase64FromText(value);
  if (Array.isArray(value)) return value.map(stripDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stripDeep(item)]));
  }
  return value;
}

/**
 * Returns a copy of the messages with every inline image (base64 part or data URL) replaced by a
 * text placeholder. URLs that point elsewhere are kept: they are readable and small.
 */
export function stripImages(messages: Message[]): Message[] {
  return messages.map((message) =>
    typeof message.content === 'string'
      ? { ...message, content: stripBase64FromText(message.content) }
      : { ...message, content: message.content.map(stripPart) },
  );
}
