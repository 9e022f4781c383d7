import { sql } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * Drops `call_log_template`: it cost more per written row than any other index and served a
 * filter that the `created_at` index serves as well as it serves `model`. And rebuilds
 * `call_log_errors` as `(created_at, id)`: on `created_at` alone it could not give a page its
 * `(created_at, id)` order, so SQLite listed errors by walking every row newest first and only
 * aggregates used it; now `status: 'error'` pages read error rows only.
 *
 * Why each remaining index pays for itself, against the queries `store.calls` runs:
 * - the primary key on `id`: `get(attemptId)`, retention's `delete … where id in (…)`, and the
 *   writer's `on conflict (id) do nothing` (a re-sent record is harmless only with it).
 * - `(created_at, id)`: every list and export page (newest first, keyset cursor), `since`/`until`,
 *   retention's `created_at < ?`, and filters without an index of their own (user, model,
 *   provider, template, tag, search), which walk it newest first.
 * - `(call_id, attempt)`: `get(callId)` and the `callId` filter, the way calls are looked up
 *   (results carry `callId`). A call's attempts can start minutes apart, so a time window
 *   derived from the UUIDv7 could not replace it; and `call_id` is not always `trace_id`.
 * - `trace_id`: `/v1/traces/:id` and `--trace` carry no time bound, and trace ids may come from
 *   the caller (not UUIDv7), so the time index cannot narrow them.
 * - partial `task_id`, `eval_run_id`, and `(created_at, id) where status = 'error'`: they cost only the
 *   rows that have a task, an eval run or an error, and they find those few rows (a task's calls,
 *   an eval run's calls, recent errors) without walking the whole log.
 *
 * Measured (bench/store-writes.ts and a single-thread INSERT loop, 100,000 bench rows, 256 per
 * statement): the template index cost ~1.2–2 µs per row, more than `trace_id` (~0.6–1 µs; three
 * templates interleave, so every batch dirties three leaf pages of it where a time-ordered key
 * dirties one); the partial indexes cost nothing measurable on rows without their column.
 * Filtering by template now walks `created_at` newest first like `model`: bound it with `since`
 * on a large log, or add the index back in a deployment's own migration.
 */
export const callLogIndexesMigration: StoreMigration = {
  name: '0007_call_log_indexes',
  async up(db) {
    await db.schema.dropIndex('call_log_template').execute();
    await db.schema.dropIndex('call_log_errors').execute();
    // Partial: `status = 'error'` must be written as a literal in queries for it to be used.
    await db.schema
      .createIndex('call_log_errors')
      .on('call_log')
      .columns(['created_at', 'id'])
      .where(sql<boolean>`status = 'error'`)
      .execute();
  },
  async down(db) {
    await db.schema.dropIndex('call_log_errors').execute();
    await db.schema
      .createIndex('call_log_errors')
      .on('call_log')
      .column('created_at')
      .where(sql<boolean>`status = 'error'`)
      .execute();
    await db.schema
      .createIndex('call_log_template')
      .on('call_log')
      .columns(['template_name', 'created_at'])
      .where('template_name', 'is not', null)
      .execute();
  },
};
