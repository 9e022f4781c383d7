export type PoolOptions<T> = {
  concurrency: number;
  /** Asked before each item starts; `false` stops the pool (items in flight finish). */
  admit?: (item: T) => Promise<boolean> | boolean;
  /** Checked before each item is pulled; `true` stops the pool. */
  stopped?: () => boolean;
};

/**
 * Runs `work` over items pulled lazily from `source`, at most `concurrency` at a time, so a
 * source of any length (a streamed dataset) is never read ahead of the work. Resolves when the
 * source is exhausted or the pool stops and every started item has settled; rejects with the
 * first error `work` throws, after the others settle.
 *
 * @example
 * await runPool(cells(), async (cell) => save(await runCell(cell)), { concurrency: 8 });
 */
export async function runPool<T>(
  source: AsyncIterable<T>,
  work: (item: T) => Promise<void>,
  options: PoolOptions<T>,
): Promise<{ exhausted: boolean }> {
  const iterator = source[Symbol.asyncIterator]();
  let stop = false;
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!stop && options.stopped?.() !== true) {
      const next = await iterator.next();
      if (next.done === true) {
        exhausted = true;
        return;
      }
      if (stop || options.stopped?.() === true) return;
      if (options.admit !== undefined && !(await options.admit(next.value))) {
        stop = true;
        return;
      }
      try {
        await work(next.value);
      } catch (error) {
        failure ??= { error };
        stop = true;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    await iterator.return?.();
  }
  if (failure !== undefined) throw failure.error;
  return { exhausted };
}
