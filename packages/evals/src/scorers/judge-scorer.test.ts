import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type JudgeClient, judgeScorer, judgeVerdictSchema } from './judge-scorer.ts';

type StructuredCall = Parameters<JudgeClient['structured']>[0];

/** A stand-in for the client: records each request and answers with the verdict given. */
function fakeClient(verdict: unknown, calls: StructuredCall[] = []): JudgeClient {
  return {
    async structured(request) {
      calls.push(request as StructuredCall);
      const value = (request.schema as z.ZodType).parse(verdict);
      return {
        value,
        text: JSON.stringify(verdict),
        finishReason: 'stop',
        rawFinishReason: 'stop',
        usage: {
          inputTokens: 321,
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: 45,
          reasoningTokens: 0,
        },
        costUsd: 0.0012,
        estimate: {
          inputTokens: 320,
          maxOutputTokens: 400,
          contextWindow: null,
          maxCostUsd: null,
          exact: false,
        },
        traceId: 'trace-1',
        callId: 'call-1',
        attempts: 1,
        latencyMs: 250,
        ttftMs: null,
        model: request.model ?? 'unknown',
        provider: 'anthropic',
      } as never;
    },
  };
}

const input = {
  output: 'The supplier delivers monthly.',
  idealOutput: 'Supplier delivers monthly; buyer pays in 30 days.',
  variables: { contract_title: 'Supply' },
  prompt: 'Summarise the contract.',
  evalRunId: 'run-1',
};

describe('judge scorer', () => {
  it('asks the grading model for reasoning and a 1–5 score, and reports its call apart', async () => {
    const calls: StructuredCall[] = [];
    const judge = judgeScorer({
      client: fakeClient({ reasoning: 'Omits the payment term.', score: 3 }, calls),
      model: 'anthropic/claude-haiku-4-5',
      rubric: 'Must state the payment term.',
    });
    const result = await judge.score(input);
    expect(result).toEqual({
      scorer: 'judge',
      scale: 'five-point',
      score: 3,
      passed: false,
      reason: 'Omits the payment term.',
      judge: {
        callId: 'call-1',
        model: 'anthropic/claude-haiku-4-5',
        costUsd: 0.0012,
        inputTokens: 321,
        outputTokens: 45,
        latencyMs: 250,
      },
    });
    const [request] = calls;
    expect(request!.model).toBe('anthropic/claude-haiku-4-5');
    expect(request!.prompt).toContain('<task>\nSummarise the contract.\n</task>');
    expect(request!.prompt).toContain(input.idealOutput);
    expect(request!.prompt).toContain(input.output);
    expect(request!.prompt).toContain('Must state the payment term.');
    expect(request!.metadata).toMatchObject({ evalRunId: 'run-1', tags: ['eval-judge'] });
    expect(request!.metadata?.template?.name).toBe('reins/eval-judge');
  });

  it('passes at passAt (default 4)', async () => {
    const four = judgeScorer({ client: fakeClient({ reasoning: 'Good.', score: 4 }), model: 'm/x' });
    expect((await four.score(input)).passed).toBe(true);
    const strict = judgeScorer({
      client: fakeClient({ reasoning: 'Good.', score: 4 }),
      model: 'm/x',
      passAt: 5,
    });
    expect((await strict.score(input)).passed).toBe(false);
  });

  it('only accepts integer scores from 1 to 5', () => {
    expect(judgeVerdictSchema.safeParse({ reasoning: '', score: 6 }).success).toBe(false);
    expect(judgeVerdictSchema.safeParse({ reasoning: '', score: 2.5 }).success).toBe(false);
    expect(judgeVerdictSchema.safeParse({ reasoning: '', score: 1 }).success).toBe(true);
  });

  it('lets a failed grading call fail the scoring', async () => {
    const judge = judgeScorer({
      client: {
        structured: async () => {
          throw new Error('rate limited');
        },
      },
      model: 'm/x',
    });
    await expect(async () => judge.score(input)).rejects.toThrow('rate limited');
  });
});
