import { z } from 'zod';
import { checkPromptSource, requestOptionsShape } from './generate-request.ts';
import { GenerateResponseSchema } from './generate-response.ts';

/**
 * `POST /v1/structured`: a generate request plus the JSON Schema the answer must satisfy; the
 * client re-asks with the exact validation issues until it does (or `maxRetries` run out).
 *
 * @example
 * { "prompt": "Extract the person: Ada, 36", "schema": { "type": "object",
 *   "properties": { "name": { "type": "string" }, "age": { "type": "integer" } }, "required": ["name", "age"] } }
 */
export const StructuredBodySchema = z
  .strictObject({
    ...requestOptionsShape,
    schema: z.record(z.string(), z.unknown()).describe('JSON Schema (draft 2020-12) of the answer'),
    schemaName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
    maxRetries: z.int().min(0).max(5).optional(),
    mode: z.enum(['auto', 'native', 'tool']).optional(),
  })
  .superRefine(checkPromptSource)
  .meta({ id: 'StructuredRequest' });
export type StructuredBody = z.infer<typeof StructuredBodySchema>;

export const StructuredResponseSchema = GenerateResponseSchema.omit({ toolCalls: true })
  .extend({ value: z.unknown().describe('the validated object') })
  .meta({ id: 'StructuredResponse' });
export type StructuredResponse = z.infer<typeof StructuredResponseSchema>;
