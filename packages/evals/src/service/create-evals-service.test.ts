import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EvalHarness, ROOT, startEvalHarness } from '../../test/helpers/eval-harness.ts';
import { DatasetError } from '../dataset/dataset-error.ts';
import { EvalsInputError } from '../evals-input-error.ts';
import { createEvalsService, type EvalsService } from './create-evals-service.ts';

describe('the evals service (what the API routes call)', () => {
  let harness: EvalHarness;
  let evals: EvalsService;
  beforeEach(async () => {
    harness = await startEvalHarness();
    evals = createEvalsService({
      deps: harness.deps,
      datasetsDir: join(ROOT, 'datasets'),
      uploadsDir: join(harness.directory, 'uploads'),
    });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('creates a queued run from an upload, executes it as a task would, and pages its rows', async () => {
    const content = await import('node:fs/promises').then(async (fs) =>
      fs.readFile(await harness.writeDataset(5), 'utf8'),
    );
    const created = await evals.create(
      {
        dataset: { content, format: 'csv', name: 'my set.csv' },
        template: 'contract_summary',
        models: ['openai/gpt-5.6-luna'],
        scorers: ['similarity:0.3'],
      },
      'alice',
    );
    expect(created).toMatchObject({
      status: 'queued',
      models: ['openai/gpt-5.6-luna'],
      scorers: ['similarity'],
      dataset: { rows: 5 },
      cells: { total: 5, done: 0, errors: 0 },
    });
    expect(created.dataset.name).toMatch(/^[0-9a-f]{16}-my_set\.csv$/);
    await evals.attachTask(created.id, 'task-1');

    const outcome = await evals.execute(created.id);
    expect(outcome.run.status).toBe('completed');

    const first = await evals.detail(created.id, 'alice', { limit: 2 });
    expect(first).toMatchObject({ run: { status: 'completed', taskId: 'task-1', cells: { done: 5 } } });
    expect(first!.rows.map((row) => row.row)).toEqual([1, 2]);
    expect(first!.reports[0]).toMatchObject({ model: 'openai/gpt-5.6-luna', rows: 5 });
    const second = await evals.detail(created.id, 'alice', { limit: 2, after: first!.nextCursor! });
    expect(second!.rows.map((row) => row.row)).toEqual([3, 4]);
    const last = await evals.detail(created.id, 'alice', { limit: 2, after: second!.nextCursor! });
    expect(last).toMatchObject({ nextCursor: null });
    expect(last!.rows.map((row) => row.row)).toEqual([5]);
    await expect(evals.detail(created.id, 'alice', { after: 'garbage' })).rejects.toThrow(EvalsInputError);

    // Another owner sees nothing.
    expect(await evals.get(created.id, 'bob')).toBeNull();
    expect(await evals.detail(created.id, 'bob')).toBeNull();
    expect((await evals.list({ owner: 'bob' })).items).toEqual([]);
    expect((await evals.list({ owner: 'alice' })).items.map((run) => run.id)).toEqual([created.id]);

    expect(await evals.score(created.id, 'alice', 2, { score: 4, note: 'ok' })).toBe(1);
    expect(await evals.score(created.id, 'alice', 99, { score: 4 })).toBe(0);
    expect(await evals.score(created.id, 'bob', 2, { score: 1 })).toBeNull();
    expect(await evals.get(created.id, 'alice')).toMatchObject({ humanScored: 1 });

    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    expect(await evals.exportCsv(created.id, 'alice', output)).toBe(5);
    expect(Buffer.concat(chunks).toString('utf8')).toContain('human_score');
    expect(await evals.exportCsv(created.id, 'bob', new PassThrough())).toBeNull();
  });

  it('takes a dataset from the datasets folder, never from outside it', async () => {
    const created = await evals.create(
      {
        dataset: { path: 'patent_review.csv' },
        template: 'patent_review',
        models: ['openai/gpt-5.6-luna'],
        scorers: [{ type: 'exact' }],
      },
      undefined,
    );
    expect(created.dataset).toMatchObject({ name: 'patent_review.csv', rows: 20 });
    for (const path of ['../package.json', '/etc/passwd', '.']) {
      await expect(
        evals.create(
          { dataset: { path }, template: 'patent_review', models: ['openai/gpt-5.6-luna'] },
          undefined,
        ),
      ).rejects.toSatisfy((error) => error instanceof EvalsInputError && error.field === 'dataset.path');
    }
  });

  it('rejects a dataset that does not fit the template with every problem', async () => {
    const content = 'contract_title,ideal_output\nA,\n';
    await expect(
      evals.create(
        {
          dataset: { content, format: 'csv' },
          template: 'contract_summary',
          models: ['openai/gpt-5.6-luna'],
        },
        undefined,
      ),
    ).rejects.toSatisfy((error) => DatasetError.isInstance(error) && error.problems.length === 5);
    expect(harness.simulator.stats().requests).toBe(0);
  });
});
