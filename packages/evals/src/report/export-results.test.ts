import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeResult } from '../../test/helpers/make-result.ts';
import { readDataset } from '../dataset/read-dataset.ts';
import { exportResultsCsv, exportResultsJsonl } from './export-results.ts';

async function capture(
  write: (output: PassThrough) => Promise<number>,
): Promise<{ text: string; count: number }> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const count = await write(output);
  return { text: Buffer.concat(chunks).toString('utf8'), count };
}

const variables = ['title', 'content'];
const results = [
  makeResult({
    row: 1,
    variables: {
      title: 'Supply, "Master" agreement',
      content: '{"parties": ["Acme, Inc.", "Bolt"]}\nline two',
    },
    modelOutput: 'Summary with, commas and "quotes"\nand a second line',
    costUsd: 0.0000004,
    latencyMs: 412.6,
    humanScore: 2,
  }),
  makeResult({
    row: 2,
    status: 'error',
    modelOutput: null,
    scores: [],
    errorClass: 'RateLimitError',
    errorMessage: 'slow down',
    costUsd: null,
    latencyMs: null,
  }),
];

describe('exportResultsCsv', () => {
  it('writes the Workbench layout with a BOM, then the run columns', async () => {
    const { text, count } = await capture((output) => exportResultsCsv(results, output, { variables }));
    expect(count).toBe(2);
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.slice(1).split('\n')[0]).toBe(
      'title,content,ideal_output,model_output,score,model,prompt_version,cost_usd,latency_ms,row,human_score,error',
    );
    expect(text).toContain(',0.0000004,413,1,2,');
    expect(text).toContain('RateLimitError: slow down');
  });

  it('re-imports as a dataset, cell for cell', async () => {
    const { text } = await capture((output) => exportResultsCsv(results, output, { variables }));
    const rows = [];
    for await (const row of readDataset({ content: text, format: 'csv' }, { variables })) rows.push(row);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      variables: results[0]!.variables,
      idealOutput: results[0]!.idealOutput,
      modelOutput: results[0]!.modelOutput,
      score: 4,
      extra: {
        model: 'openai/gpt-5.6-luna',
        prompt_version: '1.0.0',
        cost_usd: '0.0000004',
        human_score: '2',
      },
    });
    expect(rows[1]).toMatchObject({
      modelOutput: null,
      score: null,
      extra: { error: 'RateLimitError: slow down' },
    });
  });
});

describe('exportResultsJsonl', () => {
  it('writes one flat record per line that also re-imports as a dataset', async () => {
    const { text } = await capture((output) => exportResultsJsonl(results, output, { variables }));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ title: 'Supply, "Master" agreement', score: 4, call_id: 'call-1' });
    expect(first.scores[0].reason).toBe('Close.');
    const rows = [];
    for await (const row of readDataset({ content: text, format: 'jsonl' }, { variables })) rows.push(row);
    expect(rows.map((row) => row.modelOutput)).toEqual([results[0]!.modelOutput, null]);
  });
});
