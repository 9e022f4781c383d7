import type { ErrorResponse } from '../simulator-context.ts';

/**
 * An error in OpenAI's shape: `{ error: { message, type, param, code } }`.
 *
 * @example
 * openAIError(404, 'The model `x` does not exist or you do not have access to it.', 'invalid_request_error', null, 'model_not_found');
 */
export function openAIError(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
  headers?: string[],
): ErrorResponse {
  return { status, body: JSON.stringify({ error: { message, type, param, code } }), headers };
}

/** The errors the simulator's fault steps and limits produce, worded as OpenAI words them. */
export const openAIErrors = {
  missingKey: () =>
    openAIError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
    ),
  wrongKey: (key: string) =>
    openAIError(
      401,
      `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      'invalid_request_error',
      null,
      'invalid_api_key',
    ),
  invalidJson: () =>
    openAIError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      'invalid_request_error',
    ),
  modelNotFound: (model: string) =>
    openAIError(
      404,
      `The model \`${model}\` does not exist or you do not have access to it.`,
      'invalid_request_error',
      null,
      'model_not_found',
    ),
  contextLength: (limit: number, tokens: number) =>
    openAIError(
      400,
      `This model's maximum context length is ${limit} tokens. However, your messages resulted in ${tokens} tokens. Please reduce the length of the messages.`,
      'invalid_request_error',
      'messages',
      'context_length_exceeded',
    ),
  rateLimited: (
    model: string,
    unit: 'requests' | 'tokens',
    limit: number | undefined,
    retryAfterMs: number,
    headers: string[],
  ) =>
    openAIError(
      429,
      `Rate limit reached for ${model} in organization org-simulator on ${unit === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)'}: ${limit === undefined ? 'simulated fault' : `Limit ${limit}`}. Please try again in ${formatDuration(retryAfterMs)}.`,
      unit,
      null,
      'rate_limit_exceeded',
      headers,
    ),
  server: (status: number) =>
    status === 500
      ? openAIError(
          500,
          'The server had an error while processing your request. Sorry about that!',
          'server_error',
        )
      : openAIError(status, 'The server is overloaded or not ready yet.', 'server_error'),
};

/** OpenAI's key masking: the first and last characters only. */
export function maskKey(key: string): string {
  return key.length <= 8
    ? '****'
    : `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`;
}

/** OpenAI's reset durations: `120ms`, `1.5s`, `6m0s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${Number((seconds - minutes * 60).toFixed(3))}s`;
}

/** A 400 `invalid_request_error` naming the parameter. */
export function invalidParameter(message: string, param: string | null, code: string | null): ErrorResponse {
  return openAIError(400, message, 'invalid_request_error', param, code);
}

/** OpenAI's `invalid_type` error: `Invalid type for 'x': expected …, but got … instead.` */
export function invalidType(param: string, expected: string, value: unknown): ErrorResponse {
  return invalidParameter(
    `Invalid type for '${param}': expected ${expected}, but got ${typeName(value)} instead.`,
    param,
    'invalid_type',
  );
}

/** How OpenAI's errors name a JSON value's type: `a string`, `an array`, … */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}
