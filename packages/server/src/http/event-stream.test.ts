import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStream } from './event-stream.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('openEventStream (real HTTP)', () => {
  it('writes the events and comments of one tick as one write, in order, with ids', async () => {
    app = Fastify();
    const writes: string[] = [];
    app.get('/events', async (_request, reply) => {
      const raw = reply.raw;
      const write = raw.write.bind(raw) as (chunk: string) => boolean;
      raw.write = ((chunk: string) => {
        writes.push(chunk);
        return write(chunk);
      }) as typeof raw.write;
      const events = openEventStream(reply);
      expect(events.send('a', { n: 1 })).toBeUndefined();
      events.send('b', { n: 2 });
      events.comment('x');
      await new Promise((resolve) => setImmediate(resolve));
      events.send('c', { n: 3 });
      events.end();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const first = 'id: 1\nevent: a\ndata: {"n":1}\n\nid: 2\nevent: b\ndata: {"n":2}\n\n: x\n\n';
    const second = 'id: 3\nevent: c\ndata: {"n":3}\n\n';
    expect(await response.text()).toBe(first + second);
    expect(writes).toEqual([first, second]);
  });
});
