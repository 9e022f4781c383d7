import { BudgetExceededError } from '../errors/budget-exceeded-error.ts';

/**
 * A spending cap in USD (`budgetUsd` on the client, or per `map` run). Before each attempt the
 * call reserves its worst case (`estimate.maxCostUsd`); the attempt's real cost replaces the
 * reservation when it ends. A request whose reservation would take spent + reserved past the
 * cap is refused with `BudgetExceededError` before it is sent.
 *
 * @example
 * const budget = createBudget(5);
 * const release = budget.reserve(0.02, 'openai/gpt-4o'); … release(actualCost);
 */
export type Budget = {
  readonly limitUsd: number;
  readonly spentUsd: number;
  reserve(maxCostUsd: number | null, model: string): (costUsd: number | null) => void;
};

export function createBudget(limitUsd: number): Budget {
  // Integer pico-dollars, like the meter, so many small costs add up exactly.
  let spent = 0;
  let reserved = 0;
  const toPico = (usd: number) => Math.round(usd * 1e12);
  return {
    limitUsd,
    get spentUsd() {
      return spent / 1e12;
    },
    reserve(maxCostUsd, model) {
      const hold = maxCostUsd === null ? 0 : toPico(maxCostUsd);
      if (spent + reserved + hold > toPico(limitUsd)) {
        throw new BudgetExceededError(
          `${model}: this request may cost up to $${maxCostUsd}; with $${spent / 1e12} spent and $${reserved / 1e12} reserved it would exceed the $${limitUsd} budget. Nothing was sent.`,
          {
            budgetUsd: limitUsd,
            spentUsd: spent / 1e12,
            ...(maxCostUsd !== null ? { estimateUsd: maxCostUsd } : {}),
          },
        );
      }
      reserved += hold;
      let released = false;
      return (costUsd) => {
        if (released) return;
        released = true;
        reserved -= hold;
        if (costUsd !== null) spent += toPico(costUsd);
      };
    },
  };
}
