import { buildResult } from './build-result.ts';
import type { ClientRuntime } from './client-runtime.ts';
import { finishCall } from './finish-call.ts';
import { generateAttempt } from './generate-attempt.ts';
import { type CallExtras, type CallScope, prepareCall } from './prepare-call.ts';
import type { RequestOptions } from './request.ts';
import type { GenerateResult } from './result.ts';
import { runCall } from './run-call.ts';
import { withFallbacks } from './with-fallbacks.ts';

/**
 * `client.generate`: one non-streaming call per model of the fallback chain (its attempts
 * retried per failure class, logged, metered and recorded), under one deadline.
 *
 * @example
 * const { text, costUsd } = await generate(runtime, { model: 'anthropic/claude-haiku-4-5', prompt: 'Hi' });
 */
export function generate(
  runtime: ClientRuntime,
  options: RequestOptions,
  operation = 'generate',
  extras?: CallExtras,
  scope: CallScope = {},
): Promise<GenerateResult> {
  return withFallbacks(runtime, options, scope, async (request, shared) => {
    const prepared = prepareCall(runtime, request, operation, extras, shared);
    // Usually synchronous: no promise hop unless the estimate asks the provider.
    const call = prepared instanceof Promise ? await prepared : prepared;
    try {
      const answer = await runCall(call, () => generateAttempt(call));
      finishCall(call);
      return buildResult(call, answer);
    } catch (error) {
      finishCall(call, error);
      throw error;
    }
  });
}
