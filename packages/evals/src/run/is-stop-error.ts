import { BudgetExceededError } from '@reins/client';

/**
 * Errors that end a run rather than fail a row: the caller aborted, or the client's own budget
 * refused the call. The cell is left unfinished, so a resume runs it.
 */
export function isStopError(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted === true) return true;
  if (BudgetExceededError.isInstance(error)) return true;
  return error instanceof Error && error.name === 'AbortError';
}
