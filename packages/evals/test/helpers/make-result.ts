import type { EvalResult } from '../../src/run/eval-result.ts';

/** A finished, graded result; tests override what they look at. */
export function makeResult(overrides: Partial<EvalResult> = {}): EvalResult {
  return {
    runId: 'run-a',
    row: 1,
    model: 'openai/gpt-5.6-luna',
    promptVersion: '1.0.0',
    status: 'ok',
    variables: { title: 'Supply agreement', content: 'The supplier, Acme, Inc., delivers "widgets".' },
    idealOutput: 'Acme delivers widgets.',
    modelOutput: 'Acme delivers widgets monthly.',
    errorClass: null,
    errorMessage: null,
    callId: 'call-1',
    traceId: 'trace-1',
    attempts: 1,
    inputTokens: 100,
    cachedInputTokens: 0,
    outputTokens: 20,
    costUsd: 0.00012,
    latencyMs: 400,
    scores: [{ scorer: 'judge', scale: 'five-point', score: 4, passed: true, reason: 'Close.', judge: null }],
    scoreError: null,
    humanScore: null,
    humanNote: null,
    finishedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}
