import type { DatasetProblem } from './dataset-problem.ts';

/**
 * One record as read from the file, before it is checked against the template. `row` 0 is a CSV
 * header; data rows count from 1. `cells` is positional for CSV, keyed for JSONL.
 */
export type RawRecord =
  | { format: 'csv'; row: number; line: number; cells: string[] }
  | { format: 'jsonl'; row: number; line: number; value: Record<string, unknown> };

/** What a record reader yields: a record, or a problem found while reading (bad JSON, bad quotes). */
export type RawRecordEvent =
  | { type: 'record'; record: RawRecord }
  | { type: 'problem'; problem: DatasetProblem };
