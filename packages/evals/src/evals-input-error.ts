import { EvalsError } from './evals-error.ts';

/**
 * A request to evals named something it cannot use; `field` is the offending field, so an API
 * can answer 400 naming it.
 *
 * @example
 * throw new EvalsInputError('dataset.path', "dataset path '../etc/passwd' must name a file inside the datasets folder");
 */
export class EvalsInputError extends EvalsError {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'EvalsInputError';
    this.field = field;
  }
}
