import { buildResult } from './build-result.ts';
import type { ClientRuntime } from './client-runtime.ts';
import { finishCall } from './finish-call.ts';
import { generateAttempt } from './generate-attempt.ts';
import { type CallExtras, prepareCall } from './prepare-call.ts';
import type { RequestOptions } from './request.ts';
import type { GenerateResult } from './result.ts';
import { runCall } from './run-call.ts';

/**
 * `client.generate`: one non-streaming call (its attempts logged, metered and recorded).
 *
 * @example
 * const { text, costUsd } = await generate(runtime, { model: 'anthropic/claude-haiku-4-5', prompt: 'Hi' });
 */
export async function generate(
  runtime: ClientRuntime,
  options: RequestOptions,
  operation = 'generate',
  extras?: CallExtras,
): Promise<GenerateResult> {
  const call = await prepareCall(runtime, options, operation, extras);
  try {
    const answer = await runCall(call, () => generateAttempt(call));
    finishCall(call);
    return buildResult(call, answer);
  } catch (error) {
    finishCall(call, error);
    throw error;
  }
}
