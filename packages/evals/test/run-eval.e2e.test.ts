import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../src/dataset/dataset-error.ts';
import { readDataset } from '../src/dataset/read-dataset.ts';
import { exportResultsCsv } from '../src/report/export-results.ts';
import { summarizeResults } from '../src/report/summarize-results.ts';
import { createEvalRun } from '../src/run/create-eval-run.ts';
import type { EvalProgress } from '../src/run/eval-progress.ts';
import { EvalRunBusyError } from '../src/run/eval-run-busy-error.ts';
import { evalRunConfigSchema } from '../src/run/eval-run-config.ts';
import { evalRunResults } from '../src/run/eval-run-results.ts';
import { executeEvalRun } from '../src/run/execute-eval-run.ts';
import { planEvalRun } from '../src/run/plan-eval-run.ts';
import { type EvalHarness, MODELS, startEvalHarness } from './helpers/eval-harness.ts';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('an eval run on the simulator', () => {
  let harness: EvalHarness;
  beforeEach(async () => {
    harness = await startEvalHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('runs rows × models through the client, grades them, links the call log, reports and exports', async () => {
    const dataset = await harness.writeDataset(4);
    const run = await createEvalRun(harness.deps, {
      dataset,
      template: 'contract_summary',
      models: MODELS,
      scorers: [{ type: 'similarity' }, { type: 'judge' }],
      judgeModel: 'anthropic/claude-haiku-4-5',
      maxTokens: 200,
    });
    expect(run).toMatchObject({
      status: 'running',
      rowCount: 4,
      totalCells: 8,
      template: 'contract_summary',
    });
    const progress: EvalProgress[] = [];
    const outcome = await executeEvalRun(harness.deps, run.id, {
      onProgress: (p) => progress.push(p),
      tags: ['owner:alice'],
    });
    expect(outcome.run.status).toBe('completed');
    expect(outcome.stopReason).toBeNull();
    expect(progress.at(-1)).toMatchObject({ total: 8, done: 8, resumed: 0, inFlight: 0 });

    const results = await all(evalRunResults(harness.deps.store, run.id));
    expect(results.map((result) => `${result.row} ${result.model}`)).toEqual(
      [1, 2, 3, 4].flatMap((row) => [`${row} anthropic/claude-haiku-4-5`, `${row} openai/gpt-5.6-luna`]),
    );
    for (const result of results) {
      expect(result).toMatchObject({ status: 'ok', promptVersion: '1.0.0', scoreError: null });
      expect(result.modelOutput).not.toBe('');
      expect(result.scores.map((score) => score.scorer)).toEqual(['similarity', 'judge']);
      expect(result.scores[1]!.score).toBeGreaterThanOrEqual(1);
      expect(result.scores[1]!.judge?.model).toBe('anthropic/claude-haiku-4-5');
      expect(result.inputTokens).toBeGreaterThan(50);
      expect(result.costUsd).toBeGreaterThan(0);
    }

    await harness.store.flush();
    const calls = (await harness.store.calls.list({ evalRunId: run.id, limit: 100 })).items;
    // One generate and one judge call per cell, all tagged with the run.
    expect(calls).toHaveLength(16);
    const generated = calls.filter((call) => call.operation === 'generate');
    expect(new Set(generated.map((call) => call.callId))).toEqual(
      new Set(results.map((result) => result.callId)),
    );
    expect(
      generated.every((call) => call.template?.name === 'contract_summary' && call.tags.includes('eval')),
    ).toBe(true);
    const judged = calls.filter((call) => call.tags.includes('eval-judge'));
    expect(judged).toHaveLength(8);
    expect(calls.every((call) => call.tags.includes('owner:alice'))).toBe(true);
    expect(new Set(judged.map((call) => call.callId))).toEqual(
      new Set(results.map((result) => result.scores[1]!.judge!.callId)),
    );
    const first = results[0]!;
    expect(generated.find((call) => call.callId === first.callId)?.promptText).toContain(
      'Supply agreement ROW-1',
    );

    const reports = await summarizeResults(evalRunResults(harness.deps.store, run.id));
    expect(reports.map((report) => [report.model, report.rows, report.errors])).toEqual([
      ['anthropic/claude-haiku-4-5', 4, 0],
      ['openai/gpt-5.6-luna', 4, 0],
    ]);
    expect(reports[0]!.judgeCostUsd).toBeGreaterThan(0);

    const config = evalRunConfigSchema.parse(outcome.run.config);
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    await exportResultsCsv(evalRunResults(harness.deps.store, run.id), output, {
      variables: config.variables,
    });
    const text = Buffer.concat(chunks).toString('utf8');
    const reimported = await all(
      readDataset({ content: text, format: 'csv' }, { variables: config.variables }),
    );
    expect(reimported).toHaveLength(8);
    expect(reimported[0]!.variables['contract_title']).toBe('Supply agreement ROW-1');
    expect(reimported[0]!.extra['model']).toBe('anthropic/claude-haiku-4-5');
  });

  it('refuses a bad dataset before any call', async () => {
    const dataset = await harness.writeDataset(2);
    const { writeFile, readFile } = await import('node:fs/promises');
    const text = await readFile(dataset, 'utf8');
    await writeFile(dataset, text.replace('contract_type', 'kind'));
    await expect(
      createEvalRun(harness.deps, {
        dataset,
        template: 'contract_summary',
        models: MODELS,
        scorers: [{ type: 'exact' }],
      }),
    ).rejects.toSatisfy(
      (error) => DatasetError.isInstance(error) && error.problems[0]?.column === 'contract_type',
    );
    expect(harness.simulator.stats().requests).toBe(0);
  });

  it('records a failed call as an error row and goes on', async () => {
    const dataset = await harness.writeDataset(2);
    const run = await createEvalRun(harness.deps, {
      dataset,
      template: 'contract_summary',
      models: ['openai/gpt-5.6-luna', 'openai/no-such-model'],
      scorers: [{ type: 'similarity' }],
    });
    const outcome = await executeEvalRun(harness.deps, run.id);
    expect(outcome.run.status).toBe('completed');
    const results = await all(evalRunResults(harness.deps.store, run.id));
    const failed = results.filter((result) => result.status === 'error');
    expect(failed.map((result) => result.model)).toEqual(['openai/no-such-model', 'openai/no-such-model']);
    expect(failed[0]!.errorClass).toMatch(/Error$/);
    expect(failed[0]!.modelOutput).toBeNull();
    expect(outcome.progress.errors).toBe(2);

    // A resume with retryErrors runs the failed cells again, and only those.
    const retried = await executeEvalRun(harness.deps, run.id, { retryErrors: true });
    expect(retried.progress).toMatchObject({ resumed: 2, done: 4, errors: 2 });
    const again = await all(evalRunResults(harness.deps.store, run.id));
    expect(again.filter((result) => result.status === 'ok').map((result) => result.callId)).toEqual(
      results.filter((result) => result.status === 'ok').map((result) => result.callId),
    );
  });

  it('stops cleanly at the budget and resumes to the end without running a cell twice', async () => {
    const dataset = await harness.writeDataset(6);
    const input = {
      dataset,
      template: 'contract_summary',
      models: MODELS,
      scorers: [{ type: 'similarity' as const }],
      maxTokens: 100,
    };
    const config = await import('../src/run/create-eval-run.ts').then((module) =>
      module.planEvalConfig(harness.deps, input),
    );
    const plan = await planEvalRun(harness.deps, config);
    expect(plan).toMatchObject({ rows: 6, cells: 12 });
    expect(plan.maxUsd).toBeGreaterThan(plan.minUsd);
    expect(harness.simulator.stats().requests).toBe(0); // the dry run calls nothing

    const run = await createEvalRun(harness.deps, { ...input, budgetUsd: plan.maxUsd / 3, concurrency: 2 });
    const stopped = await executeEvalRun(harness.deps, run.id);
    expect(stopped.run.status).toBe('stopped');
    expect(stopped.stopReason).toBe('budget');
    expect(stopped.run.error).toMatchObject({ reason: 'budget' });
    const partial = (await all(evalRunResults(harness.deps.store, run.id))).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(12);
    const spent = stopped.progress.spentUsd;
    expect(spent).toBeLessThanOrEqual(plan.maxUsd / 3);

    const resumed = await executeEvalRun(harness.deps, run.id, { budgetUsd: plan.maxUsd * 2 });
    expect(resumed.run.status).toBe('completed');
    expect(resumed.progress).toMatchObject({ resumed: partial, done: 12 });
    expect(harness.simulator.stats().requests).toBe(12);
  });

  it('stops on abort, leaving the cells in flight for a resume', async () => {
    const dataset = await harness.writeDataset(5);
    const run = await createEvalRun(harness.deps, {
      dataset,
      template: 'contract_summary',
      models: MODELS,
      scorers: [{ type: 'exact' }],
      concurrency: 1,
    });
    const controller = new AbortController();
    const stopped = await executeEvalRun(harness.deps, run.id, {
      signal: controller.signal,
      onResult: () => controller.abort(),
    });
    expect(stopped).toMatchObject({
      stopReason: 'aborted',
      run: { status: 'stopped', error: { reason: 'aborted' } },
    });
    expect(stopped.progress.done).toBe(1);
    const resumed = await executeEvalRun(harness.deps, run.id);
    expect(resumed.run.status).toBe('completed');
    expect((await all(evalRunResults(harness.deps.store, run.id))).length).toBe(10);
  });

  it('with auto concurrency, holds the cells in flight once the process is over its memory budget', async () => {
    const dataset = await harness.writeDataset(40);
    const input = {
      dataset,
      template: 'contract_summary',
      models: MODELS,
      scorers: [{ type: 'exact' as const }],
      maxTokens: 20,
      concurrency: 'auto' as const,
    };
    const peakInFlight = async (memoryBudgetMb?: number) => {
      const run = await createEvalRun(harness.deps, input);
      const seen: EvalProgress[] = [];
      const outcome = await executeEvalRun(harness.deps, run.id, {
        ...(memoryBudgetMb === undefined ? {} : { memoryBudgetMb }),
        onProgress: (p) => seen.push(p),
      });
      expect(outcome.run.status).toBe('completed');
      return {
        max: Math.max(...seen.map((p) => p.inFlight)),
        held: seen.some((p) => p.heldByMemory === true),
      };
    };
    // Without a budget, slow start doubles past the initial 16 once a round has settled.
    const free = await peakInFlight();
    expect(free.max).toBeGreaterThan(16);
    expect(free.held).toBe(false);
    // Any process is over 1 MB: the limit stays at its start and the progress says why.
    const held = await peakInFlight(1);
    expect(held.max).toBeLessThanOrEqual(16);
    expect(held.held).toBe(true);
  });

  it('lets one process at a time run a run: a second resume while it runs is refused', async () => {
    const dataset = await harness.writeDataset(3);
    const run = await createEvalRun(harness.deps, {
      dataset,
      template: 'contract_summary',
      models: MODELS,
      scorers: [{ type: 'exact' }],
      concurrency: 1,
    });
    let second: Promise<unknown> | undefined;
    const first = await executeEvalRun(harness.deps, run.id, {
      // While the first holds the run (its first cell is written), a second starts on it.
      onResult: () => {
        second ??= executeEvalRun(harness.deps, run.id).catch((error: unknown) => error);
      },
    });
    expect(first.run).toMatchObject({ status: 'completed', leaseOwner: null });
    const refused = await second;
    expect(refused).toBeInstanceOf(EvalRunBusyError);
    expect((refused as EvalRunBusyError).holder).toMatch(/^.+:\d+:.+$/);
    expect(harness.simulator.stats().requests).toBe(6);
  });
});
