import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error.ts';
import type { DatasetSource } from './dataset-source.ts';
import { readDataset } from './read-dataset.ts';
import { validateDataset } from './validate-dataset.ts';

const spec = { variables: ['title', 'content'] };

function csv(content: string | Uint8Array): DatasetSource {
  return { content, format: 'csv', name: 'test.csv' };
}

async function problemsOf(source: DatasetSource, options = spec) {
  const error = await validateDataset(source, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(DatasetError.isInstance(error)).toBe(true);
  return (error as DatasetError).problems.map(({ kind, row, column }) => ({ kind, row, column }));
}

async function rowsOf(source: DatasetSource, options: Parameters<typeof readDataset>[1] = spec) {
  const rows = [];
  for await (const row of readDataset(source, options)) rows.push(row);
  return rows;
}

describe('validateDataset', () => {
  it('accepts a well-formed Workbench CSV and summarises it', async () => {
    const summary = await validateDataset(
      csv('title,content,ideal_output,model_output,score\nA,x,ideal,,\nB,y,ideal,out,4\n'),
      spec,
    );
    expect(summary).toMatchObject({
      name: 'test.csv',
      format: 'csv',
      rowCount: 2,
      columns: ['title', 'content', 'ideal_output', 'model_output', 'score'],
    });
    expect(summary.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists every problem at once, with row and column', async () => {
    const text = [
      'title,content,ideal_output',
      'A,,ideal', // empty required cell
      'B,x', // ragged: too few
      'C,x,"y",z', // ragged: too many
      ' ,  ,ideal', // two empty cells (spaces only)
      'D,x,', // empty ideal_output
    ].join('\n');
    expect(await problemsOf(csv(text))).toEqual([
      { kind: 'empty-cell', row: 1, column: 'content' },
      { kind: 'ragged-row', row: 2, column: null },
      { kind: 'ragged-row', row: 3, column: null },
      { kind: 'empty-cell', row: 4, column: 'title' },
      { kind: 'empty-cell', row: 4, column: 'content' },
      { kind: 'empty-cell', row: 5, column: 'ideal_output' },
    ]);
  });

  it('names missing and duplicate columns, and suggests a near miss', async () => {
    const error = await validateDataset(csv('Title,content,content\nA,x,y\n'), spec).catch(
      (thrown) => thrown,
    );
    expect(DatasetError.isInstance(error)).toBe(true);
    const problems = (error as DatasetError).problems;
    expect(problems.map(({ kind, column }) => [kind, column])).toEqual([
      ['duplicate-column', 'content'],
      ['missing-column', 'title'],
      ['missing-column', 'ideal_output'],
    ]);
    expect(problems[1]!.message).toContain("did you mean 'Title'");
    expect((error as Error).message).toContain("column 'title': required column is missing");
  });

  it('lets ideal_output and optional variables be absent when the spec says so', async () => {
    const summary = await validateDataset(csv('title,content\nA,x\n'), {
      ...spec,
      optionalVariables: ['reviewer'],
      requireIdealOutput: false,
    });
    expect(summary.rowCount).toBe(1);
  });

  it('reports bytes that are not UTF-8 by row and column, and reads a BOM file', async () => {
    const bad = Buffer.concat([
      Buffer.from('\ufefftitle,content,ideal_output\nA,ok,fine\nB,caf'),
      Buffer.from([0xe9]),
      Buffer.from(',fine\n'),
    ]);
    expect(await problemsOf(csv(bad))).toEqual([{ kind: 'invalid-encoding', row: 2, column: 'content' }]);
    const good = Buffer.from('\ufefftitle,content,ideal_output\nA,café,fine\n');
    const [row] = await rowsOf(csv(good));
    expect(row!.variables).toEqual({ title: 'A', content: 'café' });
  });

  it('checks score: empty is fine, otherwise a number from 1 to 5', async () => {
    const text = 'title,content,ideal_output,score\nA,x,i,\nB,x,i,5\nC,x,i,6\nD,x,i,good\n';
    expect(await problemsOf(csv(text))).toEqual([
      { kind: 'invalid-score', row: 3, column: 'score' },
      { kind: 'invalid-score', row: 4, column: 'score' },
    ]);
  });

  it('reports an unrecoverable quoting error with where it happened', async () => {
    const text = 'title,content,ideal_output\nA,x,i\nB,"unterminated,i\n';
    const error = (await validateDataset(csv(text), spec).catch((thrown) => thrown)) as DatasetError;
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ kind: 'malformed-csv', row: 2, line: 3 });
  });

  it('still checks the rows before a quoting error', async () => {
    const text = 'title,content,ideal_output\nA,,i\nB,"unterminated,i\nC,x,i\n';
    expect(await problemsOf(csv(text))).toEqual([
      { kind: 'empty-cell', row: 1, column: 'content' },
      { kind: 'malformed-csv', row: 2, column: null },
    ]);
  });

  it('reports an empty file and a header-only file', async () => {
    expect(await problemsOf(csv(''))).toEqual([{ kind: 'empty-dataset', row: null, column: null }]);
    expect(await problemsOf(csv('title,content,ideal_output\n'))).toEqual([
      { kind: 'empty-dataset', row: null, column: null },
    ]);
  });

  it('keeps at most maxProblems and counts the rest', async () => {
    const lines = ['title,content,ideal_output', ...Array.from({ length: 30 }, () => 'A,,i')];
    const error = (await validateDataset(csv(lines.join('\n')), spec, { maxProblems: 10 }).catch(
      (thrown) => thrown,
    )) as DatasetError;
    expect(error.problems).toHaveLength(10);
    expect(error.omitted).toBe(20);
    expect(error.message).toContain('30 problems');
  });
});

describe('readDataset (CSV)', () => {
  it('keeps JSON, commas, doubled quotes and line breaks inside quoted cells verbatim', async () => {
    const json = '{"parties": ["Acme, Inc.", "Bolt \\"B\\" LLC"], "term": {"months": 12}}';
    const quoted = `"${json.replaceAll('"', '""')}"`;
    const text = [
      'title,content,ideal_output',
      `"Supply, Agreement",${quoted},"Line one\r\nLine ""two"""`,
      'Plain,"multi\nline\ncell",ok',
    ].join('\r\n');
    const rows = await rowsOf(csv(text));
    expect(rows).toHaveLength(2);
    expect(rows[0]!.variables).toEqual({ title: 'Supply, Agreement', content: json });
    expect(JSON.parse(rows[0]!.variables.content as string)).toEqual({
      parties: ['Acme, Inc.', 'Bolt "B" LLC'],
      term: { months: 12 },
    });
    expect(rows[0]!.idealOutput).toBe('Line one\r\nLine "two"');
    expect(rows[1]!).toMatchObject({ row: 2, line: 4, variables: { content: 'multi\nline\ncell' } });
  });

  it('keeps stray quotes in an unquoted cell literally', async () => {
    const rows = await rowsOf(csv('title,content,ideal_output\nA,say "hi",i\nB,"bad"x,i\n'));
    expect(rows.map((row) => row.variables['content'])).toEqual(['say "hi"', '"bad"x']);
  });

  it('accepts JSON written without surrounding quotes when it has no comma (promptfoo #3069)', async () => {
    const rows = await rowsOf(csv('title,content,ideal_output\nA,{"answer":""},{"answer": "03/09/2024"}\n'));
    expect(rows[0]!.variables['content']).toBe('{"answer":""}');
    expect(rows[0]!.idealOutput).toBe('{"answer": "03/09/2024"}');
  });

  it('numbers rows from the first after the header, counting lines across blank lines and CRLF', async () => {
    const text = 'title,content,ideal_output\r\nA,x,i\r\n\r\n,,\r\nB,"x\r\ny",i\r\nC,x,i';
    const rows = await rowsOf(csv(text));
    expect(rows.map(({ row, line }) => [row, line])).toEqual([
      [1, 2],
      [3, 5],
      [4, 7],
    ]);
  });

  it('puts unknown columns in extra and reads model_output and score', async () => {
    const [row] = await rowsOf(csv('title,content,ideal_output,model_output,score,model\nA,x,i,o,3,m\n'));
    expect(row).toMatchObject({ modelOutput: 'o', score: 3, extra: { model: 'm' } });
  });

  it('stops at the first bad row with that row’s problems', async () => {
    const rows: unknown[] = [];
    const reading = (async () => {
      for await (const row of readDataset(csv('title,content,ideal_output\nA,x,i\nB,,i\n'), spec))
        rows.push(row);
    })();
    await expect(reading).rejects.toThrow(/row 2 \(line 3\), column 'content': required cell is empty/);
    expect(rows).toHaveLength(1);
  });

  it('streams a file from disk without reading it whole', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'reins-evals-'));
    try {
      const path = join(directory, 'big.csv');
      const header = 'title,content,ideal_output\n';
      const body = Array.from({ length: 5000 }, (_, index) => `T${index},"c, ${index}",i${index}`).join('\n');
      await writeFile(path, header + body);
      let count = 0;
      let last: string | undefined;
      for await (const row of readDataset({ path }, spec)) {
        count += 1;
        last = row.idealOutput;
      }
      expect(count).toBe(5000);
      expect(last).toBe('i4999');
      await expect(validateDataset({ path: join(directory, 'missing.csv') }, spec)).rejects.toThrow(
        /dataset not found/,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('readDataset (JSONL)', () => {
  const jsonl = (content: string): DatasetSource => ({ content, format: 'jsonl', name: 'test.jsonl' });

  it('reads objects, keeping non-string variables and stringifying a JSON ideal_output', async () => {
    const text = [
      JSON.stringify({ title: 'A', content: { clauses: [1, 2] }, ideal_output: { ok: true } }),
      '',
      JSON.stringify({ title: 'B', content: 'x', ideal_output: 'y', score: 2 }),
    ].join('\n');
    const rows = await rowsOf(jsonl(text));
    expect(rows[0]!).toMatchObject({
      row: 1,
      variables: { content: { clauses: [1, 2] } },
      idealOutput: '{"ok":true}',
    });
    expect(rows[1]!).toMatchObject({ row: 2, line: 3, score: 2 });
  });

  it('lists bad lines, missing keys and empty values', async () => {
    const text = [
      '{"title": "A", "content": "x", "ideal_output": "i"}',
      '{"title": "B", "content": "x", "ideal_output": ', // truncated
      '["not", "an object"]',
      '{"title": "C", "ideal_output": "i"}',
      '{"title": "", "content": null, "ideal_output": "i"}',
    ].join('\n');
    expect(await problemsOf(jsonl(text))).toEqual([
      { kind: 'malformed-json', row: 2, column: null },
      { kind: 'malformed-json', row: 3, column: null },
      { kind: 'missing-column', row: 4, column: 'content' },
      { kind: 'empty-cell', row: 5, column: 'title' },
      { kind: 'empty-cell', row: 5, column: 'content' },
    ]);
  });
});
