import type { Store } from '@reins/store';
import type { Clock } from '../clock.ts';
import { BudgetSpentError } from '../errors/server-error.ts';
import { ownerTag } from './owner-tag.ts';

/**
 * Refuses (402) a key whose spend today (UTC) has reached its daily budget. Spend is read from
 * the call log and cached for `cacheMs`, so the check costs one query per key every few seconds,
 * not one per request; a burst can overshoot by what it spends within that window.
 *
 * @example
 * const budget = createBudgetGuard({ store, clock, dailyUsd: 5 });
 * await budget.check('alice'); // throws BudgetSpentError once alice spent $5 today
 */
export function createBudgetGuard(options: {
  store: Store;
  clock: Clock;
  dailyUsd?: number;
  cacheMs?: number;
}) {
  const cacheMs = options.cacheMs ?? 2_000;
  const cache = new Map<string, { day: string; spentUsd: number; readAt: number }>();

  async function spentToday(owner: string): Promise<number> {
    const now = options.clock.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const cached = cache.get(owner);
    if (cached !== undefined && cached.day === day && now - cached.readAt < cacheMs) return cached.spentUsd;
    await options.store.flush().catch(() => {});
    const [today] = await options.store.calls.aggregate({
      groupBy: 'day',
      tag: ownerTag(owner),
      since: `${day}T00:00:00.000Z`,
    });
    const spentUsd = today?.costUsd ?? 0;
    cache.set(owner, { day, spentUsd, readAt: now });
    return spentUsd;
  }

  async function checkSpend(owner: string, dailyUsd: number): Promise<void> {
    const spentUsd = await spentToday(owner);
    if (spentUsd >= dailyUsd) {
      throw new BudgetSpentError(
        `the daily budget of $${dailyUsd} for this key is spent ($${spentUsd.toFixed(4)} today, UTC)`,
        { budgetUsd: dailyUsd, spentUsd },
      );
    }
  }

  return {
    /** Adds a call this process just made, so the cached spend does not lag behind it. */
    record(owner: string, costUsd: number | null): void {
      const cached = cache.get(owner);
      if (cached !== undefined && costUsd !== null) cached.spentUsd += costUsd;
    },

    /**
     * Rejects with `BudgetSpentError` once the owner's spend today reached the budget. Without a
     * daily budget there is nothing to wait for: undefined, not a resolved promise, so the
     * request path can skip the await.
     */
    check(owner: string): Promise<void> | undefined {
      if (options.dailyUsd === undefined) return undefined;
      return checkSpend(owner, options.dailyUsd);
    },
  };
}

export type BudgetGuard = ReturnType<typeof createBudgetGuard>;
