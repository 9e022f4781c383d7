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
  const headers: Record<string, string> = {};
  if (simulated) {
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.startsWith('x-sim-') && typeof value === 'string') headers[name] = value;
    }
  }
  return {
    owner: request.owner,
    traceId: String(request.id),
    ...(signal === undefined ? {} : { signal }),
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
  };
}
