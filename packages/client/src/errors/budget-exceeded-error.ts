import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * The call would exceed the configured budget, judged by its `maxCostUsd` estimate; nothing was sent.
 *
 * @example
 * if (BudgetExceededError.isInstance(error)) notify(`spent ${error.spentUsd} of ${error.budgetUsd}`);
 */
export class BudgetExceededError extends ReinsError {
  static override readonly errorName: string = 'BudgetExceededError';
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly estimateUsd: number | undefined;

  constructor(
    message: string,
    options: ReinsErrorOptions & { budgetUsd: number; spentUsd: number; estimateUsd?: number },
  ) {
    super(message, { isRetryable: false, ...options });
    this.budgetUsd = options.budgetUsd;
    this.spentUsd = options.spentUsd;
    this.estimateUsd = options.estimateUsd;
  }
}
