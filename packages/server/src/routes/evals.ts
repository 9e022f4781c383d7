import { PassThrough } from 'node:stream';
import {
  evalCreateBodySchema,
  evalResultSchema,
  evalRunPublicSchema,
  groupReportSchema,
  humanScoreBodySchema,
} from '@reins/evals';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { toEvalProblem } from '../errors/eval-problem.ts';
import { ProblemSchema } from '../errors/problem.ts';
import { NotFoundError } from '../errors/server-error.ts';

const IdParams = z.object({ id: z.string().min(1).max(100) });
const RowParams = IdParams.extend({ row: z.coerce.number().int().min(1) });

const ListQuery = z.strictObject({
  template: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

const DetailQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: z.string().min(1).max(1000).optional().describe('nextCursor of the previous page'),
});

/** An eval run can take hours; the task's attempts resume it where it stopped. */
const EVAL_TASK = { timeoutMs: 86_400_000, maxAttempts: 3 };

const links = (id: string, taskId: string | null) => ({
  self: `/v1/evals/${id}`,
  export: `/v1/evals/${id}/export.csv`,
  ...(taskId === null ? {} : { task: `/v1/tasks/${taskId}` }),
});

const LinksSchema = z.object({ self: z.string(), export: z.string(), task: z.string().optional() });

/**
 * `POST /v1/evals` (starts a run as an `eval` task), `GET /v1/evals`, `GET /v1/evals/:id`
 * (summary + rows, paginated), `GET /v1/evals/:id/export.csv`, `POST /v1/evals/:id/rows/:row/score`.
 * Thin: the evals service does the work; runs are scoped to the key's owner.
 */
export const evalRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/v1/evals',
    {
      schema: {
        tags: ['evals'],
        summary: 'Start an eval run: a dataset through models and prompt versions, graded',
        description:
          'Validates the whole dataset against the template first (422 lists every problem), then runs it as an `eval` task and answers 202 at once; poll `links.self`. `dataset` is `{ path }` inside the server’s datasets folder or `{ content, format }`.',
        body: evalCreateBodySchema,
        response: {
          202: z.object({ id: z.string(), status: z.string(), taskId: z.string(), links: LinksSchema }),
          400: ProblemSchema,
          402: ProblemSchema,
          404: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const run = await deps.evals.create(request.body, request.owner).catch((error: unknown) => {
        throw toEvalProblem(error);
      });
      const task = await deps.tasks.submit(request.owner, String(request.id), {
        kind: 'eval',
        input: { runId: run.id },
        ...EVAL_TASK,
      });
      await deps.evals.attachTask(run.id, task.id);
      reply.code(202).header('location', `/v1/evals/${run.id}`);
      return { id: run.id, status: run.status, taskId: task.id, links: links(run.id, task.id) };
    },
  );

  app.get(
    '/v1/evals',
    {
      schema: {
        tags: ['evals'],
        summary: "List this key's eval runs, newest first",
        querystring: ListQuery,
        response: {
          200: z.object({ items: z.array(evalRunPublicSchema), nextCursor: z.string().nullable() }),
          400: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { template, limit, cursor } = request.query;
      return deps.evals
        .list({
          owner: request.owner,
          limit,
          ...(template === undefined ? {} : { template }),
          ...(cursor === undefined ? {} : { cursor }),
        })
        .catch((error: unknown) => {
          throw toEvalProblem(error);
        });
    },
  );

  app.get(
    '/v1/evals/:id',
    {
      schema: {
        tags: ['evals'],
        summary: 'An eval run: its reports per model × prompt version and a page of its rows',
        params: IdParams,
        querystring: DetailQuery,
        response: {
          200: z.object({
            run: evalRunPublicSchema,
            reports: z.array(groupReportSchema),
            rows: z.array(evalResultSchema),
            nextCursor: z.string().nullable(),
            links: LinksSchema,
          }),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { limit, after } = request.query;
      const detail = await deps.evals
        .detail(request.params.id, request.owner, { limit, ...(after === undefined ? {} : { after }) })
        .catch((error: unknown) => {
          throw toEvalProblem(error);
        });
      if (detail === null) throw new NotFoundError('eval run', request.params.id, 'eval-run-not-found');
      return { ...detail, links: links(detail.run.id, detail.run.taskId) };
    },
  );

  app.get(
    '/v1/evals/:id/export.csv',
    {
      schema: {
        tags: ['evals'],
        summary: 'The run as a Workbench CSV (variables, ideal_output, model_output, score, model, …)',
        description: 'Streamed as text/csv; it re-imports as a dataset.',
        params: IdParams,
        response: { 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const run = await deps.evals.get(request.params.id, request.owner);
      if (run === null) throw new NotFoundError('eval run', request.params.id, 'eval-run-not-found');
      const body = new PassThrough();
      deps.evals
        .exportCsv(run.id, request.owner, body)
        .catch((error: unknown) => body.destroy(error as Error));
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="eval-${run.id}.csv"`);
      // A stream is sent as it is; the typed reply only knows the problem schema of this route.
      return reply.send(body as never);
    },
  );

  app.post(
    '/v1/evals/:id/rows/:row/score',
    {
      schema: {
        tags: ['evals'],
        summary: "Set a person's 1–5 score on a row (kept apart from the automatic scores)",
        params: RowParams,
        body: humanScoreBodySchema,
        response: { 200: z.object({ scored: z.number() }), 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { id, row } = request.params;
      const scored = await deps.evals.score(id, request.owner, row, request.body);
      if (scored === null) throw new NotFoundError('eval run', id, 'eval-run-not-found');
      if (scored === 0) throw new NotFoundError('eval row', `${id}/${row}`, 'eval-row-not-found');
      return { scored };
    },
  );
};
