import { z } from 'zod';
import { MessageSchema } from './message.ts';

const MODEL = /^[a-z0-9][a-z0-9._-]*\/\S+$/i;

/** The options shared by generate, stream, structured and the task kinds. */
export const requestOptionsShape = {
  model: z
    .string()
    .max(200)
    .regex(MODEL, 'expected provider/model, e.g. openai/gpt-5.6-luna')
    .optional()
    .describe("provider/model; default: the template's model, else REINS_DEFAULT_MODEL"),
  system: z.string().optional(),
  maxTokens: z.int().min(1).max(1_000_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  stop: z.array(z.string().min(1).max(100)).max(4).optional(),
  metadata: z
    .strictObject({
      userId: z.string().min(1).max(200).optional().describe('your end user, for cost per user'),
      tags: z.array(z.string().min(1).max(100)).max(20).optional(),
    })
    .optional(),
  timeout: z
    .strictObject({
      // Below a second no LLM call can answer: such a deadline is a client's mistake (a 400
      // naming the field), not a gateway timeout.
      totalMs: z.int().min(1_000).max(3_600_000).optional(),
      firstTokenMs: z.int().min(1_000).max(3_600_000).optional(),
      idleMs: z.int().min(1_000).max(3_600_000).optional(),
    })
    .optional(),
  cache: z.enum(['auto', 'off']).optional(),
  prompt: z.string().min(1).optional().describe('shorthand for one user message'),
  messages: z.array(MessageSchema).min(1).max(1_000).optional(),
  template: z.string().min(1).max(200).optional().describe('a template name, or name@version'),
  variables: z.record(z.string(), z.unknown()).optional().describe("the template's variables"),
};

type Source = {
  prompt?: unknown;
  messages?: unknown;
  template?: unknown;
  variables?: unknown;
  system?: unknown;
};

/** Exactly one of `prompt`, `messages` or `template`; `variables` only with a template. */
export function checkPromptSource(body: Source, context: z.RefinementCtx): void {
  // The common case, checked without building the lists below: it runs on every request.
  const template = body.template !== undefined;
  if (
    (body.prompt !== undefined ? 1 : 0) + (body.messages !== undefined ? 1 : 0) + (template ? 1 : 0) === 1 &&
    (template ? body.system === undefined : body.variables === undefined)
  ) {
    return;
  }
  const given = (['prompt', 'messages', 'template'] as const).filter((field) => body[field] !== undefined);
  if (given.length === 0) {
    context.addIssue({
      code: 'custom',
      path: ['prompt'],
      message: 'required: send prompt, messages or template',
    });
  }
  for (const field of given.slice(1)) {
    context.addIssue({ code: 'custom', path: [field], message: `send only one of ${given.join(', ')}` });
  }
  if (body.variables !== undefined && body.template === undefined) {
    context.addIssue({ code: 'custom', path: ['variables'], message: 'only used with template' });
  }
  if (body.template !== undefined && body.system !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['system'],
      message: 'the template provides the system prompt',
    });
  }
}

/**
 * `POST /v1/generate` and `/v1/stream`: the client's request shape (a free `prompt` or
 * `messages`), or `template` + `variables` in their place.
 *
 * @example
 * { "model": "openai/gpt-5.6-luna", "prompt": "Say hi" }
 * { "template": "contract_summary", "variables": { "contract_title": "…" } }
 */
export const GenerateBodySchema = z
  .strictObject(requestOptionsShape)
  .superRefine(checkPromptSource)
  .meta({ id: 'GenerateRequest' });
export type GenerateBody = z.infer<typeof GenerateBodySchema>;
