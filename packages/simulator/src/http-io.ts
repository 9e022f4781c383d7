import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies above this are refused with 413 (the real APIs refuse at a similar size). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/**
 * The request body as text (UTF-8). Rejects with `BodyTooLargeError` past `MAX_BODY_BYTES`.
 *
 * @example
 * const text = await readBody(request);
 */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`request body larger than ${MAX_BODY_BYTES} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    request.on('error', reject);
  });
}

/** Sends a whole JSON body with `content-length`, keeping the connection reusable. */
export function sendJson(response: ServerResponse, status: number, headers: string[], body: string): void {
  if (response.destroyed || response.headersSent) return;
  headers.push('content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)));
  response.writeHead(status, headers);
  response.end(body);
}

let counter = 0;
const processTag = Math.floor(Math.random() * 36 ** 6)
  .toString(36)
  .padStart(6, '0');

/** A unique id such as `req_k3j9x2000001a`: a per-process tag plus a counter, cheap enough for the hot path. */
export function nextId(prefix: string, length = 24): string {
  counter++;
  const tail = counter.toString(36);
  return `${prefix}${processTag}${'0'.repeat(Math.max(0, length - processTag.length - tail.length))}${tail}`;
}

/** A header's value as one string (the first, when repeated). */
export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Waits `ms` unless it is zero (the instant profile never touches a timer). */
export function delay(ms: number): Promise<void> | undefined {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined;
}
