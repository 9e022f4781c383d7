import type { NewTask } from '@reins/store';
import { zodIssuesToFieldErrors } from '../errors/field-errors.ts';
import { RequestValidationError } from '../errors/server-error.ts';
import type { SubmitTask, TaskKinds } from './task-queue.ts';

export type TaskDefaults = { timeoutMs: number; maxAttempts: number; priority?: number };

/**
 * Checks a submission against the registered kinds and fills the defaults, ready for the store.
 * Throws `RequestValidationError` naming `kind` or the bad `input.*` fields.
 *
 * @example
 * const row = prepareTask(kinds, request, { id: ids.next(), now: new Date().toISOString(), defaults });
 */
export function prepareTask(
  kinds: TaskKinds,
  task: SubmitTask,
  context: { id: string; now: string; defaults: TaskDefaults },
): NewTask {
  const kind = kinds[task.kind];
  if (kind === undefined) {
    const known = Object.keys(kinds).join(', ');
    throw RequestValidationError.field('kind', `unknown task kind '${task.kind}'; one of: ${known}`);
  }
  const parsed = kind.input.safeParse(task.input);
  if (!parsed.success) {
    throw new RequestValidationError(zodIssuesToFieldErrors(parsed.error.issues, 'body', ['input']));
  }
  return {
    id: context.id,
    kind: task.kind,
    owner: task.owner,
    traceId: task.traceId,
    input: task.input,
    priority: task.priority ?? context.defaults.priority ?? 50,
    maxAttempts: task.maxAttempts ?? context.defaults.maxAttempts,
    timeoutMs: task.timeoutMs ?? context.defaults.timeoutMs,
    now: context.now,
  };
}
