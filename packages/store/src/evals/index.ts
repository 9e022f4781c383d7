export { deleteFailedEvalResults } from './delete-eval-results.ts';
export type { EvalResultRecord, NewEvalResult } from './eval-result-record.ts';
export { acquireEvalRunLease, type EvalRunLeaseRequest, renewEvalRunLease } from './eval-run-lease.ts';
export type { EvalRunRecord, EvalRunStatus } from './eval-run-record.ts';
export { type EvalRunTotals, evalRunTotals } from './eval-run-totals.ts';
export type { EvalResultsTable, EvalRunsTable, EvalsDatabase } from './eval-tables.ts';
export { evalCellKey, finishedEvalCells } from './finished-eval-cells.ts';
export { getEvalRun } from './get-eval-run.ts';
export { insertEvalResults } from './insert-eval-results.ts';
export { insertEvalRun, type NewEvalRun } from './insert-eval-run.ts';
export {
  type EvalResultCursor,
  type EvalResultFilter,
  listEvalResults,
  streamEvalResults,
} from './list-eval-results.ts';
export { EvalRunCursorError, type EvalRunFilter, type EvalRunPage, listEvalRuns } from './list-eval-runs.ts';
export { type HumanScore, setHumanScore } from './set-human-score.ts';
export { type EvalRunUpdate, updateEvalRun } from './update-eval-run.ts';
