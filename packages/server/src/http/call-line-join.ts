import type { LoggerLike } from '@reins/client';

type Line = Record<string, unknown>;

/** One request's claim on the call line of its trace. */
export type HeldCallLine = {
  /** The held `llm.call` line, for the request line; later `take`s and the close get nothing. */
  take(): Line | undefined;
  /** The request's calls settled: later lines of the trace are written as they come. */
  release(): void;
};

/**
 * Joins the client's `llm.call` line of a request into the request's own line, so a request
 * that makes one successful LLM call is one log line. The client logs through `logger`; while
 * a request holds its trace id, the first successful `llm.call` line of that trace is kept for
 * the request line (`RequestLogController`) instead of written. Everything else passes
 * straight through: failures (`warn`), attempt lines, other traces, task calls (`task_id`), a
 * second call of the same request, and a trace id that two requests in flight share (a
 * caller's `x-trace-id`; streams `share` theirs without holding). A line
 * held for a response that never finished (the caller went away) is written when the
 * response closes, so no call goes unlogged.
 *
 * @example
 * const join = createCallLineJoin(logger);
 * const client = createClient({ logger: join.logger, logAttempts: 'retried' });
 * request.callLine = join.hold(request.id, reply.raw); // in the route; release() once the call settled
 */
export function createCallLineJoin(logger: LoggerLike) {
  // Per trace id in flight: how many requests carry it, and the holder while only one does.
  const held = new Map<string, { requests: number; holder: { line: Line | undefined } | undefined }>();
  return {
    logger: {
      info(fields: object, message?: string) {
        // A task's call (it carries `task_id`) belongs to no request, whatever its trace id.
        if (held.size > 0 && (fields as Line)['event'] === 'llm.call' && !('task_id' in fields)) {
          const holder = held.get((fields as Line)['trace_id'] as string)?.holder;
          if (holder !== undefined && holder.line === undefined) {
            holder.line = fields as Line;
            return;
          }
        }
        logger.info(fields, message);
      },
      warn: (fields: object, message?: string) => logger.warn(fields, message),
      error: (fields: object, message?: string) => logger.error(fields, message),
      debug: (fields: object, message?: string) => logger.debug(fields, message),
    } satisfies LoggerLike,

    /**
     * Marks a request in flight on `traceId` that makes LLM calls but holds no line (a stream):
     * while it runs, no other request of that trace holds one. Returns its release.
     */
    share(traceId: string): () => void {
      const entry = held.get(traceId);
      if (entry === undefined) held.set(traceId, { requests: 1, holder: undefined });
      else {
        entry.requests++;
        entry.holder = undefined;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const current = held.get(traceId);
        if (current !== undefined && --current.requests === 0) held.delete(traceId);
      };
    },

    /**
     * Holds the trace's call line for one request. `response` is the raw response: if it
     * closes without the request line taking the held line, the line is written then.
     */
    hold(traceId: string, response: { once(event: 'close', listener: () => void): unknown }): HeldCallLine {
      const holder: { line: Line | undefined } = { line: undefined };
      let released = false;
      let taken = false;
      const entry = held.get(traceId);
      if (entry === undefined) held.set(traceId, { requests: 1, holder });
      else {
        // Shared by two requests in flight: whose line is whose cannot be told; none is held.
        entry.requests++;
        entry.holder = undefined;
      }
      const release = () => {
        if (released) return;
        released = true;
        const current = held.get(traceId);
        if (current !== undefined && --current.requests === 0) held.delete(traceId);
      };
      response.once('close', () => {
        release();
        if (taken || holder.line === undefined) return;
        taken = true;
        logger.info(holder.line, 'llm call');
      });
      return {
        take() {
          if (taken) return undefined;
          taken = true;
          return holder.line;
        },
        release,
      };
    },
  };
}

export type CallLineJoin = ReturnType<typeof createCallLineJoin>;
