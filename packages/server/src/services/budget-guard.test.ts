import { openStore, type Store } from '@reins/store';
import { afterEach, describe, expect, it } from 'vitest';
import { silentStoreLogger } from '../../test/helpers/services.ts';
import { manualClock } from '../clock.ts';
import { createBudgetGuard } from './budget-guard.ts';

// The refusal itself (402 once a key's spend reached its budget, with the real call log) is in
// routes/generate.test.ts; this pins what the request path relies on without a budget.
describe('createBudgetGuard', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('has nothing to wait for without a daily budget, and reads no spend', async () => {
    store = await openStore({ url: 'sqlite::memory:', logger: silentStoreLogger });
    let reads = 0;
    const aggregate = store.calls.aggregate.bind(store.calls);
    store.calls.aggregate = (...args) => {
      reads++;
      return aggregate(...args);
    };
    const clock = manualClock(Date.parse('2026-01-01T12:00:00Z'));
    expect(createBudgetGuard({ store, clock }).check('alice')).toBeUndefined();
    expect(reads).toBe(0);
    // With a budget the same store is read, and an unspent key passes.
    await expect(createBudgetGuard({ store, clock, dailyUsd: 1 }).check('alice')).resolves.toBeUndefined();
    expect(reads).toBe(1);
  });
});
