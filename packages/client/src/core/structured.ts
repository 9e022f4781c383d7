import type { z } from 'zod';
import { StructuredOutputError, type StructuredOutputIssue } from '../errors/structured-output-error.ts';
import { buildResult } from './build-result.ts';
import type { ClientRuntime } from './client-runtime.ts';
import { finishCall } from './finish-call.ts';
import { generateAttempt } from './generate-attempt.ts';
import { parseStructuredOutput } from './parse-structured-output.ts';
import { type CallScope, prepareCall } from './prepare-call.ts';
import type { RequestOptions } from './request.ts';
import { resolveModel } from './resolve-model.ts';
import type { GenerateResult } from './result.ts';
import { runCall } from './run-call.ts';
import { toJsonSchema } from './to-json-schema.ts';
import { withFallbacks } from './with-fallbacks.ts';

/**
 * `client.structured`'s request: the common options plus a Zod schema.
 *
 * @example
 * const request: StructuredRequest<typeof Person> = { model, prompt: 'Extract the person', schema: Person, maxRetries: 2 };
 */
export type StructuredRequest<Schema extends z.ZodType> = RequestOptions & {
  schema: Schema;
  /** Re-asks after a parse or validation failure (default 2; so at most 3 answers). */
  maxRetries?: number;
  /** Name of the output format as the model sees it (default `response`). */
  schemaName?: string;
  /**
   * `native`: the provider's structured output (OpenAI json_schema, strict where possible;
   * Anthropic `output_config`); `tool`: a forced tool call; `auto` (default) picks native where
   * the model supports it.
   */
  mode?: 'auto' | 'native' | 'tool';
};

/**
 * What `client.structured` resolves to: the validated `value` plus everything a generate result
 * carries, totals summed over every attempt (re-asks included).
 *
 * @example
 * const { value, attempts, costUsd } = await client.structured({ model, prompt, schema: Person });
 */
export type StructuredResult<T> = Omit<GenerateResult, 'toolCalls'> & {
  value: T;
  /** The last raw answer (the JSON text the value was parsed from). */
  text: string;
};

function describe(issues: StructuredOutputIssue[]): string {
  return issues
    .map((issue) => `- ${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}

/**
 * `client.structured`: asks for JSON matching a Zod schema through the provider's native
 * structured output, validates the answer with Zod, and on failure re-asks with the exact issues
 * (instructor's strategy) up to `maxRetries` times. Every answer is one attempt of the same call:
 * all are logged, metered and recorded under one `callId`. Out of re-asks, it throws
 * `StructuredOutputError` with the last raw text and issues.
 *
 * @example
 * const { value } = await structured(runtime, { model: 'anthropic/claude-haiku-4-5',
 *   prompt: 'Extract the person: "Ada, 36"', schema: z.object({ name: z.string(), age: z.number() }) });
 */
export async function structured<Schema extends z.ZodType>(
  runtime: ClientRuntime,
  request: StructuredRequest<Schema>,
  outer: CallScope = {},
): Promise<StructuredResult<z.output<Schema>>> {
  const { schema, maxRetries = 2, schemaName = 'response', mode = 'auto', ...options } = request;
  const jsonSchema = toJsonSchema(schema);
  return withFallbacks(runtime, options, outer, (current, scope) =>
    structuredOne(runtime, current, scope, { schema, maxRetries, schemaName, mode, jsonSchema }),
  );
}

async function structuredOne<Schema extends z.ZodType>(
  runtime: ClientRuntime,
  options: RequestOptions,
  scope: CallScope,
  settings: {
    schema: Schema;
    maxRetries: number;
    schemaName: string;
    mode: 'auto' | 'native' | 'tool';
    jsonSchema: Record<string, unknown>;
  },
): Promise<StructuredResult<z.output<Schema>>> {
  const { schema, maxRetries, schemaName, mode, jsonSchema } = settings;
  const model = resolveModel(runtime, options.model);
  const chosen =
    mode !== 'auto'
      ? mode
      : model.provider.kind === 'anthropic' && model.info?.nativeStructuredOutput !== true
        ? 'tool'
        : 'native';
  const call = await prepareCall(
    runtime,
    options,
    'structured',
    { responseFormat: { type: 'json-schema', name: schemaName, schema: jsonSchema, mode: chosen } },
    scope,
  );
  let lastText = '';
  let issues: StructuredOutputIssue[] = [];
  try {
    for (let ask = 0; ask <= maxRetries; ask++) {
      const answer = await runCall(call, () => generateAttempt(call));
      lastText = answer.text;
      const parsed = parseStructuredOutput(answer.text, schema, jsonSchema);
      if (parsed.success) {
        finishCall(call);
        const { toolCalls: _toolCalls, ...result } = buildResult(call, answer);
        return { ...result, value: parsed.value };
      }
      issues = parsed.issues;
      if (answer.finishReason === 'length') {
        issues = [
          ...issues,
          { path: [], message: 'The answer was cut off at maxTokens; answer more briefly.' },
        ];
      }
      call.request = {
        ...call.request,
        messages: [
          ...call.request.messages,
          { role: 'assistant', content: answer.text === '' ? '(empty answer)' : answer.text },
          {
            role: 'user',
            content: `Your answer did not match the required JSON schema:\n${describe(issues)}\nReply again with only the corrected JSON.`,
          },
        ],
      };
    }
  } catch (error) {
    finishCall(call, error);
    throw error;
  }
  const error = new StructuredOutputError(
    `${model.id}: no valid ${schemaName} after ${call.attempts} answers:\n${describe(issues)}`,
    {
      provider: model.provider.name,
      model: model.modelId,
      rawText: runtime.redact(lastText),
      issues,
      attempts: call.attempts,
      usage: { ...call.usage },
      costUsd: call.costUsd,
    },
  );
  finishCall(call, error);
  throw error;
}
