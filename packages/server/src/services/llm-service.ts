import type { GenerateRequest, LLMClient, LLMStream, TemplateRef } from '@reins/client';
import type { PromptRegistry } from '@reins/prompts';
import { z } from 'zod';
import { RequestValidationError, ServerError, UnknownModelError } from '../errors/server-error.ts';
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

  function prepare(body: GenerateBody, context: CallContext): Prepared {
    let template: TemplateRef | undefined;
    let model = body.model;
    let source: Pick<GenerateRequest, 'system' | 'messages' | 'prompt' | 'maxTokens' | 'temperature'>;
    if (body.template !== undefined) {
      const rendered = prompts.render(body.template, body.variables ?? {});
      template = rendered.template;
      model ??= rendered.model;
      source = {
        ...(rendered.system === undefined ? {} : { system: rendered.system }),
        messages: rendered.messages,
        maxTokens: body.maxTokens ?? rendered.params?.maxTokens,
        temperature: body.temperature ?? rendered.params?.temperature,
      };
    } else {
      source = {
        ...(body.system === undefined ? {} : { system: body.system }),
        ...(body.prompt === undefined ? {} : { prompt: body.prompt }),
        ...(body.messages === undefined ? {} : { messages: body.messages as GenerateRequest['messages'] }),
        maxTokens: body.maxTokens,
        temperature: body.temperature,
      };
    }
    model ??= options.defaultModel;
    const provider = model.slice(0, model.indexOf('/'));
    if (!options.providers.includes(provider)) throw new UnknownModelError(model, options.providers);
    const request: GenerateRequest = {
      ...source,
      model,
      ...(body.stop === undefined ? {} : { stop: body.stop }),
      ...(body.timeout === undefined ? {} : { timeout: body.timeout }),
      ...(body.cache === undefined ? {} : { cache: body.cache }),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
      ...(context.headers === undefined ? {} : { headers: context.headers }),
      metadata: {
        traceId: context.traceId,
        ...(body.metadata?.userId === undefined ? {} : { userId: body.metadata.userId }),
        ...(context.taskId === undefined ? {} : { taskId: context.taskId }),
        tags: [...(body.metadata?.tags ?? []), ownerTag(context.owner)],
        ...(template === undefined ? {} : { template }),
      },
    };
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
      await options.budget?.check(context.owner);
      const prepared = prepare(body, context);
      const result = await call(prepared, () => client.generate(prepared.request));
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
