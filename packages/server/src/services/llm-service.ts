import type { GenerateRequest, GenerateResult, LLMClient, LLMStream, TemplateRef } from '@reins/client';
import type { PromptRegistry } from '@reins/prompts';
import { z } from 'zod';
import { RequestValidationError, ServerError, UnknownModelError } from '../errors/server-error.ts';
import { toProblem } from '../errors/to-problem.ts';
import type { GenerateBody } from '../llm/generate-request.ts';
import { type GenerateResponse, toGenerateResponse } from '../llm/generate-response.ts';
import type { StructuredBody, StructuredResponse } from '../llm/structured-request.ts';
import type { BudgetGuard } from './budget-guard.ts';
import { ownerTag } from './owner-tag.ts';

/** Who a call is for and what it belongs to. */
export type CallContext = {
  owner: string;
  traceId: string;
  signal?: AbortSignal;
  taskId?: string;
  /** Extra request headers for the provider (the API forwards `x-sim-*` ones to the simulator). */
  headers?: Record<string, string>;
};

export type LlmServiceOptions = {
  client: LLMClient;
  prompts: PromptRegistry;
  /** Provider names the client has, e.g. ['openai', 'anthropic']. */
  providers: string[];
  defaultModel: string;
  simulated: boolean;
  budget?: BudgetGuard;
};

/** One item of a batch, settled: the answer's essentials, or the problem type and message. */
export type BatchItemResult =
  | {
      status: 'fulfilled';
      text: string;
      usage: GenerateResponse['usage'];
      costUsd: number | null;
      callId: string;
    }
  | { status: 'rejected'; error: { type: string; message: string } };

/** What a batch reports while it runs: `map`'s progress. */
export type BatchProgress = {
  done: number;
  failed: number;
  inFlight: number;
  total: number;
  costUsd: number;
};

export type BatchOptions = {
  concurrency: number;
  budgetUsd?: number;
  onProgress?: (progress: BatchProgress) => void;
  /** Called with each fulfilled item's answer as it settles (usage and cost bookkeeping). */
  onItem?: (response: GenerateResponse) => void;
};

const ZERO_USAGE = (): GenerateResponse['usage'] => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

function itemError(error: unknown): { type: string; message: string } {
  const { problem } = toProblem(error);
  const message =
    problem.status >= 500 && problem.type.endsWith(':internal')
      ? error instanceof Error
        ? error.message
        : String(error)
      : (problem.detail ?? problem.title);
  return { type: problem.type, message };
}

type Prepared = { request: GenerateRequest; template: TemplateRef | undefined; field: string };

/**
 * Turns API requests into client calls: renders templates, picks the model, tags the call with
 * its owner and trace, checks the key's budget, and converts what the client throws about the
 * request (unknown model, prompt too long) into 4xx errors naming the field.
 *
 * @example
 * const llm = createLlmService({ client, prompts, providers: ['openai', 'anthropic'], defaultModel, simulated: true });
 * const response = await llm.generate({ prompt: 'Hi' }, { owner: 'alice', traceId });
 */
export function createLlmService(options: LlmServiceOptions) {
  const { client, prompts } = options;

  // Built property by property, not from spreads of `{}` or `{ key }`: this runs on every request,
  // and the spreads cost a temporary object each (~0.3 µs a request). Keys keep their order.
  function prepare(body: GenerateBody, context: CallContext): Prepared {
    let template: TemplateRef | undefined;
    let model = body.model;
    const request: GenerateRequest = {};
    if (body.template !== undefined) {
      const rendered = prompts.render(body.template, body.variables ?? {});
      template = rendered.template;
      model ??= rendered.model;
      if (rendered.system !== undefined) request.system = rendered.system;
      request.messages = rendered.messages;
      request.maxTokens = body.maxTokens ?? rendered.params?.maxTokens;
      request.temperature = body.temperature ?? rendered.params?.temperature;
    } else {
      if (body.system !== undefined) request.system = body.system;
      if (body.prompt !== undefined) request.prompt = body.prompt;
      if (body.messages !== undefined) request.messages = body.messages as GenerateRequest['messages'];
      request.maxTokens = body.maxTokens;
      request.temperature = body.temperature;
    }
    model ??= options.defaultModel;
    const provider = model.slice(0, model.indexOf('/'));
    if (!options.providers.includes(provider)) throw new UnknownModelError(model, options.providers);
    request.model = model;
    if (body.stop !== undefined) request.stop = body.stop;
    if (body.timeout !== undefined) request.timeout = body.timeout;
    if (body.cache !== undefined) request.cache = body.cache;
    if (context.signal !== undefined) request.signal = context.signal;
    if (context.headers !== undefined) request.headers = context.headers;
    const metadata: NonNullable<GenerateRequest['metadata']> = { traceId: context.traceId };
    if (body.metadata?.userId !== undefined) metadata.userId = body.metadata.userId;
    if (context.taskId !== undefined) metadata.taskId = context.taskId;
    const owner = ownerTag(context.owner);
    metadata.tags = body.metadata?.tags === undefined ? [owner] : [...body.metadata.tags, owner];
    if (template !== undefined) metadata.template = template;
    request.metadata = metadata;
    const field =
      body.template !== undefined ? 'variables' : body.prompt !== undefined ? 'prompt' : 'messages';
    return { request, template, field };
  }

  /** Errors about the request itself become 4xx naming the field; the rest pass to `toProblem`. */
  function requestError(error: unknown, prepared: Prepared): unknown {
    const failure = error as { name?: string; status?: number; provider?: string; message?: string };
    const model = prepared.request.model ?? options.defaultModel;
    if (failure?.name === 'ProviderError' && failure.status === 404)
      return new UnknownModelError(model, options.providers);
    if (failure?.name === 'ConfigurationError' && failure.provider !== undefined) {
      return new UnknownModelError(model, options.providers);
    }
    if (failure?.name === 'ContextOverflowError') {
      return new ServerError({
        status: 400,
        slug: 'context-overflow',
        title: 'Prompt too long for the model',
        detail: failure.message,
        errors: [
          {
            in: 'body',
            field: prepared.field,
            pointer: `#/${prepared.field}`,
            detail: String(failure.message),
          },
        ],
        cause: error,
      });
    }
    // The Anthropic SDK refuses, before sending, a non-streamed call whose maxTokens could run
    // past its 10-minute limit; `@reins/client` passes that error through unmapped.
    if (failure?.name === 'AnthropicError' && /Streaming is required/i.test(String(failure.message))) {
      return new ServerError({
        status: 400,
        slug: 'max-tokens-too-large',
        title: 'maxTokens too large for a non-streamed call',
        detail: 'lower maxTokens, or use POST /v1/stream for long answers',
        errors: [{ in: 'body', field: 'maxTokens', pointer: '#/maxTokens', detail: String(failure.message) }],
        cause: error,
      });
    }
    if (failure?.name === 'ProviderError' && (failure.status === 400 || failure.status === 422)) {
      return new ServerError({
        status: 400,
        slug: 'rejected-by-provider',
        title: 'The provider rejected the request',
        detail: failure.message,
        cause: error,
      });
    }
    return error;
  }

  async function call<T>(prepared: Prepared, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw requestError(error, prepared);
    }
  }

  return {
    simulated: options.simulated,

    async generate(body: GenerateBody, context: CallContext): Promise<GenerateResponse> {
      // `call` inlined and no await without a budget: each is a promise and a resumption per
      // request on the busiest route.
      const checking = options.budget?.check(context.owner);
      if (checking !== undefined) await checking;
      const prepared = prepare(body, context);
      let result: GenerateResult;
      try {
        result = await client.generate(prepared.request);
      } catch (error) {
        throw requestError(error, prepared);
      }
      options.budget?.record(context.owner, result.costUsd);
      return toGenerateResponse(result, { template: prepared.template, simulated: options.simulated });
    },

    /**
     * Starts a stream. Rendering, model and budget problems throw here, before any byte is
     * sent, so they are ordinary 4xx responses; failures after that arrive as stream events.
     */
    async stream(
      body: GenerateBody,
      context: CallContext,
    ): Promise<{
      stream: LLMStream;
      toResponse(result: Parameters<typeof toGenerateResponse>[0]): GenerateResponse;
      mapError(error: unknown): unknown;
    }> {
      await options.budget?.check(context.owner);
      const prepared = prepare(body, context);
      return {
        stream: client.stream(prepared.request),
        toResponse: (result) => {
          options.budget?.record(context.owner, result.costUsd);
          return toGenerateResponse(result, { template: prepared.template, simulated: options.simulated });
        },
        mapError: (error) => requestError(error, prepared),
      };
    },

    /**
     * Runs many generate bodies through the client's `map` with bounded concurrency, the
     * context's signal and an optional budget for the run. Never throws for one item: each
     * settles to its answer or its problem, in input order; `costUsd` is every billed attempt of
     * the run (failed ones included), `usage` the sum over the answers.
     */
    async batch(
      items: readonly GenerateBody[],
      batch: BatchOptions,
      context: CallContext,
    ): Promise<{ results: BatchItemResult[]; usage: GenerateResponse['usage']; costUsd: number }> {
      const { signal, ...itemContext } = context;
      let costUsd = 0;
      const settled = await client.map(
        items,
        (body) =>
          async ({ generate }) => {
            await options.budget?.check(context.owner);
            const prepared = prepare(body, itemContext);
            const result = await call(prepared, () => generate(prepared.request));
            options.budget?.record(context.owner, result.costUsd);
            const response = toGenerateResponse(result, {
              template: prepared.template,
              simulated: options.simulated,
            });
            batch.onItem?.(response);
            return response;
          },
        {
          concurrency: batch.concurrency,
          ...(batch.budgetUsd === undefined ? {} : { budgetUsd: batch.budgetUsd }),
          ...(signal === undefined ? {} : { signal }),
          onProgress: ({ done, failed, inFlight, total, costUsd: spent }) => {
            costUsd = spent;
            batch.onProgress?.({ done, failed, inFlight, total, costUsd: spent });
          },
        },
      );
      const usage = ZERO_USAGE();
      const results = settled.map((outcome): BatchItemResult => {
        if (outcome.status === 'rejected') return { status: 'rejected', error: itemError(outcome.reason) };
        const { text, usage: itemUsage, costUsd: itemCost, callId } = outcome.value;
        for (const key of Object.keys(usage) as Array<keyof typeof usage>) usage[key] += itemUsage[key];
        return { status: 'fulfilled', text, usage: itemUsage, costUsd: itemCost, callId };
      });
      return { results, usage, costUsd };
    },

    async structured(body: StructuredBody, context: CallContext): Promise<StructuredResponse> {
      await options.budget?.check(context.owner);
      const { schema: jsonSchema, schemaName, maxRetries, mode, ...rest } = body;
      let schema: z.ZodType;
      try {
        schema = z.fromJSONSchema(jsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
      } catch (error) {
        throw RequestValidationError.field(
          'schema',
          `not a usable JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const prepared = prepare(rest, context);
      const result = await call(prepared, () =>
        client.structured({
          ...prepared.request,
          schema,
          ...(schemaName === undefined ? {} : { schemaName }),
          ...(maxRetries === undefined ? {} : { maxRetries }),
          ...(mode === undefined ? {} : { mode }),
        }),
      );
      options.budget?.record(context.owner, result.costUsd);
      const { value, ...generated } = result;
      const { toolCalls: _toolCalls, ...response } = toGenerateResponse(generated, {
        template: prepared.template,
        simulated: options.simulated,
      });
      return { ...response, value };
    },
  };
}

export type LlmService = ReturnType<typeof createLlmService>;
