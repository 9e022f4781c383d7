import type { HeldCallLine } from './call-line-join.ts';

// Request fields the server's hooks set; declared once for every route.
declare module 'fastify' {
  interface FastifyRequest {
    /** The key owner this request acts for (`local` when the server runs without keys). */
    owner: string;
    /** The LLM call line held for this request's own line (see `createCallLineJoin`). */
    callLine: HeldCallLine | undefined;
  }
}
