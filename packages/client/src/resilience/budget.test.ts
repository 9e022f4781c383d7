import { describe, expect, it } from 'vitest';
import { createBudget } from './budget.ts';

describe('createBudget', () => {
  it('reserves the worst case, settles the real cost, refuses past the cap', () => {
    const budget = createBudget(0.3);
    const release = budget.reserve(0.2, 'm');
    expect(() => budget.reserve(0.2, 'm')).toThrow(/exceed the \$0.3 budget/);
    release(0.1);
    expect(budget.spentUsd).toBe(0.1);
    const again = budget.reserve(0.2, 'm');
    again(0.1);
    again(5);
    expect(budget.spentUsd).toBe(0.2);
    expect(() => budget.reserve(0.2, 'm')).toThrow(expect.objectContaining({ name: 'BudgetExceededError' }));
  });
});
