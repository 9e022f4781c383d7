import { afterAll, describe, expect, it } from 'vitest';
import { backends, open } from '../../test/helpers/backends.ts';
import type { StoreContext } from '../schema.ts';
import { deleteFailedEvalResults } from './delete-eval-results.ts';
import type { NewEvalResult } from './eval-result-record.ts';
import { evalRunTotals } from './eval-run-totals.ts';
import { evalCellKey, finishedEvalCells } from './finished-eval-cells.ts';
import { getEvalRun } from './get-eval-run.ts';
import { insertEvalResults } from './insert-eval-results.ts';
import { insertEvalRun } from './insert-eval-run.ts';
import { listEvalResults, streamEvalResults } from './list-eval-results.ts';
import { EvalRunCursorError, listEvalRuns } from './list-eval-runs.ts';
import { setHumanScore } from './set-human-score.ts';
import { updateEvalRun } from './update-eval-run.ts';

function result(row: number, overrides: Partial<NewEvalResult> = {}): NewEvalResult {
  return {
    runId: 'run-1',
    row,
    model: 'openai/gpt-5.6-luna',
    promptVersion: '1.0.0',
    status: 'ok',
    variables: { title: `T${row}`, content: '{"a": [1, "b, c"]}' },
    idealOutput: 'ideal',
    modelOutput: `answer ${row}`,
    errorClass: null,
    errorMessage: null,
    callId: `call-${row}`,
    traceId: `trace-${row}`,
    attempts: 1,
    inputTokens: 100,
    cachedInputTokens: 10,
    outputTokens: 20,
    costUsd: 0.0015,
    latencyMs: 321.5,
    scores: [{ scorer: 'judge', score: 4 }],
    score: 4,
    passed: true,
    scoreError: null,
    judgeCostUsd: 0.0002,
    finishedAt: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

const newRun = (id: string, now: string, template = 'contract_summary') => ({
  id,
  template,
  config: { models: ['openai/gpt-5.6-luna'], scorers: [{ type: 'judge' }] },
  datasetName: 'contract_summary.csv',
  datasetFingerprint: 'f'.repeat(64),
  rowCount: 3,
  totalCells: 3,
  now,
});

describe.each(backends())('eval persistence on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('stores a run, its results once per cell, and human scores apart', async () => {
    const store = await open(backend.freshUrl());
    const context: StoreContext = { db: store.db, dialect: store.dialect };
    try {
      const run = await insertEvalRun(context, newRun('run-1', '2025-01-02T03:00:00.000Z'));
      expect(run).toMatchObject({
        id: 'run-1',
        status: 'running',
        rowCount: 3,
        totalCells: 3,
        finishedAt: null,
      });
      expect(run.config).toEqual({ models: ['openai/gpt-5.6-luna'], scorers: [{ type: 'judge' }] });

      expect(await insertEvalResults(context, [result(2), result(1)])).toBe(2);
      // The same cells again (a retried write, a resumed run): nothing new, nothing duplicated.
      expect(await insertEvalResults(context, [result(1, { modelOutput: 'second try' }), result(3)])).toBe(1);
      const all = await listEvalResults(context, 'run-1');
      expect(all.map((entry) => entry.row)).toEqual([1, 2, 3]);
      expect(all[0]).toMatchObject({
        modelOutput: 'answer 1',
        variables: { title: 'T1', content: '{"a": [1, "b, c"]}' },
        costUsd: 0.0015,
        latencyMs: 321.5,
        passed: true,
        humanScore: null,
        finishedAt: '2025-01-02T03:04:05.000Z',
      });

      const done = await finishedEvalCells(context, 'run-1');
      expect(done).toEqual(new Set([1, 2, 3].map((row) => evalCellKey(row, 'openai/gpt-5.6-luna', '1.0.0'))));

      expect(
        await setHumanScore(context, {
          runId: 'run-1',
          row: 2,
          score: 5,
          note: 'spot on',
          now: run.createdAt,
        }),
      ).toBe(1);
      expect(await setHumanScore(context, { runId: 'run-1', row: 9, score: 3, now: run.createdAt })).toBe(0);
      await expect(
        setHumanScore(context, { runId: 'run-1', row: 2, score: 6, now: run.createdAt }),
      ).rejects.toThrow(RangeError);
      const [scored] = await listEvalResults(context, 'run-1', { row: 2 });
      expect(scored).toMatchObject({ humanScore: 5, humanNote: 'spot on', score: 4, scores: [{ score: 4 }] });

      expect(await evalRunTotals(context, 'run-1')).toEqual({
        results: 3,
        errors: 0,
        inputTokens: 300,
        outputTokens: 60,
        costUsd: expect.closeTo(0.0045, 10),
        judgeCostUsd: expect.closeTo(0.0006, 10),
        humanScored: 1,
      });

      const stopped = await updateEvalRun(context, 'run-1', {
        status: 'stopped',
        error: { reason: 'budget' },
        finishedAt: '2025-01-02T04:00:00.000Z',
        now: '2025-01-02T04:00:00.000Z',
      });
      expect(stopped).toMatchObject({ status: 'stopped', error: { reason: 'budget' } });
      const resumed = await updateEvalRun(context, 'run-1', {
        status: 'running',
        error: null,
        finishedAt: null,
        now: '2025-01-02T05:00:00.000Z',
      });
      expect(resumed).toMatchObject({ status: 'running', error: null, finishedAt: null });
      expect(await getEvalRun(context, 'missing')).toBeNull();
      expect(await updateEvalRun(context, 'missing', { status: 'failed', now: run.createdAt })).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('pages results in dataset order and runs newest first', async () => {
    const store = await open(backend.freshUrl());
    const context: StoreContext = { db: store.db, dialect: store.dialect };
    try {
      await insertEvalRun(context, newRun('run-1', '2025-01-01T00:00:00.000Z'));
      await insertEvalRun(context, newRun('run-2', '2025-01-03T00:00:00.000Z', 'legal_analysis'));
      await insertEvalRun(context, newRun('run-3', '2025-01-02T00:00:00.000Z'));
      const rows = [];
      for (let row = 1; row <= 7; row++) {
        rows.push(
          result(row),
          result(row, { model: 'anthropic/claude-haiku-4-5', status: 'error', modelOutput: null }),
        );
      }
      await insertEvalResults(context, rows.reverse());
      const streamed = [];
      for await (const entry of streamEvalResults(context, 'run-1', { pageSize: 3 })) streamed.push(entry);
      expect(streamed.map((entry) => `${entry.row}:${entry.model}`)).toEqual(
        [1, 2, 3, 4, 5, 6, 7].flatMap((row) => [
          `${row}:anthropic/claude-haiku-4-5`,
          `${row}:openai/gpt-5.6-luna`,
        ]),
      );
      expect((await listEvalResults(context, 'run-1', { status: 'error' })).length).toBe(7);
      expect((await evalRunTotals(context, 'run-1')).errors).toBe(7);
      expect(await deleteFailedEvalResults(context, 'run-1')).toBe(7);
      expect(await evalRunTotals(context, 'run-1')).toMatchObject({ results: 7, errors: 0 });

      const first = await listEvalRuns(context, { limit: 2 });
      expect(first.items.map((run) => run.id)).toEqual(['run-2', 'run-3']);
      const second = await listEvalRuns(context, { limit: 2, cursor: first.nextCursor! });
      expect(second).toMatchObject({ items: [{ id: 'run-1' }], nextCursor: null });
      expect(
        (await listEvalRuns(context, { template: 'legal_analysis' })).items.map((run) => run.id),
      ).toEqual(['run-2']);
      await expect(listEvalRuns(context, { cursor: 'nonsense' })).rejects.toThrow(EvalRunCursorError);
    } finally {
      await store.close();
    }
  });
});
