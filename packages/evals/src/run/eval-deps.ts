import type { LLMClient } from '@reins/client';
import type { PromptRegistry } from '@reins/prompts';
import type { StoreContext } from '@reins/store';

/**
 * What a run uses, passed in so tests can swap any part: the client (its sinks write the call
 * log), the prompt registry, the store, the clock and id generation.
 *
 * @example
 * const deps: EvalDeps = { client, prompts, store: { db: store.db, dialect: store.dialect },
 *   now: () => new Date(), generateId: uuidv7 };
 */
export type EvalDeps = {
  client: Pick<LLMClient, 'generate' | 'estimate' | 'structured'>;
  prompts: Pick<PromptRegistry, 'get' | 'render'>;
  store: StoreContext;
  now: () => Date;
  generateId: () => string;
};
