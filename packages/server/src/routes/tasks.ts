import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { ProblemSchema } from '../errors/problem.ts';
import {
  TaskAcceptedSchema,
  TaskCreateSchema,
  TaskPublicSchema,
  TaskStatusSchema,
  toTaskPublic,
} from '../tasks/task.ts';

const IdParams = z.object({ id: z.string().min(1).max(100) });

const ListQuery = z.strictObject({
  status: TaskStatusSchema.optional(),
  kind: z.string().min(1).max(64).optional(),
  traceId: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

/** `POST /v1/tasks`, `GET /v1/tasks`, `GET /v1/tasks/:id`, `DELETE /v1/tasks/:id`. */
export const taskRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/v1/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Submit a background task (generate, template, batch)',
        description:
          'Answers 202 at once; poll `links.self`. `input` is checked against the kind: for `generate` the body of POST /v1/generate, for `template` `{ template, variables, model? … }`, for `batch` `{ items: [generate body, …] (1-10,000), concurrency? (1-64, default 8), budgetUsd? }`. A batch reports `progress` `{ done, failed, inFlight, total, costUsd }` while it runs and results `{ results: [{ status: "fulfilled", text, usage, costUsd, callId } | { status: "rejected", error: { type, message } }], usage, costUsd }` in input order; a bad item is a 400 naming it (`input.items.3.prompt`). DELETE on the task aborts its calls in flight.',
        body: TaskCreateSchema,
        response: { 202: TaskAcceptedSchema, 400: ProblemSchema, 402: ProblemSchema },
      },
    },
    async (request, reply) => {
      const task = await deps.tasks.submit(request.owner, String(request.id), request.body);
      const self = `/v1/tasks/${task.id}`;
      reply.code(202).header('location', self);
      return { id: task.id, status: task.status, links: { self, cancel: self } };
    },
  );

  app.get(
    '/v1/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: "List this key's tasks, newest first",
        querystring: ListQuery,
        response: { 200: z.object({ items: z.array(TaskPublicSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const page = await deps.tasks.list(request.owner, request.query);
      return { items: page.items.map(toTaskPublic), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'A task: status, progress, result or error, usage, cost, timings',
        params: IdParams,
        response: { 200: TaskPublicSchema, 404: ProblemSchema },
      },
    },
    async (request) => toTaskPublic(await deps.tasks.get(request.owner, request.params.id)),
  );

  app.delete(
    '/v1/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Cancel a queued or running task (aborts its LLM calls)',
        params: IdParams,
        response: { 200: TaskPublicSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => toTaskPublic(await deps.tasks.cancel(request.owner, request.params.id)),
  );
};
