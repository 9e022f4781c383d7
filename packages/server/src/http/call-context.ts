import type { FastifyRequest } from 'fastify';
import type { CallContext } from '../services/llm-service.ts';

/**
 * The call context of an API request: its owner and trace id, and, when the simulator answers,
 * the `x-sim-*` headers (fault scripts, answer lengths) passed through to it.
 *
 * @example
 * await deps.llm.generate(request.body, callContextOf(request, deps.config.simulated));
 */
export function callContextOf(
  request: FastifyRequest,
  simulated: boolean,
  signal?: AbortSignal,
): CallContext {
  // Runs on every request: nothing is allocated for headers unless the simulator answers.
  const context: CallContext = { owner: request.owner, traceId: String(request.id) };
  if (signal !== undefined) context.signal = signal;
  if (simulated) {
    const headers: Record<string, string> = {};
    let forwarded = false;
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.startsWith('x-sim-') && typeof value === 'string') {
        headers[name] = value;
        forwarded = true;
      }
    }
    if (forwarded) context.headers = headers;
  }
  return context;
}
