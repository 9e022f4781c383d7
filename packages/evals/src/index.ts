export { IDEAL_OUTPUT, MODEL_OUTPUT, SCORE } from './dataset/dataset-columns.ts';
export { DatasetError } from './dataset/dataset-error.ts';
export {
  type DatasetProblem,
  type DatasetProblemKind,
  datasetProblemSchema,
  formatDatasetProblem,
} from './dataset/dataset-problem.ts';
export { type DatasetRow, type DatasetValue, datasetRowSchema } from './dataset/dataset-row.ts';
export {
  type DatasetFormat,
  type DatasetSource,
  datasetFormat,
  datasetName,
} from './dataset/dataset-source.ts';
export { type DatasetSpec, datasetSpecSchema } from './dataset/dataset-spec.ts';
export { datasetSpecForTemplate } from './dataset/dataset-spec-for-template.ts';
export { readDataset } from './dataset/read-dataset.ts';
export { type DatasetScanEvent, scanDataset } from './dataset/scan-dataset.ts';
export {
  type DatasetSummary,
  datasetSummarySchema,
  type ValidateDatasetOptions,
  validateDataset,
} from './dataset/validate-dataset.ts';
export { EvalsError } from './evals-error.ts';
export { EvalsInputError } from './evals-input-error.ts';
export { type CompareStreamsOptions, compareRunStreams } from './report/compare-run-streams.ts';
export {
  compareRuns,
  primaryScore,
  type RowChange,
  type RowDifference,
  type RunComparison,
  rowDifference,
  runComparisonSchema,
} from './report/compare-runs.ts';
export { type ExportOptions, exportResultsCsv, exportResultsJsonl } from './report/export-results.ts';
export { formatComparison } from './report/format-comparison.ts';
export { formatDuration } from './report/format-duration.ts';
export { formatProgressLine } from './report/format-progress-line.ts';
export { formatReportTable } from './report/format-report-table.ts';
export { percentile } from './report/percentile.ts';
export {
  type GroupReport,
  groupReportSchema,
  type ScoreStats,
  type SummarizeOptions,
  summarizeResults,
} from './report/summarize-results.ts';
export { RESULT_COLUMNS, toWorkbenchRecord } from './report/workbench-record.ts';
export { createEvalRun, type NewEvalRunInput, planEvalConfig } from './run/create-eval-run.ts';
export { datasetSpecForVersions } from './run/dataset-spec-for-versions.ts';
export type { EvalDeps } from './run/eval-deps.ts';
export { type EvalProgress, estimateRemainingMs } from './run/eval-progress.ts';
export { type EvalResult, evalResultSchema, resultKey } from './run/eval-result.ts';
export { EvalRunBusyError } from './run/eval-run-busy-error.ts';
export {
  type EvalRunConfig,
  type EvalRunConfigInput,
  evalRunConfigSchema,
  type PromptVersion,
  promptVersionSchema,
} from './run/eval-run-config.ts';
export { evalRunResults } from './run/eval-run-results.ts';
export {
  type EvalRunOutcome,
  type EvalStopReason,
  type ExecuteEvalRunOptions,
  executeEvalRun,
} from './run/execute-eval-run.ts';
export { leaseHolderGone } from './run/lease-holder-gone.ts';
export { type EvalRunPlan, planEvalRun } from './run/plan-eval-run.ts';
export { resolvePromptVersions } from './run/resolve-prompt-versions.ts';
export { type Cell, type CellContext, renderCell, runCell } from './run/run-cell.ts';
export { type PoolOptions, runPool } from './run/run-pool.ts';
export { fromStoredResult, toStoredResult } from './run/stored-result.ts';
export { type ContainsScorerOptions, containsScorer } from './scorers/contains-scorer.ts';
export { type CreateScorerContext, createScorer } from './scorers/create-scorer.ts';
export { type ExactScorerOptions, exactScorer } from './scorers/exact-scorer.ts';
export { extractJson } from './scorers/extract-json.ts';
export { type JsonSchemaScorerOptions, jsonSchemaScorer } from './scorers/json-schema-scorer.ts';
export { DEFAULT_RUBRIC, JUDGE_PROMPT_VERSION } from './scorers/judge-prompt.ts';
export {
  type JudgeClient,
  type JudgeScorerOptions,
  judgeScorer,
  judgeVerdictSchema,
} from './scorers/judge-scorer.ts';
export { firstNumber, type NumericScorerOptions, numericScorer } from './scorers/numeric-scorer.ts';
export { type RegexScorerOptions, regexScorer } from './scorers/regex-scorer.ts';
export { rougeL } from './scorers/rouge-l.ts';
export {
  type JudgeCall,
  judgeCallSchema,
  type ScoreInput,
  type ScoreResult,
  type Scorer,
  type ScoreScale,
  scoreResultSchema,
} from './scorers/scorer.ts';
export { scorerNeedsIdealOutput } from './scorers/scorer-needs-ideal-output.ts';
export { parseScorerSpec, type ScorerSpec, scorerSpecSchema } from './scorers/scorer-spec.ts';
export { type SimilarityScorerOptions, similarityScorer } from './scorers/similarity-scorer.ts';
export { toFivePoint } from './scorers/to-five-point.ts';
export {
  createEvalsService,
  type EvalRunDetail,
  type EvalsService,
  type EvalsServiceOptions,
} from './service/create-evals-service.ts';
export { datasetInFolder, saveUploadedDataset } from './service/dataset-location.ts';
export {
  type EvalCreateBody,
  evalCreateBodySchema,
  evalDatasetInputSchema,
  type HumanScoreBody,
  humanScoreBodySchema,
} from './service/eval-create-body.ts';
export { type EvalRunPublic, evalRunPublicSchema, toEvalRunPublic } from './service/eval-run-public.ts';
