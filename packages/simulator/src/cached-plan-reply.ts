import { planReply, type ReplyPlan, type ReplyRequest } from './plan-reply.ts';

const MAX_ENTRIES = 5_000;
const plans = new Map<string, ReplyPlan>();

/**
 * `planReply`, memoized: a reply is a pure function of the request, so repeated requests (load
 * tests, retries, re-asks) skip building prose and counting its tokens again. `provider` keeps
 * the two token counters apart.
 */
export function cachedPlanReply(provider: string, request: ReplyRequest): ReplyPlan {
  const { toolChoice } = request;
  const key = `${provider}|${request.fingerprint ?? request.seed}|${request.maxTokens}|${request.answerTokens}|${request.fault}|${request.jsonObject}|${toolChoice.type}|${toolChoice.type === 'tool' ? toolChoice.name : ''}|${request.parallelToolCalls !== false}|${request.stop.join('\u0000')}`;
  let plan = plans.get(key);
  if (plan === undefined) {
    plan = planReply(request);
    if (plans.size >= MAX_ENTRIES) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}
