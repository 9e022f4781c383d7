import { nextId } from './http-io.ts';
import type { ReplyPlan } from './plan-reply.ts';

/**
 * A fresh id for each tool call of `plan`, in order: ids are unique per response, like the real
 * APIs' `call_…` and `toolu_01…`, while the rest of a reply is cached and repeatable.
 *
 * @example
 * toolCallIds(plan, 'call_'); // ['call_k3j9x2000001a', 'call_k3j9x2000001b']
 */
export function toolCallIds(plan: ReplyPlan, prefix: string, length?: number): string[] {
  return plan.toolCalls.map(() => nextId(prefix, length));
}
