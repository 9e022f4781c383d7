export type PoolOptions<T> = {
  /** Items in flight at most: a number, or a function read as items settle (it may change). */
  concurrency: number | (() => number);
  /** Asked before each item starts; `false` stops the pool (items in flight finish). */
  admit?: (item: T) => Promise<boolean> | boolean;
  /** Checked before each item is pulled; `true` stops the pool. */
  stopped?: () => boolean;
};

/**
 * Runs `work` over items pulled lazily from `source`, at most `concurrency` at a time, so a
 * source of any length (a streamed dataset) is never read ahead of the work. A `concurrency`
 * function is read again each time an item settles: the pool starts more items when it has
 * grown, and lets items finish without replacing them when it has shrunk. Resolves when the
 * source is exhausted or the pool stops and every started item has settled; rejects with the
 * first error `work` (or the source) throws, after the others settle.
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
  const { concurrency } = options;
  const limit = () => Math.max(1, typeof concurrency === 'function' ? concurrency() : concurrency);
  let stop = false;
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  let workers = 0;
  let allSettled!: () => void;
  const settled = new Promise<void>((resolve) => {
    allSettled = resolve;
  });
  const halted = () => stop || exhausted || options.stopped?.() === true;

  const worker = async () => {
    try {
      // A worker leaves when the pool has shrunk below the workers there are; the count drops
      // in `finally`, before any other worker resumes, so exactly the surplus leaves.
      while (!halted() && workers <= limit()) {
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
        grow();
      }
    } catch (error) {
      // The source itself failed (a dataset that cannot be read on).
      failure ??= { error };
      stop = true;
    } finally {
      workers -= 1;
      if (workers === 0) allSettled();
    }
  };
  const grow = () => {
    while (!halted() && workers < limit()) {
      workers += 1;
      void worker();
    }
  };

  grow();
  if (workers === 0) allSettled();
  try {
    await settled;
  } finally {
    await iterator.return?.();
  }
  if (failure !== undefined) throw failure.error;
  return { exhausted };
}
