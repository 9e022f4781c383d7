import { IDEAL_OUTPUT, MODEL_OUTPUT, SCORE } from './dataset-columns.ts';
import type { DatasetProblem } from './dataset-problem.ts';
import type { DatasetRow, DatasetValue } from './dataset-row.ts';
import type { ResolvedDatasetSpec } from './dataset-spec.ts';
import { INVALID_BYTE_MARK } from './normalize-utf8.ts';
import type { RawRecord } from './raw-record.ts';

export type RecordCheck = { ok: true; row: DatasetRow } | { ok: false; problems: DatasetProblem[] };

/**
 * Turns one raw record into a {@link DatasetRow}, or lists everything wrong with it: a row with
 * more or fewer cells than the header, an empty required cell, bytes that are not UTF-8, a score
 * outside 1–5. `header` is the trimmed CSV header (unused for JSONL).
 */
export function checkRecord(record: RawRecord, header: string[], spec: ResolvedDatasetSpec): RecordCheck {
  const problems: DatasetProblem[] = [];
  const at = { row: record.row, line: record.line };
  let cells: Record<string, unknown>;
  if (record.format === 'csv') {
    if (record.cells.length !== header.length) {
      const hint =
        record.cells.length > header.length
          ? '; a cell holding commas (JSON, lists) must be wrapped in double quotes'
          : '';
      const message = `expected ${header.length} cells as in the header, found ${record.cells.length}${hint}`;
      return { ok: false, problems: [{ kind: 'ragged-row', ...at, column: null, message }] };
    }
    cells = {};
    header.forEach((name, index) => {
      if (name !== '') cells[name] = record.cells[index];
    });
  } else {
    cells = record.value;
  }

  for (const [column, value] of Object.entries(cells)) {
    if (containsInvalidBytes(value)) {
      problems.push({
        kind: 'invalid-encoding',
        ...at,
        column,
        message: 'the cell has bytes that are not UTF-8',
      });
    }
  }
  const required = spec.requireIdealOutput ? [...spec.variables, IDEAL_OUTPUT] : spec.variables;
  for (const column of required) {
    if (!(column in cells)) {
      // A CSV's missing columns are reported once, from the header.
      if (record.format === 'jsonl') {
        problems.push({ kind: 'missing-column', ...at, column, message: 'required key is missing' });
      }
    } else if (isEmpty(cells[column])) {
      problems.push({ kind: 'empty-cell', ...at, column, message: 'required cell is empty' });
    }
  }
  const score = parseScore(cells[SCORE]);
  if (score === undefined) {
    problems.push({
      kind: 'invalid-score',
      ...at,
      column: SCORE,
      message: 'score must be a number from 1 to 5',
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const known = new Set([...spec.variables, ...spec.optionalVariables, IDEAL_OUTPUT, MODEL_OUTPUT, SCORE]);
  const variables: Record<string, DatasetValue> = {};
  for (const name of [...spec.variables, ...spec.optionalVariables]) {
    if (name in cells) variables[name] = cells[name] as DatasetValue;
  }
  const extra: Record<string, DatasetValue> = {};
  for (const [column, value] of Object.entries(cells)) {
    if (!known.has(column)) extra[column] = value as DatasetValue;
  }
  return {
    ok: true,
    row: {
      ...at,
      variables,
      idealOutput: asText(cells[IDEAL_OUTPUT]) ?? '',
      modelOutput: asText(cells[MODEL_OUTPUT]),
      score: score ?? null,
      extra,
    },
  };
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function containsInvalidBytes(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(INVALID_BYTE_MARK);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value).includes(INVALID_BYTE_MARK);
  return false;
}

/** A JSONL value that is not a string (an object, a number) is kept as its JSON text. */
function asText(value: unknown): string | null {
  if (isEmpty(value)) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `null` when absent or empty, `undefined` when present but not a score. */
function parseScore(value: unknown): number | null | undefined {
  if (isEmpty(value)) return null;
  const score =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  return Number.isFinite(score) && score >= 1 && score <= 5 ? score : undefined;
}
