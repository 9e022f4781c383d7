/**
 * Where a run is, sent after each finished cell. Counts include cells finished in earlier
 * sessions of a resumed run (`resumed` of them); `spentUsd` is the models' and the judge's spend.
 */
export type EvalProgress = {
  runId: string;
  total: number;
  done: number;
  resumed: number;
  errors: number;
  inFlight: number;
  /**
   * With `concurrency: 'auto'` and a memory budget: the last time the run could have added cells
   * in flight, the process was over its budget, so the limit is held (`--memory-mb` raises it).
   */
  heldByMemory?: boolean;
  spentUsd: number;
  elapsedMs: number;
  /** From this session's pace; `null` until a cell has finished. */
  etaMs: number | null;
};

/** The remaining time at this session's pace. */
export function estimateRemainingMs(progress: Omit<EvalProgress, 'etaMs'>): number | null {
  const doneNow = progress.done - progress.resumed;
  if (doneNow <= 0) return null;
  return Math.round((progress.elapsedMs / doneNow) * (progress.total - progress.done));
}
