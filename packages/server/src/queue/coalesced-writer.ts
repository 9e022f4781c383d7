/**
 * Writes only the latest value, one write at a time: a processor reporting progress on every
 * item of a batch of 10 000 costs a handful of store writes, not 10 000.
 *
 * @example
 * const progress = coalescedWriter((value) => tasks.progress(id, value, now()));
 * progress.push({ completed: 1, total: 10 });
 * await progress.flush();
 */
export function coalescedWriter(
  write: (value: unknown) => Promise<void>,
  onError: (error: unknown) => void = () => {},
) {
  let pending: { value: unknown } | undefined;
  let inFlight: Promise<void> | undefined;

  function drain(): Promise<void> {
    if (inFlight !== undefined || pending === undefined) return inFlight ?? Promise.resolve();
    const { value } = pending;
    pending = undefined;
    inFlight = write(value)
      .catch(onError)
      .finally(() => {
        inFlight = undefined;
        void drain();
      });
    return inFlight;
  }

  return {
    push(value: unknown): void {
      pending = { value };
      void drain();
    },
    /** Resolves once the latest pushed value is written. */
    async flush(): Promise<void> {
      while (inFlight !== undefined || pending !== undefined) await drain();
    },
  };
}
