import { EvalsError } from '../evals-error.ts';
import { type DatasetProblem, formatDatasetProblem } from './dataset-problem.ts';

/** How many problems the message spells out; `problems` holds all that were kept. */
const SHOWN_IN_MESSAGE = 50;

/**
 * A dataset does not fit its template. Thrown once, before any model call, with every problem
 * found (row, column, what is wrong); `omitted` counts problems past the kept limit.
 *
 * @example
 * try { await validateDataset(source, spec) } catch (error) {
 *   if (DatasetError.isInstance(error)) for (const p of error.problems) console.log(p.row, p.column, p.message);
 * }
 */
export class DatasetError extends EvalsError {
  readonly problems: DatasetProblem[];
  readonly omitted: number;
  readonly dataset: string;

  constructor(dataset: string, problems: DatasetProblem[], omitted = 0) {
    const total = problems.length + omitted;
    const lines = problems
      .slice(0, SHOWN_IN_MESSAGE)
      .map((problem) => `  - ${formatDatasetProblem(problem)}`);
    const more = total - Math.min(problems.length, SHOWN_IN_MESSAGE);
    if (more > 0) lines.push(`  … and ${more} more`);
    super(`dataset ${dataset} has ${total} problem${total === 1 ? '' : 's'}:\n${lines.join('\n')}`);
    this.name = 'DatasetError';
    this.problems = problems;
    this.omitted = omitted;
    this.dataset = dataset;
  }

  static override isInstance(value: unknown): value is DatasetError {
    return EvalsError.isInstance(value) && (value as Error).name === 'DatasetError';
  }
}
