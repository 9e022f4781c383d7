import type { EvalProgress } from '../run/eval-progress.ts';
import { formatDuration } from './format-duration.ts';

/**
 * The live progress line of a run: cells done of total, percent, ETA, USD spent (models and
 * judge), errors and cells in flight (and whether the memory budget holds their number).
 *
 * @example
 * formatProgressLine(progress) // '120/440 cells (27%) · ETA 1m12s · $0.0123 · 2 errors · 4 in flight'
 */
export function formatProgressLine(progress: EvalProgress): string {
  const percent = progress.total === 0 ? 100 : Math.floor((progress.done / progress.total) * 100);
  const parts = [
    `${progress.done}/${progress.total} cells (${percent}%)`,
    progress.done >= progress.total
      ? 'done'
      : progress.etaMs === null
        ? 'ETA –'
        : `ETA ${formatDuration(progress.etaMs)}`,
    `$${progress.spentUsd.toFixed(4)}`,
    `${progress.errors} error${progress.errors === 1 ? '' : 's'}`,
  ];
  if (progress.inFlight > 0)
    parts.push(
      `${progress.inFlight} in flight${progress.heldByMemory === true ? ' (held by the memory budget)' : ''}`,
    );
  return parts.join(' · ');
}
