import type { Store } from '@reins/store';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../clock.ts';
import { BudgetSpentError } from '../errors/server-error.ts';
import { createBudgetGuard } from './budget-guard.ts';

/** A store whose call log says `costUsd` was spent today, counting the reads. */
function storeSpent(costUsd: number): Store & { reads: number } {
  const store = {
    reads: 0,
    flush: async () => {},
    calls: {
      aggregate: async () => {
        store.reads++;
        return [{ costUsd }];
      },
    },
  };
  return store as unknown as Store & { reads: number };
}

describe('createBudgetGuard', () => {
  it('has nothing to wait for without a daily budget, and reads no spend', () => {
    const store = storeSpent(100);
    const budget = createBudgetGuard({ store, clock: manualClock(Date.parse('2026-01-01T12:00:00Z')) });
    expect(budget.check('alice')).toBeUndefined();
    expect(store.reads).toBe(0);
  });

  it('rejects once the spend today reached the daily budget', async () => {
    const clock = manualClock(Date.parse('2026-01-01T12:00:00Z'));
    await expect(
      createBudgetGuard({ store: storeSpent(0.5), clock, dailyUsd: 1 }).check('alice'),
    ).resolves.toBe(undefined);
    await expect(
      createBudgetGuard({ store: storeSpent(1), clock, dailyUsd: 1 }).check('alice'),
    ).rejects.toThrow(BudgetSpentError);
  });
});
