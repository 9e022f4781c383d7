const MARKER = Symbol.for('reins.evals.error');

/**
 * Base class of every error `@reins/evals` throws. `EvalsError.isInstance` works across duplicate
 * copies of the package, where `instanceof` does not.
 *
 * @example
 * try { await validateDataset(source, spec) } catch (error) { if (EvalsError.isInstance(error)) … }
 */
export class EvalsError extends Error {
  readonly [MARKER] = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EvalsError';
  }

  static isInstance(value: unknown): value is EvalsError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}
