import { describe, expect, it } from 'vitest';
import { retryStoreWrite } from './retry-store-write.ts';

describe('retryStoreWrite', () => {
  it('retries a failing write with the given waits and returns its result', async () => {
    const waits: number[] = [];
    const failures: number[] = [];
    let calls = 0;
    const result = await retryStoreWrite(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('database is locked');
        return 'written';
      },
      {
        delaysMs: [10, 20, 30],
        wait: async (milliseconds) => {
          waits.push(milliseconds);
        },
        onRetry: (_error, attempt) => failures.push(attempt),
      },
    );
    expect(result).toBe('written');
    expect(waits).toEqual([10, 20]);
    expect(failures).toEqual([1, 2]);
  });

  it('rethrows once the waits are used up', async () => {
    let calls = 0;
    const write = retryStoreWrite(
      async () => {
        calls += 1;
        throw new Error(`locked ${calls}`);
      },
      { delaysMs: [1, 1], wait: async () => {} },
    );
    await expect(write).rejects.toThrow('locked 3');
    expect(calls).toBe(3);
  });
});
