import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonSchemaValue } from './json-schema-value.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

function expectValid(schema: object, seed = 1) {
  const value = jsonSchemaValue(schema, { seed });
  const validate = validator().compile(schema);
  expect(validate(value), JSON.stringify({ value, errors: validate.errors })).toBe(true);
  return value;
}

const Order = z.object({
  customerName: z.string(),
  age: z.number().int().positive(),
  email: z.string().email(),
  website: z.string().url(),
  tags: z.array(z.string()).min(1),
  status: z.enum(['open', 'closed']),
  previous: z.enum(['open', 'closed']).nullable(),
  shipping: z.object({
    when: z.string().datetime(),
    id: z.string().uuid(),
    code: z.string().regex(/^[A-Z]{3}-\d{4}$/),
  }),
  discount: z.number().nullable(),
  score: z.number().min(0).max(1),
  lines: z
    .array(z.object({ sku: z.string(), quantity: z.number().int().min(1).max(10) }))
    .min(2)
    .max(3),
});

describe('jsonSchemaValue', () => {
  it('satisfies the strict schema that openai zodResponseFormat sends, and the zod schema itself', () => {
    const format = zodResponseFormat(Order, 'order');
    const value = expectValid(format.json_schema.schema as object);
    expect(Order.safeParse(value).success).toBe(true);
  });

  it('satisfies zodOutputFormat schemas, whose $defs/$ref and constraints moved into descriptions', () => {
    const schema = zodOutputFormat(
      Order.extend({ note: z.string().optional(), many: z.array(z.number()).min(3) }),
    ).schema;
    expect(JSON.stringify(schema)).toContain('$ref');
    const value = jsonSchemaValue(schema, { seed: 7 });
    const parsed = Order.extend({ many: z.array(z.number()).min(3) }).safeParse(value);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('produces positive numbers, non-empty arrays and strings that look like their names', () => {
    const value = jsonSchemaValue({
      type: 'object',
      properties: {
        city: { type: 'string' },
        count: { type: 'integer' },
        items: { type: 'array', items: { type: 'number' } },
      },
    }) as { city: string; count: number; items: number[] };
    expect(value.city).toBe('example city');
    expect(value.count).toBeGreaterThan(0);
    expect(value.items.length).toBeGreaterThan(0);
    expect(value.items.every((item) => item > 0)).toBe(true);
  });

  it('handles const, anyOf, oneOf, allOf, type arrays, additionalProperties and bounds', () => {
    expectValid({
      type: 'object',
      additionalProperties: false,
      required: [
        'kind',
        'either',
        'one',
        'both',
        'maybe',
        'map',
        'bounded',
        'even',
        'short',
        'unique',
        'tuple',
      ],
      properties: {
        kind: { const: 'invoice' },
        either: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 5, maximum: 6 }] },
        one: {
          oneOf: [
            { type: 'string', enum: ['a'] },
            { type: 'number', exclusiveMinimum: 100 },
          ],
        },
        both: {
          allOf: [
            { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
            { properties: { b: { type: 'boolean' } }, required: ['b'] },
          ],
        },
        maybe: { type: ['null', 'string'], minLength: 12 },
        map: { type: 'object', additionalProperties: { type: 'integer', maximum: -3 } },
        bounded: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.5 },
        even: { type: 'integer', multipleOf: 7, minimum: 50 },
        short: { type: 'string', maxLength: 3 },
        unique: { type: 'array', items: { enum: ['x', 'y', 'z'] }, minItems: 3, uniqueItems: true },
        tuple: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], minItems: 2 },
      },
    });
  });

  it('terminates on recursive schemas', () => {
    const tree = {
      $defs: {
        node: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/node' } },
          },
          required: ['name', 'children'],
        },
      },
      $ref: '#/$defs/node',
    };
    expectValid(tree);
    expectValid({
      type: 'object',
      properties: { next: { $ref: '#' }, value: { type: 'integer' } },
      required: ['value'],
    });
  });

  it('is deterministic for a seed and varies across seeds', () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'number' }, id: { type: 'string', format: 'uuid' } },
    };
    expect(jsonSchemaValue(schema, { seed: 3 })).toEqual(jsonSchemaValue(schema, { seed: 3 }));
    expect(jsonSchemaValue(schema, { seed: 3 })).not.toEqual(jsonSchemaValue(schema, { seed: 4 }));
  });

  it('is valid across many seeds', () => {
    const format = zodResponseFormat(Order, 'order');
    for (let seed = 1; seed < 40; seed++) expectValid(format.json_schema.schema as object, seed);
  });
});
