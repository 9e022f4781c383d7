import { z } from 'zod';

/**
 * A Zod schema as the JSON Schema a model sees: input-side (what the model must produce, before
 * defaults and transforms), with no `$schema` marker.
 *
 * @example
 * toJsonSchema(z.object({ city: z.string() })) // { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
 */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _marker, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}
