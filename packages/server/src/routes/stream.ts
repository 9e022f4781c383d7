import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { ProblemSchema } from '../errors/problem.ts';
import { toProblem } from '../errors/to-problem.ts';
import { callContextOf } from '../http/call-context.ts';
import { openEventStream } from '../http/event-stream.ts';
import { GenerateBodySchema } from '../llm/generate-request.ts';

/** The abort reason when the HTTP client went away mid-stream. */
export class ClientDisconnectedError extends Error {
  constructor() {
    super('the client disconnected');
    this.name = 'ClientDisconnectedError';
  }
}

/** The abort reason when the server shuts down mid-stream. */
class ServerClosingError extends Error {
  constructor() {
    super('the server is shutting down');
    this.name = 'ServerClosingError';
  }
}

const HEARTBEAT_MS = 15_000;

/**
 * `POST /v1/stream`: the generate request answered as Server-Sent Events with ids:
 * `text-delta` `{ delta }`, `tool-call`, `usage`, then `done` (the generate response) or `error`
 * (a problem). Bad input is refused before the stream opens, as an ordinary 4xx. A client that
 * disconnects aborts the upstream call, so no tokens are paid for nobody.
 */
export const streamRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const active = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const controller of active) controller.abort(new ServerClosingError());
  });

  app.post(
    '/v1/stream',
    {
      schema: {
        tags: ['generate'],
        summary: 'Stream an answer as Server-Sent Events (text-delta, usage, done, error)',
        description:
          'Events carry ids. `done` carries the same object `POST /v1/generate` returns; `error` a problem. Disconnecting aborts the upstream call.',
        body: GenerateBodySchema,
        response: {
          200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
          400: ProblemSchema,
          402: ProblemSchema,
          404: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const controller = new AbortController();
      // Its call lines are written as they come; meanwhile no other request holds this trace's.
      const release = deps.callLines?.share(String(request.id));
      let started: Awaited<ReturnType<typeof deps.llm.stream>>;
      try {
        started = await deps.llm.stream(
          request.body,
          callContextOf(request, deps.config.simulated, controller.signal),
        );
      } catch (error) {
        release?.();
        throw error;
      }
      const events = openEventStream(reply);
      active.add(controller);
      reply.raw.on('close', () => {
        if (!reply.raw.writableEnded) controller.abort(new ClientDisconnectedError());
      });
      const heartbeat = setInterval(() => events.comment('keep-alive'), HEARTBEAT_MS);
      heartbeat.unref();
      const begun = deps.clock.now();
      let outcome = 'done';
      try {
        for await (const event of started.stream) {
          // `send` queues the event for this tick's write; it returns a promise only while the
          // socket is backed up, and then the loop pauses (backpressure up to the upstream read).
          let backedUp: Promise<void> | undefined;
          if (event.type === 'text-delta') backedUp = events.send('text-delta', { delta: event.delta });
          else if (event.type === 'tool-call') {
            backedUp = events.send('tool-call', { id: event.id, name: event.name, input: event.input });
          } else if (event.type === 'usage') backedUp = events.send('usage', event.usage);
          else if (event.type === 'finish') backedUp = events.send('done', started.toResponse(event.result));
          else if (event.type === 'error') {
            outcome = controller.signal.aborted ? 'aborted' : 'error';
            if (!controller.signal.aborted) {
              const { problem } = toProblem(started.mapError(event.error), {
                instance: request.url,
                traceId: String(request.id),
              });
              await events.send('error', problem);
            }
          }
          if (backedUp !== undefined) await backedUp;
        }
      } catch (error) {
        outcome = controller.signal.aborted ? 'aborted' : 'error';
        if (!controller.signal.aborted) {
          const { problem } = toProblem(started.mapError(error), {
            instance: request.url,
            traceId: String(request.id),
          });
          await events.send('error', problem);
        }
      } finally {
        release?.();
        clearInterval(heartbeat);
        active.delete(controller);
        events.end();
        const seconds = (deps.clock.now() - begun) / 1000;
        deps.metrics.httpRequests.inc({ method: 'POST', route: '/v1/stream', status: '200' });
        deps.metrics.httpDuration.observe({ method: 'POST', route: '/v1/stream' }, seconds);
        request.log.info(
          {
            method: 'POST',
            route: '/v1/stream',
            status: 200,
            outcome,
            events: events.eventCount,
            owner: request.owner,
          },
          'request',
        );
      }
    },
  );
};
