import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toOpenAIStrictSchema } from './to-openai-strict-schema.ts';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;

describe('toOpenAIStrictSchema', () => {
  it('closes objects, requires every property and makes optional ones nullable', () => {
    const strict = toOpenAIStrictSchema(
      jsonSchema(
        z.object({
          name: z.string(),
          level: z.enum(['low', 'high']).optional(),
          nested: z.object({ flag: z.boolean().optional() }),
          list: z.array(z.object({ n: z.number() })),
        }),
      ),
    );
    expect(strict).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        level: { type: ['string', 'null'], enum: ['low', 'high', null] },
        nested: {
          type: 'object',
          properties: { flag: { type: ['boolean', 'null'] } },
          required: ['flag'],
          additionalProperties: false,
        },
        list: {
          type: 'array',
          items: {
            type: 'object',
            properties: { n: { type: 'number' } },
            required: ['n'],
            additionalProperties: false,
          },
        },
      },
      required: ['name', 'level', 'nested', 'list'],
      additionalProperties: false,
    });
  });

  it('gives up (non-strict) on records and non-object roots', () => {
    expect(
      toOpenAIStrictSchema(jsonSchema(z.object({ scores: z.record(z.string(), z.number()) }))),
    ).toBeNull();
    expect(toOpenAIStrictSchema(jsonSchema(z.array(z.string())))).toBeNull();
  });
});
