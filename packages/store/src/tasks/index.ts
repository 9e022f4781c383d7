export { cancelTask } from './cancel-task.ts';
export { type ClaimOptions, claimNextTask, claimTasks, startTask } from './claim-task.ts';
export { countTasks } from './count-tasks.ts';
export { deleteFinishedTasks } from './delete-finished-tasks.ts';
export { getTask } from './get-task.ts';
export { insertTask, type NewTask } from './insert-task.ts';
export { listTasks, TaskCursorError, type TaskFilter, type TaskPage } from './list-tasks.ts';
export { type FinishTask, finishTask, requeueTask, updateTaskProgress } from './settle-task.ts';
export { recoverExpiredTasks, renewTaskLeases } from './task-leases.ts';
export { createTaskQueries, type TaskQueries } from './task-queries.ts';
export {
  FINAL_TASK_STATUSES,
  type TaskFailure,
  type TaskRecord,
  type TaskStatus,
  type TasksDatabase,
  type TasksTable,
} from './task-record.ts';
