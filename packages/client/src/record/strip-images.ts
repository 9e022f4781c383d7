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

/**
 * Replaces data URLs and long base64 runs inside free text with a placeholder.
 *
 * @example
 * stripBase64FromText('see data:image/png;base64,iVBOR...') // 'see [image image/png 1.2 KB sha256:…]'
 */
export function stripBase64FromText(text: string): string {
  if (text.length < 64) return text;
  return text
    .replace(DATA_URL, (_match, mediaType: string, data: string) => imagePlaceholder(mediaType, data))
    .replace(LONG_BASE64, (data) => imagePlaceholder('application/octet-stream', data));
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
