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
export { readDataset } from './dataset/read-dataset.ts';
export { type DatasetScanEvent, scanDataset } from './dataset/scan-dataset.ts';
export {
  type DatasetSummary,
  datasetSummarySchema,
  type ValidateDatasetOptions,
  validateDataset,
} from './dataset/validate-dataset.ts';
export { EvalsError } from './evals-error.ts';
