import { cacheSavings } from '@reins/client';
import type { CallAggregate, CallLogEntry } from '@reins/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { ProblemSchema } from '../errors/problem.ts';
import { NotFoundError } from '../errors/server-error.ts';
import { UsageSchema } from '../llm/generate-response.ts';
import { TaskPublicSchema, toTaskPublic } from '../tasks/task.ts';

const text = z.string().trim().min(1).max(500);

const CallSchema = z
  .object({
    id: z.string(),
    callId: z.string(),
    attempt: z.number(),
    traceId: z.string(),
    userId: z.string().nullable(),
    taskId: z.string().nullable(),
    provider: z.string(),
    model: z.string(),
    operation: z.string(),
    template: z
      .object({ name: z.string(), version: z.string().optional(), hash: z.string().optional() })
      .nullable(),
    promptText: z.string().describe('the prompt as a person reads it (images and secrets replaced)'),
    responseText: z.string().nullable(),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), input: z.unknown() })),
    finishReason: z.string().nullable(),
    usage: UsageSchema,
    costUsd: z.number().nullable(),
    latencyMs: z.number(),
    ttftMs: z.number().nullable(),
    status: z.string(),
    errorClass: z.string().nullable(),
    errorMessage: z.string().nullable(),
    tags: z.array(z.string()),
    simulated: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Call' });

function toCall(entry: CallLogEntry): z.infer<typeof CallSchema> {
  return {
    id: entry.id,
    callId: entry.callId,
    attempt: entry.attempt,
    traceId: entry.traceId,
    userId: entry.userId,
    taskId: entry.taskId,
    provider: entry.provider,
    model: entry.model,
    operation: entry.operation,
    template:
      entry.template === null
        ? null
        : {
            name: entry.template.name,
            ...(entry.template.version === undefined ? {} : { version: entry.template.version }),
            ...(entry.template.hash === undefined ? {} : { hash: entry.template.hash }),
          },
    promptText: entry.promptText,
    responseText: entry.responseText,
    toolCalls: entry.toolCalls,
    finishReason: entry.finishReason,
    usage: entry.usage,
    costUsd: entry.costUsd,
    latencyMs: entry.latencyMs,
    ttftMs: entry.ttftMs,
    status: entry.status,
    errorClass: entry.errorClass,
    errorMessage: entry.errorMessage,
    tags: entry.tags,
    simulated: entry.simulated,
    createdAt: entry.createdAt,
  };
}

const CallsQuery = z.strictObject({
  traceId: text.optional(),
  callId: text.optional(),
  taskId: text.optional(),
  userId: text.optional(),
  provider: text.optional(),
  model: text.optional(),
  template: text.optional(),
  status: z.enum(['ok', 'error']).optional(),
  tag: text.optional(),
  since: text.optional().describe('ISO date or a duration back from now: 1h, 7d'),
  until: text.optional(),
  search: text.optional().describe('substring of the prompt, response or tool calls'),
  limit: z.coerce.number().int().min(1).max(1_000).default(50),
  cursor: text.optional(),
});

const GROUPS = ['day', 'model', 'user', 'template'] as const;

/** Sums of floating-point costs, shown as the exact decimals they stand for. */
function roundCost(group: CallAggregate): CallAggregate {
  return { ...group, costUsd: Math.round(group.costUsd * 1e12) / 1e12 };
}

const AggregateSchema = z.object({
  key: z.string().nullable(),
  calls: z.number(),
  attempts: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  costUsd: z.number(),
  unpricedAttempts: z.number(),
  cacheSavingsUsd: z.number().nullable().optional(),
});

const UsageReportSchema = z
  .object({
    since: z.string().nullable(),
    until: z.string().nullable(),
    totals: AggregateSchema.omit({ key: true }),
    byDay: z.array(AggregateSchema),
    byModel: z.array(AggregateSchema),
    byUser: z.array(AggregateSchema),
    byTemplate: z.array(AggregateSchema),
  })
  .meta({ id: 'UsageReport' });

const UsageQuery = z.strictObject({
  since: text.optional().describe('ISO date or a duration back from now (default 30d)'),
  until: text.optional(),
});

function sum(groups: CallAggregate[]) {
  const totals = {
    calls: 0,
    attempts: 0,
    errors: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    unpricedAttempts: 0,
  };
  for (const group of groups)
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += group[key];
  totals.costUsd = Math.round(totals.costUsd * 1e12) / 1e12;
  return totals;
}

/** `GET /v1/calls`, `GET /v1/calls/:id`, `GET /v1/traces/:traceId`, `GET /v1/usage`: scoped to the key. */
export const callRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/v1/calls',
    {
      schema: {
        tags: ['calls'],
        summary: 'The call log (one entry per attempt), newest first',
        querystring: CallsQuery,
        response: {
          200: z.object({ items: z.array(CallSchema), nextCursor: z.string().nullable() }),
          400: ProblemSchema,
        },
      },
    },
    async (request) => {
      const page = await deps.calls.list(request.owner, request.query);
      return { items: page.items.map(toCall), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/calls/:id',
    {
      schema: {
        tags: ['calls'],
        summary: 'One attempt (by id) or call (by callId), with every attempt of the call',
        params: z.object({ id: text }),
        response: { 200: CallSchema.extend({ attempts: z.array(CallSchema) }), 404: ProblemSchema },
      },
    },
    async (request) => {
      const detail = await deps.calls.get(request.owner, request.params.id);
      if (detail === null) throw new NotFoundError('call', request.params.id, 'call-not-found');
      return { ...toCall(detail), attempts: detail.attempts.map(toCall) };
    },
  );

  app.get(
    '/v1/traces/:traceId',
    {
      schema: {
        tags: ['calls'],
        summary: 'Every call and task of a trace, oldest first',
        params: z.object({ traceId: text }),
        response: {
          200: z.object({
            traceId: z.string(),
            calls: z.array(CallSchema),
            tasks: z.array(TaskPublicSchema),
          }),
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { traceId } = request.params;
      const trace = await deps.calls.trace(request.owner, traceId);
      if (trace.calls.length === 0 && trace.tasks.length === 0)
        throw new NotFoundError('trace', traceId, 'trace-not-found');
      return { traceId, calls: trace.calls.map(toCall), tasks: trace.tasks.map(toTaskPublic) };
    },
  );

  app.get(
    '/v1/usage',
    {
      schema: {
        tags: ['calls'],
        summary: 'Cost and tokens by day, model, user and template, with cache savings',
        querystring: UsageQuery,
        response: { 200: UsageReportSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const filter = {
        since: request.query.since ?? '30d',
        ...(request.query.until ? { until: request.query.until } : {}),
      };
      const [byDay, byModel, byUser, byTemplate] = (
        await Promise.all(GROUPS.map((group) => deps.calls.aggregate(request.owner, group, filter)))
      ).map((groups) => groups.map(roundCost));
      const withSavings = byModel!.map((group) => {
        const [provider = '', ...rest] = (group.key ?? '').split('/');
        const info = deps.prices.lookup(
          provider,
          provider === 'anthropic' ? 'anthropic' : 'openai',
          rest.join('/'),
        );
        const usage = {
          inputTokens: group.inputTokens,
          cachedInputTokens: group.cachedInputTokens,
          cacheWriteTokens: group.cacheWriteTokens,
          outputTokens: group.outputTokens,
          reasoningTokens: group.reasoningTokens,
        };
        return { ...group, cacheSavingsUsd: cacheSavings(usage, info) };
      });
      const known = withSavings.map((group) => group.cacheSavingsUsd).filter((value) => value !== null);
      return {
        since: request.query.since ?? '30d',
        until: request.query.until ?? null,
        totals: {
          ...sum(byDay!),
          cacheSavingsUsd:
            known.length === 0 ? null : Math.round(known.reduce((a, b) => a + b, 0) * 1e12) / 1e12,
        },
        byDay: byDay!,
        byModel: withSavings,
        byUser: byUser!,
        byTemplate: byTemplate!,
      };
    },
  );
};
