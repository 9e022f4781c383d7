import type { GenerateResult, TemplateRef } from '@reins/client';
import { z } from 'zod';

export const UsageSchema = z
  .object({
    inputTokens: z.number().describe('total input, cached and cache-written included'),
    cachedInputTokens: z.number(),
    cacheWriteTokens: z.number(),
    outputTokens: z.number(),
    reasoningTokens: z.number(),
  })
  .meta({ id: 'Usage' });

export const TemplateRefSchema = z.object({
  name: z.string(),
  version: z.string().optional(),
  hash: z.string().optional(),
  gitCommit: z.string().optional(),
});

/** What `POST /v1/generate` answers (and the `done` event of `/v1/stream` carries). */
export const GenerateResponseSchema = z
  .object({
    text: z.string(),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), input: z.unknown() })),
    finishReason: z.string(),
    model: z.string(),
    provider: z.string(),
    responseModel: z.string().optional(),
    usage: UsageSchema,
    costUsd: z.number().nullable(),
    estimate: z.object({
      inputTokens: z.number(),
      maxOutputTokens: z.number().nullable(),
      contextWindow: z.number().nullable(),
      maxCostUsd: z.number().nullable(),
      exact: z.boolean(),
    }),
    traceId: z.string(),
    callId: z.string(),
    attempts: z.number(),
    latencyMs: z.number(),
    ttftMs: z.number().nullable(),
    template: TemplateRefSchema.nullable(),
    simulated: z.boolean().describe('true when the built-in simulator answered, not a real provider'),
  })
  .meta({ id: 'GenerateResponse' });
export type GenerateResponse = z.infer<typeof GenerateResponseSchema>;

/**
 * The DTO of a client result, built field by field: the routes send it with plain
 * `JSON.stringify` (see `dtoSerializerCompiler`), so nothing outside the schema may ride along
 * (the client's `usage` can carry `cacheWrite1hTokens`).
 */
export function toGenerateResponse(
  result: Omit<GenerateResult, 'toolCalls'> & { toolCalls?: GenerateResult['toolCalls'] },
  context: { template: TemplateRef | undefined; simulated: boolean },
): GenerateResponse {
  const { usage, estimate } = result;
  return {
    text: result.text,
    toolCalls: result.toolCalls?.map(({ id, name, input }) => ({ id, name, input })) ?? [],
    finishReason: result.finishReason,
    model: result.model,
    provider: result.provider,
    ...(result.responseModel === undefined ? {} : { responseModel: result.responseModel }),
    usage: {
      inputTokens: usage.inputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      outputTokens: usage.outputTokens,
      reasoningTokens: usage.reasoningTokens,
    },
    costUsd: result.costUsd,
    estimate: {
      inputTokens: estimate.inputTokens,
      maxOutputTokens: estimate.maxOutputTokens,
      contextWindow: estimate.contextWindow,
      maxCostUsd: estimate.maxCostUsd,
      exact: estimate.exact,
    },
    traceId: result.traceId,
    callId: result.callId,
    attempts: result.attempts,
    latencyMs: result.latencyMs,
    ttftMs: result.ttftMs,
    template:
      context.template === undefined
        ? null
        : {
            name: context.template.name,
            ...(context.template.version === undefined ? {} : { version: context.template.version }),
            ...(context.template.hash === undefined ? {} : { hash: context.template.hash }),
            ...(context.template.gitCommit === undefined ? {} : { gitCommit: context.template.gitCommit }),
          },
    simulated: context.simulated,
  };
}
