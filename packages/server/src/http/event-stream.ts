import { once } from 'node:events';
import type { FastifyReply } from 'fastify';

/**
 * A Server-Sent Events response on a hijacked reply: numbered events (`id:`), JSON data, and
 * backpressure (a slow reader pauses the writer instead of growing its buffer).
 *
 * @example
 * const events = openEventStream(reply);
 * await events.send('text-delta', { delta: 'Hel' });
 * events.end();
 */
export function openEventStream(reply: FastifyReply) {
  reply.hijack();
  const raw = reply.raw;
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = value as string | number | string[];
  }
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.flushHeaders();
  let id = 0;

  return {
    /** Resolves once the event is handed to the socket (or the socket is gone). */
    async send(event: string, data: unknown): Promise<void> {
      if (raw.destroyed || raw.writableEnded) return;
      id += 1;
      const ok = raw.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (!ok && !raw.destroyed) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
    },
    comment(text: string): void {
      if (!raw.destroyed && !raw.writableEnded) raw.write(`: ${text}\n\n`);
    },
    end(): void {
      if (!raw.writableEnded) raw.end();
    },
    get eventCount(): number {
      return id;
    },
  };
}
