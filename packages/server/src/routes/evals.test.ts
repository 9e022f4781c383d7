import { readDataset } from '@reins/evals';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/services.ts';
import { useTestApp } from '../../test/helpers/test-app.ts';

const harness = useTestApp();
type As = Awaited<ReturnType<typeof harness.start>>['alice'];

const DATASET = [
  'contract_title,parties,contract_date,contract_type,contract_content,ideal_output',
  'NDA,"A Ltd and B Ltd",2024-01-01,NDA,"1. Keep secrets, for 2 years.","Mutual NDA, 2 years."',
  'Lease,"C plc and D Ltd",2024-02-01,lease,"Rent: £1,000 a month.","Lease at £1,000/month."',
  'Supply,"E Ltd and F Ltd",2024-03-01,supply,"Deliver 10 units weekly.","10 units a week."',
].join('\n');

async function finished(as: As, id: string) {
  return eventually(async () => {
    const detail = (await as({ method: 'GET', url: `/v1/evals/${id}` })).json();
    return ['queued', 'running'].includes(detail.run.status) ? undefined : detail;
  });
}

describe('eval routes', () => {
  it('starts a run as a task, reports it with paged rows, exports the CSV and takes human scores', async () => {
    const { alice, bob } = await harness.start();
    const accepted = await alice({
      method: 'POST',
      url: '/v1/evals',
      payload: {
        dataset: { content: DATASET, format: 'csv', name: 'contracts.csv' },
        template: 'contract_summary',
        models: ['openai/gpt-5.6-luna', 'anthropic/claude-haiku-4-5'],
        scorers: ['similarity', { type: 'judge', model: 'anthropic/claude-haiku-4-5' }],
        maxTokens: 100,
      },
    });
    expect(accepted.statusCode).toBe(202);
    const { id, taskId, links } = accepted.json();
    expect(accepted.headers.location).toBe(`/v1/evals/${id}`);
    expect(links).toEqual({
      self: `/v1/evals/${id}`,
      export: `/v1/evals/${id}/export.csv`,
      task: `/v1/tasks/${taskId}`,
    });

    const detail = await finished(alice, id);
    expect(detail.run).toMatchObject({
      status: 'completed',
      taskId,
      cells: { total: 6, done: 6, errors: 0 },
      scorers: ['similarity', 'judge'],
    });
    expect(detail.run.judgeCostUsd).toBeGreaterThan(0);
    expect(
      detail.reports.map((report: { model: string; rows: number }) => [report.model, report.rows]),
    ).toEqual([
      ['anthropic/claude-haiku-4-5', 3],
      ['openai/gpt-5.6-luna', 3],
    ]);
    const task = (await alice({ method: 'GET', url: `/v1/tasks/${taskId}` })).json();
    expect(task).toMatchObject({
      kind: 'eval',
      status: 'succeeded',
      result: { status: 'completed', done: 6 },
    });
    expect(task.costUsd).toBeCloseTo(detail.run.costUsd + detail.run.judgeCostUsd, 10);
    // The run's calls, the judge's included, are the owner's in the call log.
    const calls = await eventually(async () => {
      const page = (await alice({ method: 'GET', url: '/v1/calls?limit=100' })).json();
      return page.items.length >= 12 ? page.items : undefined;
    });
    expect(calls.filter((call: { tags: string[] }) => call.tags.includes('eval'))).toHaveLength(6);
    expect(calls.filter((call: { tags: string[] }) => call.tags.includes('eval-judge'))).toHaveLength(6);
    expect((await bob({ method: 'GET', url: '/v1/calls?limit=100' })).json().items).toEqual([]);

    const page = (await alice({ method: 'GET', url: `/v1/evals/${id}?limit=4` })).json();
    expect(page.rows.map((row: { row: number }) => row.row)).toEqual([1, 1, 2, 2]);
    const rest = (
      await alice({ method: 'GET', url: `/v1/evals/${id}?limit=4&after=${page.nextCursor}` })
    ).json();
    expect(rest.rows.map((row: { row: number }) => row.row)).toEqual([3, 3]);
    expect(rest.nextCursor).toBeNull();

    const scored = await alice({
      method: 'POST',
      url: `/v1/evals/${id}/rows/2/score`,
      payload: { score: 5, model: 'openai/gpt-5.6-luna', note: 'good' },
    });
    expect(scored.json()).toEqual({ scored: 1 });
    expect(
      (await alice({ method: 'POST', url: `/v1/evals/${id}/rows/9/score`, payload: { score: 5 } }))
        .statusCode,
    ).toBe(404);

    const exported = await alice({ method: 'GET', url: `/v1/evals/${id}/export.csv` });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = [];
    const variables = ['contract_title', 'parties', 'contract_date', 'contract_type', 'contract_content'];
    for await (const row of readDataset({ content: exported.body, format: 'csv' }, { variables }))
      rows.push(row);
    expect(rows).toHaveLength(6);
    expect(rows.find((row) => row.extra['human_score'] === '5')).toMatchObject({
      row: expect.any(Number),
      variables: { contract_title: 'Lease' },
    });

    // Bob sees none of it.
    expect((await bob({ method: 'GET', url: `/v1/evals/${id}` })).statusCode).toBe(404);
    expect((await bob({ method: 'GET', url: `/v1/evals/${id}/export.csv` })).statusCode).toBe(404);
    expect(
      (await bob({ method: 'POST', url: `/v1/evals/${id}/rows/1/score`, payload: { score: 1 } })).statusCode,
    ).toBe(404);
    expect((await bob({ method: 'GET', url: '/v1/evals' })).json().items).toEqual([]);
    expect(
      (await alice({ method: 'GET', url: '/v1/evals' })).json().items.map((run: { id: string }) => run.id),
    ).toEqual([id]);
  });

  it('answers 422 with every dataset problem, and 400 for a path outside the datasets folder', async () => {
    const { alice } = await harness.start();
    const bad = await alice({
      method: 'POST',
      url: '/v1/evals',
      payload: {
        dataset: { content: 'contract_title,parties,ideal_output\nA,,x\n', format: 'csv' },
        template: 'contract_summary',
        models: ['openai/gpt-5.6-luna'],
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const problem = bad.json();
    expect(problem.type).toContain('dataset-invalid');
    expect(
      problem.problems.map((entry: { kind: string; column: string }) => `${entry.kind} ${entry.column}`),
    ).toEqual([
      'missing-column contract_date',
      'missing-column contract_type',
      'missing-column contract_content',
      'empty-cell parties',
    ]);
    const outside = await alice({
      method: 'POST',
      url: '/v1/evals',
      payload: {
        dataset: { path: '../package.json' },
        template: 'contract_summary',
        models: ['openai/gpt-5.6-luna'],
      },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0]).toMatchObject({ field: 'dataset.path' });
    const unknownField = await alice({
      method: 'POST',
      url: '/v1/evals',
      payload: {
        dataset: { path: 'patent_review.csv' },
        template: 'patent_review',
        models: ['openai/gpt-5.6-luna'],
        modles: [],
      },
    });
    expect(unknownField.statusCode).toBe(400);
    const fromFolder = await alice({
      method: 'POST',
      url: '/v1/evals',
      payload: {
        dataset: { path: 'patent_review.csv' },
        template: 'patent_review',
        models: ['openai/gpt-5.6-luna'],
        scorers: ['exact'],
      },
    });
    expect(fromFolder.statusCode).toBe(202);
    expect((await alice({ method: 'GET', url: '/v1/evals?cursor=nonsense' })).statusCode).toBe(400);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const { app } = await harness.start();
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/evals',
        '/v1/evals/{id}',
        '/v1/evals/{id}/export.csv',
        '/v1/evals/{id}/rows/{row}/score',
      ]),
    );
  });
});
