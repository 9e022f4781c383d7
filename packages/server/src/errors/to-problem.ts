import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { fastifyValidationToFieldErrors } from './field-errors.ts';
import { type Problem, problemType } from './problem.ts';
import { MissingVariablesError, NotFoundError, RequestValidationError, ServerError } from './server-error.ts';

export type ProblemResponse = { problem: Problem; headers: Record<string, string> };

type ErrorLike = Error & {
  code?: string;
  statusCode?: number;
  validation?: unknown[];
  validationContext?: string;
  [key: string]: unknown;
};

/** Errors raised by `@reins/client` and `@reins/prompts`, recognised by name (no import cycle). */
const FOREIGN: Record<string, (error: ErrorLike) => ServerError> = {
  TemplateNotFoundError: (error) => {
    const problem = new NotFoundError('template', String(error.template ?? ''), 'template-not-found');
    Object.assign(problem.extensions, { available: error.available ?? [] });
    return problem;
  },
  TemplateVariablesError: (error) =>
    new MissingVariablesError(String(error.template ?? ''), (error.missing as string[] | undefined) ?? []),
  TemplateRenderError: (error) =>
    new ServerError({
      status: 422,
      slug: 'template-render-error',
      title: 'The template could not be rendered with these variables',
      detail: error.message,
      errors: [{ in: 'body', field: 'variables', pointer: '#/variables', detail: error.message }],
    }),
  TemplateSyntaxError: (error) =>
    new ServerError({
      status: 500,
      slug: 'template-invalid',
      title: 'The template file is invalid',
      detail: `${error.message} (${String(error.file ?? '')}${error.line === undefined ? '' : `:${String(error.line)}`})`,
    }),
  CallFilterError: (error) => queryError(String(error.field ?? 'filter'), error.message),
  TaskCursorError: (error) => queryError('cursor', error.message),
  ConfigurationError: (error) =>
    new ServerError({
      status: 400,
      slug: 'invalid-request',
      title: 'Invalid request',
      detail: error.message,
    }),
  BudgetExceededError: (error) =>
    new ServerError({
      status: 402,
      slug: 'budget-exceeded',
      title: 'Budget exceeded',
      detail: error.message,
    }),
  ContextOverflowError: (error) =>
    new ServerError({
      status: 400,
      slug: 'context-overflow',
      title: 'Prompt too long for the model',
      detail: error.message,
      errors: [{ in: 'body', field: 'messages', pointer: '#/messages', detail: error.message }],
    }),
  ContentFilterError: (error) =>
    new ServerError({
      status: 422,
      slug: 'content-filtered',
      title: 'Refused by the content filter',
      detail: error.message,
    }),
  RateLimitError: (error) =>
    new ServerError({
      status: 503,
      slug: 'upstream-rate-limited',
      title: 'The provider is rate limiting',
      detail: error.message,
      headers: { 'retry-after': '5' },
    }),
  CircuitOpenError: (error) =>
    new ServerError({
      status: 503,
      slug: 'circuit-open',
      title: 'The provider is failing',
      detail: error.message,
    }),
  TimeoutError: (error) =>
    new ServerError({
      status: 504,
      slug: 'upstream-timeout',
      title: 'The provider timed out',
      detail: error.message,
    }),
  AuthError: (error) =>
    new ServerError({
      status: 502,
      slug: 'upstream-auth',
      title: 'The provider refused our credentials',
      detail: error.message,
    }),
  StructuredOutputError: (error) =>
    new ServerError({
      status: 502,
      slug: 'structured-output',
      title: 'The model did not produce valid output',
      detail: error.message,
    }),
  StreamInterruptedError: (error) =>
    new ServerError({
      status: 502,
      slug: 'stream-interrupted',
      title: 'The provider stream broke',
      detail: error.message,
    }),
  ProviderError: (error) =>
    new ServerError({
      status: 502,
      slug: 'upstream-error',
      title: 'The provider failed',
      detail: error.message,
    }),
};

function queryError(field: string, detail: string): ServerError {
  return new RequestValidationError([{ in: 'querystring', field, pointer: `#/${field}`, detail }]);
}

/** Fastify's own errors by code: what a client did wrong, as a problem's status, slug and title. */
export const FRAMEWORK_ERRORS: Record<string, { status: number; slug: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, slug: 'payload-too-large', title: 'Request body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    slug: 'unsupported-media-type',
    title: 'Unsupported media type',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, slug: 'invalid-body', title: 'Empty JSON body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, slug: 'invalid-body', title: 'Malformed JSON body' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, slug: 'invalid-body', title: 'Content-Length mismatch' },
  FST_ERR_BAD_URL: { status: 400, slug: 'bad-url', title: 'Malformed URL' },
};

/**
 * The one place that turns any error into an RFC 9457 problem and its status. A client's mistake
 * is always a 4xx naming what to fix; anything unrecognised is a 500 that reveals nothing.
 *
 * @example
 * const { problem, headers } = toProblem(error, { instance: request.url, traceId: request.id });
 * reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
 */
export function toProblem(
  error: unknown,
  context: { instance?: string; traceId?: string } = {},
): ProblemResponse {
  const known = toServerError(error);
  if (known !== undefined) return { problem: known.toProblem(context), headers: known.headers };
  return {
    problem: {
      type: problemType('internal'),
      title: 'Internal server error',
      status: 500,
      detail: 'the server failed; the trace id identifies the failure in the logs',
      ...context,
    },
    headers: {},
  };
}

function toServerError(error: unknown): ServerError | undefined {
  if (ServerError.isInstance(error)) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as ErrorLike;
  if (
    hasZodFastifySchemaValidationErrors(candidate) ||
    (candidate.code === 'FST_ERR_VALIDATION' && candidate.validation)
  ) {
    const validation = (candidate.validation ?? []) as Parameters<typeof fastifyValidationToFieldErrors>[0];
    return new RequestValidationError(
      fastifyValidationToFieldErrors(validation, candidate.validationContext),
    );
  }
  const foreign = FOREIGN[candidate.name];
  if (foreign !== undefined) return foreign(candidate);
  if (candidate.code !== undefined && FRAMEWORK_ERRORS[candidate.code] !== undefined) {
    const mapped = FRAMEWORK_ERRORS[candidate.code]!;
    return new ServerError({ ...mapped, detail: candidate.message });
  }
  if (candidate instanceof SyntaxError && candidate.statusCode === 400) {
    return new ServerError({
      status: 400,
      slug: 'invalid-body',
      title: 'Malformed JSON body',
      detail: candidate.message,
    });
  }
  const status = candidate.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ServerError({ status, slug: 'bad-request', title: 'Bad request', detail: candidate.message });
  }
  return undefined;
}
