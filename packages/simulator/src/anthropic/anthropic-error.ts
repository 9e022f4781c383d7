import type { ErrorResponse } from '../simulator-context.ts';

/**
 * An error in Anthropic's shape: `{ type: 'error', error: { type, message }, request_id }`.
 *
 * @example
 * anthropicError(529, 'overloaded_error', 'Overloaded');
 */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers?: string[],
): ErrorResponse {
  return { status, body: (requestId) => anthropicErrorBody(type, message, requestId), headers };
}

export function anthropicErrorBody(type: string, message: string, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
}

export const invalidRequest = (message: string) => anthropicError(400, 'invalid_request_error', message);

/** The errors the simulator's fault steps and limits produce, worded as Anthropic words them. */
export const anthropicErrors = {
  missingKey: () => anthropicError(401, 'authentication_error', 'x-api-key header is required'),
  wrongKey: () => anthropicError(401, 'authentication_error', 'invalid x-api-key'),
  invalidJson: () =>
    invalidRequest('There was an issue with the JSON body of your request: it is not valid JSON.'),
  modelNotFound: (model: string) => anthropicError(404, 'not_found_error', `model: ${model}`),
  promptTooLong: (tokens: number, limit: number) =>
    invalidRequest(`prompt is too long: ${tokens} tokens > ${limit} maximum`),
  server: (status: number) =>
    status === 529
      ? anthropicError(529, 'overloaded_error', 'Overloaded')
      : anthropicError(status, 'api_error', status === 500 ? 'Internal server error' : 'Service unavailable'),
};
