import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/services.ts';
import { readEvents, type SseEvent } from '../../test/helpers/sse.ts';
import { ALICE_KEY, TWO_KEYS } from '../../test/helpers/test-app.ts';
import { createApp } from '../app.ts';
import { createTestDeps, type TestDeps } from '../testing/create-test-deps.ts';

let running: { app: FastifyInstance; deps: TestDeps } | undefined;
afterEach(async () => {
  await running?.app.close();
  await running?.deps.close();
  running = undefined;
});

/** The app on a real port: SSE and disconnects need real sockets. */
async function listen(env: Record<string, string> = {}, simulatorLatencyScale?: number) {
  const deps = await createTestDeps({
    env: { ...TWO_KEYS, ...env },
    runtime: simulatorLatencyScale === undefined ? {} : { simulatorLatencyScale },
  });
  const app = await createApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  running = { app, deps };
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, deps };
}

function post(url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${url}/v1/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE_KEY}`, ...headers },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}

async function collect(response: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readEvents(response)) events.push(event);
  return events;
}

describe('POST /v1/stream (real HTTP)', () => {
  it('streams text-delta events with ids, then usage and done', async () => {
    const { url } = await listen();
    const response = await post(url, { prompt: 'Tell me a short story' }, { 'x-trace-id': 'trace-sse-1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-trace-id')).toBe('trace-sse-1');
    const events = await collect(response);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('text-delta');
    expect(names.slice(-2)).toEqual(['usage', 'done']);
    expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
    const text = events
      .filter((event) => event.event === 'text-delta')
      .map((event) => (event.data as { delta: string }).delta)
      .join('');
    const done = events.at(-1)!.data as {
      text: string;
      simulated: boolean;
      traceId: string;
      usage: { outputTokens: number };
    };
    expect(done).toMatchObject({ text, simulated: true, traceId: 'trace-sse-1' });
    expect(done.usage.outputTokens).toBeGreaterThan(0);
  });

  it('refuses bad input before the stream opens, as problem+json', async () => {
    const { url } = await listen();
    const response = await post(url, { prompt: '', model: 'nope' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { errors: Array<{ field: string }> };
    expect(problem.errors.map((error) => error.field).sort()).toEqual(['model', 'prompt']);
    const template = await post(url, { template: 'nope' });
    expect(template.status).toBe(404);
  });

  it('ends with an error event when the provider fails mid-way', async () => {
    const { url } = await listen();
    const response = await post(url, { prompt: 'Hi' }, { 'x-sim-faults': 'error-event' });
    expect(response.status).toBe(200);
    const events = await collect(response);
    expect(events.at(-1)).toMatchObject({
      event: 'error',
      data: { status: expect.any(Number), type: expect.any(String) },
    });
    expect(events.some((event) => event.event === 'done')).toBe(false);
  });

  it('aborts the upstream call when the client disconnects: the simulator bills nothing', async () => {
    const { url, deps } = await listen({ REINS_SIMULATOR_PROFILE: 'realistic' }, 0.05);
    const simulator = deps.server.runtime.simulator!;
    const long = { 'x-sim-answer-tokens': '1500' };

    // Control: read to the end, the same long answer is billed, and how long that takes.
    const began = Date.now();
    await collect(await post(url, { prompt: 'Write a very long essay' }, long));
    const fullMs = Date.now() - began;
    const billed = simulator.stats().outputTokens;
    expect(billed).toBeGreaterThanOrEqual(1500);

    const controller = new AbortController();
    const response = await post(
      url,
      { prompt: 'Write a very long essay' },
      { ...long, 'x-trace-id': 'trace-disconnect' },
      controller.signal,
    );
    const iterator = readEvents(response);
    expect((await iterator.next()).value).toMatchObject({ event: 'text-delta' });
    controller.abort();
    await iterator.return(undefined).catch(() => {});

    // The server aborted its client call at once: the attempt is logged, unfinished, long before
    // the answer could have ended.
    const calls = await eventually(async () => {
      const page = await deps.calls.list('alice', { traceId: 'trace-disconnect' });
      return page.items.length > 0 ? page.items : undefined;
    });
    expect(calls[0]).toMatchObject({ status: 'error' });
    // Twice the time the full answer took, and the simulator still billed nothing more: it saw
    // the connection close and stopped generating.
    await new Promise((resolve) => setTimeout(resolve, Math.max(500, 2 * fullMs)));
    expect(simulator.stats().requests).toBe(2);
    expect(simulator.stats().outputTokens).toBe(billed);
  });
});
