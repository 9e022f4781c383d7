import { DatasetError, EvalsError, formatDatasetProblem } from '@reins/evals';
import { RequestValidationError, ServerError } from './server-error.ts';

/**
 * Errors from `@reins/evals` as problems: a dataset that does not fit its template is a 422 with
 * every problem (row, column, what is wrong); a bad field a 400 naming it; any other evals error
 * a 400, as is a bad run-list cursor. Anything else is returned as it is, for the usual handler.
 *
 * @example
 * try { await deps.evals.create(body, owner) } catch (error) { throw toEvalProblem(error) }
 */
export function toEvalProblem(error: unknown): unknown {
  if (DatasetError.isInstance(error)) {
    return new ServerError({
      status: 422,
      slug: 'dataset-invalid',
      title: 'The dataset does not fit the template',
      detail: error.message,
      errors: error.problems.slice(0, 100).map((problem) => ({
        in: 'body' as const,
        field: problem.column === null ? 'dataset' : `dataset.${problem.column}`,
        pointer: '#/dataset',
        detail: formatDatasetProblem(problem),
      })),
      extensions: { problems: error.problems, omitted: error.omitted },
    });
  }
  if (error instanceof Error && error.name === 'EvalRunCursorError') {
    return new RequestValidationError([
      { in: 'querystring', field: 'cursor', pointer: '#/cursor', detail: error.message },
    ]);
  }
  if (EvalsError.isInstance(error) && error.name === 'EvalsInputError') {
    return RequestValidationError.field(
      String((error as EvalsError & { field?: string }).field),
      error.message,
    );
  }
  if (EvalsError.isInstance(error)) {
    return new ServerError({
      status: 400,
      slug: 'invalid-request',
      title: 'Invalid request',
      detail: error.message,
    });
  }
  return error;
}
