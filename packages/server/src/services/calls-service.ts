import type { CallDetail, CallFilter, CallLogEntry, CallPage, Store, TaskRecord } from '@reins/store';
import type { TaskQueue } from '../queue/task-queue.ts';
import { ownerTag } from './owner-tag.ts';

const TRACE_LIMIT = 5_000;

/**
 * The call log as one key owner sees it: every read is scoped to calls tagged with the owner.
 * Reads flush the store's batched writer first, so a call made a moment ago is visible.
 *
 * @example
 * const calls = createCallsService({ store, queue });
 * const page = await calls.list('alice', { since: '1h', model: 'openai/gpt-5.6-luna' });
 */
export function createCallsService(options: { store: Store; queue: TaskQueue }) {
  const { store, queue } = options;
  const flush = () => store.flush().catch(() => {});

  return {
    async list(owner: string, filter: CallFilter = {}): Promise<CallPage> {
      await flush();
      const { tag, ...rest } = filter;
      const page = await store.calls.list({ ...rest, tag: ownerTag(owner) });
      // The store filters on one tag; a caller's own tag filter is applied to the owner's page.
      return tag === undefined
        ? page
        : { ...page, items: page.items.filter((entry) => entry.tags.includes(tag)) };
    },

    async get(owner: string, id: string): Promise<CallDetail | null> {
      await flush();
      const detail = await store.calls.get(id);
      if (detail === null || !detail.tags.includes(ownerTag(owner))) return null;
      return {
        ...detail,
        attempts: detail.attempts.filter((attempt) => attempt.tags.includes(ownerTag(owner))),
      };
    },

    /** Every call and task of a trace, oldest first. */
    async trace(owner: string, traceId: string): Promise<{ calls: CallLogEntry[]; tasks: TaskRecord[] }> {
      await flush();
      const calls: CallLogEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.calls.list({
          traceId,
          tag: ownerTag(owner),
          limit: 1_000,
          ...(cursor ? { cursor } : {}),
        });
        calls.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined && calls.length < TRACE_LIMIT);
      const tasks = await queue.list({ owner, traceId, limit: 1_000 });
      return { calls: calls.reverse(), tasks: tasks.items.reverse() };
    },

    async aggregate(
      owner: string,
      groupBy: 'day' | 'model' | 'user' | 'template',
      filter: { since?: string; until?: string },
    ) {
      await flush();
      return store.calls.aggregate({ groupBy, ...filter, tag: ownerTag(owner) });
    },
  };
}

export type CallsService = ReturnType<typeof createCallsService>;
