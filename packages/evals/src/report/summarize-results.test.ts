import { describe, expect, it } from 'vitest';
import { makeResult } from '../../test/helpers/make-result.ts';
import { formatReportTable } from './format-report-table.ts';
import { percentile } from './percentile.ts';
import { summarizeResults } from './summarize-results.ts';

const judged = (score: number, judgeCost = 0.001) => [
  {
    scorer: 'judge',
    scale: 'five-point' as const,
    score,
    passed: score >= 4,
    reason: null,
    judge: { callId: 'j', model: 'm/j', costUsd: judgeCost, inputTokens: 1, outputTokens: 1, latencyMs: 1 },
  },
];

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('summarizeResults', () => {
  it('reports each model × prompt version apart', async () => {
    const results = [
      makeResult({ row: 1, scores: judged(5), latencyMs: 100, costUsd: 0.01 }),
      makeResult({ row: 2, scores: judged(3), latencyMs: 300, costUsd: 0.02, humanScore: 2 }),
      makeResult({ row: 3, scores: judged(4), latencyMs: 200, costUsd: 0.03, humanScore: 5 }),
      makeResult({
        row: 4,
        status: 'error',
        modelOutput: null,
        scores: [],
        costUsd: null,
        latencyMs: 5000,
        errorClass: 'TimeoutError',
      }),
      makeResult({ row: 1, model: 'anthropic/claude-haiku-4-5', scores: judged(2) }),
      makeResult({ row: 1, promptVersion: '1.1.0', scores: judged(5) }),
    ];
    const reports = await summarizeResults(results);
    expect(reports.map((report) => [report.model, report.promptVersion, report.rows])).toEqual([
      ['openai/gpt-5.6-luna', '1.0.0', 4],
      ['anthropic/claude-haiku-4-5', '1.0.0', 1],
      ['openai/gpt-5.6-luna', '1.1.0', 1],
    ]);
    const [luna] = reports;
    expect(luna).toMatchObject({
      ok: 3,
      errors: 1,
      inputTokens: 400,
      outputTokens: 80,
      latencyP50Ms: 200, // the failed row's latency is left out
      latencyP95Ms: 300,
      human: { count: 2, mean: 3.5, distribution: [0, 1, 0, 0, 1] },
    });
    expect(luna!.costUsd).toBeCloseTo(0.06);
    expect(luna!.judgeCostUsd).toBeCloseTo(0.003);
    expect(luna!.scores).toEqual([
      {
        scorer: 'judge',
        scale: 'five-point',
        graded: 3,
        mean: 4,
        distribution: [0, 0, 1, 1, 1],
        passed: 2,
        passRate: 0.5, // 2 of 4 rows: the error is not a pass
      },
    ]);
  });

  it('applies a 1–5 threshold when asked, and maps 0–1 scores onto 1–5', async () => {
    const unit = (score: number) => [
      {
        scorer: 'similarity',
        scale: 'unit' as const,
        score,
        passed: score >= 0.5,
        reason: null,
        judge: null,
      },
    ];
    const results = [makeResult({ scores: unit(0.9) }), makeResult({ row: 2, scores: unit(0.6) })];
    const [report] = await summarizeResults(results, { threshold: 4 });
    expect(report!.scores[0]).toMatchObject({
      mean: 0.75,
      distribution: [0, 0, 1, 0, 1],
      passed: 1,
      passRate: 0.5,
    });
    const [lenient] = await summarizeResults(results);
    expect(lenient!.scores[0]!.passRate).toBe(1);
  });

  it('formats a table a person can read', async () => {
    const table = formatReportTable(await summarizeResults([makeResult({ scores: judged(4) })]));
    const [header, rule, line] = table.split('\n');
    expect(header).toMatch(/^model\s+prompt\s+rows\s+errors\s+score\s+pass/);
    expect(rule).toMatch(/^-+ {2}-+/);
    expect(line).toContain('openai/gpt-5.6-luna');
    expect(line).toContain('4.00');
    expect(line).toContain('100%');
    expect(line).toContain('0/0/0/1/0');
  });
});
