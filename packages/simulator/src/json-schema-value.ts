import { patternString } from './pattern-string.ts';
import { createRandom, type Random } from './random.ts';
import { sampleString } from './sample-string.ts';

type Schema = Record<string, unknown>;

interface Context {
  root: Schema;
  random: Random;
}

/** Constraints that SDK helpers move from keywords into `description` text, e.g. `{minimum: 0}`. */
const DESCRIBED_KEYWORDS = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minProperties',
]);
const DESCRIBED_PAIR = /(\w+):\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
const MAX_DEPTH = 8;

/**
 * A value that validates against `schema`, shaped like a model's answer: `$ref`/`$defs` resolved,
 * `const`/`enum` honoured, the first non-null branch of `anyOf`/`oneOf`, every property (required
 * and optional), positive numbers inside any bounds, non-empty arrays, and strings that look like
 * their field names or formats. Deterministic for a given `seed`.
 *
 * @example
 * jsonSchemaValue({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
 * // { city: 'example city' }
 */
export function jsonSchemaValue(schema: unknown, options: { seed?: number } = {}): unknown {
  const root = (isSchema(schema) ? schema : {}) as Schema;
  return generate(root, '', { root, random: createRandom(options.seed ?? 1) }, 0);
}

function generate(input: unknown, name: string, context: Context, depth: number): unknown {
  const schema = resolve(input, context.root, 0);
  if (schema === undefined) return sampleString(name, context.random);
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) {
    const choices = schema['enum'].filter((value) => value !== null);
    return choices.length > 0 ? context.random.pick(choices) : null;
  }
  if (Array.isArray(schema['allOf'])) return generate(mergeAll(schema, context.root), name, context, depth);
  const branches = (schema['anyOf'] ?? schema['oneOf']) as unknown[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const resolved = branches.map((branch) => resolve(branch, context.root, 0));
    const nonNull = resolved.find((branch) => branch !== undefined && !isNullSchema(branch));
    const chosen =
      depth >= MAX_DEPTH ? (resolved.find((branch) => branch && isNullSchema(branch)) ?? nonNull) : nonNull;
    return chosen ? generate({ ...withoutBranches(schema), ...chosen }, name, context, depth) : null;
  }
  switch (typeOf(schema)) {
    case 'null':
      return null;
    case 'boolean':
      return true;
    case 'integer':
      return numberValue(schema, name, true, context.random);
    case 'number':
      return numberValue(schema, name, false, context.random);
    case 'array':
      return arrayValue(schema, name, context, depth);
    case 'object':
      return objectValue(schema, context, depth);
    default:
      return stringValue(schema, name, context.random);
  }
}

function resolve(input: unknown, root: Schema, hops: number): Schema | undefined {
  if (input === true || input === undefined) return {};
  if (!isSchema(input)) return undefined;
  let schema = input;
  const reference = schema['$ref'];
  if (typeof reference === 'string' && hops < 32) {
    const { $ref: _reference, ...siblings } = schema;
    const target = resolve(lookup(root, reference), root, hops + 1) ?? {};
    schema = { ...target, ...siblings };
  }
  return withDescribedConstraints(schema);
}

function lookup(root: Schema, reference: string): unknown {
  if (reference === '#') return root;
  if (!reference.startsWith('#/')) return {};
  let node: unknown = root;
  for (const raw of reference.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return node ?? {};
}

function withDescribedConstraints(schema: Schema): Schema {
  const description = schema['description'];
  if (typeof description !== 'string' || !description.includes(':')) return schema;
  let extended: Schema | undefined;
  for (const [, key, raw] of description.matchAll(DESCRIBED_PAIR)) {
    if (key === undefined || raw === undefined || !DESCRIBED_KEYWORDS.has(key) || key in schema) continue;
    extended ??= { ...schema };
    try {
      extended[key] = JSON.parse(raw);
    } catch {
      // A description that merely looks like a constraint: leave it.
    }
  }
  return extended ?? schema;
}

function mergeAll(schema: Schema, root: Schema): Schema {
  const { allOf, ...rest } = schema;
  let merged: Schema = rest;
  for (const part of allOf as unknown[]) {
    const resolved = resolve(part, root, 0) ?? {};
    merged = {
      ...merged,
      ...resolved,
      properties: { ...(merged['properties'] as Schema), ...(resolved['properties'] as Schema) },
      required: [...((merged['required'] as string[]) ?? []), ...((resolved['required'] as string[]) ?? [])],
    };
  }
  return merged;
}

function withoutBranches(schema: Schema): Schema {
  const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
  return rest;
}

function isNullSchema(schema: Schema): boolean {
  return (
    schema['type'] === 'null' || (Array.isArray(schema['enum']) && schema['enum'].every((v) => v === null))
  );
}

function typeOf(schema: Schema): string {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type.find((entry) => entry !== 'null') ?? 'null') as string;
  if (schema['properties'] || schema['additionalProperties'] || schema['required']) return 'object';
  if (schema['items'] || schema['prefixItems']) return 'array';
  if (typeof schema['minimum'] === 'number' || typeof schema['maximum'] === 'number') return 'number';
  return 'string';
}

function objectValue(schema: Schema, context: Context, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const properties = (isSchema(schema['properties']) ? schema['properties'] : {}) as Schema;
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  for (const [key, propertySchema] of Object.entries(properties)) {
    if (depth >= MAX_DEPTH && !required.has(key)) continue;
    result[key] = generate(propertySchema, key, context, depth + 1);
  }
  const additional = schema['additionalProperties'];
  for (const key of required) {
    if (!(key in result))
      result[key] = generate(isSchema(additional) ? additional : {}, key, context, depth + 1);
  }
  const minimum = typeof schema['minProperties'] === 'number' ? schema['minProperties'] : 0;
  if (additional !== false) {
    for (
      let index = 1;
      Object.keys(result).length <
      Math.max(minimum, Object.keys(properties).length === 0 && isSchema(additional) ? 1 : 0);
      index++
    ) {
      result[`key_${index}`] = generate(isSchema(additional) ? additional : {}, 'value', context, depth + 1);
    }
  }
  return result;
}

function arrayValue(schema: Schema, name: string, context: Context, depth: number): unknown[] {
  const tuple = (
    Array.isArray(schema['prefixItems'])
      ? schema['prefixItems']
      : Array.isArray(schema['items'])
        ? schema['items']
        : []
  ) as unknown[];
  const items = Array.isArray(schema['items']) ? schema['additionalItems'] : schema['items'];
  const minimum = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
  const maximum = typeof schema['maxItems'] === 'number' ? schema['maxItems'] : Number.POSITIVE_INFINITY;
  const preferred = depth >= MAX_DEPTH ? minimum : Math.max(minimum, tuple.length, 2);
  const count = Math.min(preferred, maximum);
  const itemName = singular(name);
  const values: unknown[] = [];
  const seen = new Set<string>();
  for (let index = 0, attempts = 0; values.length < count && attempts < count * 4 + 4; attempts++) {
    const itemSchema = index < tuple.length ? tuple[index] : items === false ? undefined : items;
    const value = generate(itemSchema, itemName, context, depth + 1);
    if (schema['uniqueItems'] === true) {
      const key = JSON.stringify(value);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    values.push(value);
    index++;
  }
  return values;
}

function numberValue(schema: Schema, name: string, integer: boolean, random: Random): number {
  let low = Number.NEGATIVE_INFINITY;
  let high = Number.POSITIVE_INFINITY;
  const step = integer ? 1 : 0.01;
  if (typeof schema['minimum'] === 'number') low = schema['minimum'];
  if (typeof schema['exclusiveMinimum'] === 'number') low = Math.max(low, schema['exclusiveMinimum'] + step);
  else if (schema['exclusiveMinimum'] === true && Number.isFinite(low)) low += step;
  if (typeof schema['maximum'] === 'number') high = schema['maximum'];
  if (typeof schema['exclusiveMaximum'] === 'number')
    high = Math.min(high, schema['exclusiveMaximum'] - step);
  else if (schema['exclusiveMaximum'] === true && Number.isFinite(high)) high -= step;
  if (integer) {
    low = Math.ceil(low);
    high = Math.floor(high);
  }
  let value = typicalNumber(name, integer, random);
  if (Number.isFinite(low) && Number.isFinite(high) && high - low <= 1000) value = low + (high - low) / 2;
  value = Math.min(Math.max(value, low), high);
  if (integer) value = Math.min(Math.max(Math.round(value), low), high);
  else value = Math.round(value * 100) / 100;
  const multiple = schema['multipleOf'];
  if (typeof multiple === 'number' && multiple > 0) {
    const candidate = Math.ceil(value / multiple) * multiple;
    value = candidate <= high ? candidate : Math.floor(value / multiple) * multiple;
    value = Number(value.toPrecision(12));
  }
  return value;
}

function typicalNumber(name: string, integer: boolean, random: Random): number {
  const key = name.toLowerCase();
  if (key.includes('year')) return 2025;
  if (key.includes('month')) return 6;
  if (key === 'day' || key.endsWith('day')) return 15;
  if (key.includes('age')) return 34;
  if (key.includes('lat')) return integer ? 48 : 48.85;
  if (key.includes('lon') || key.includes('lng')) return integer ? 2 : 2.35;
  if (key.includes('percent')) return 50;
  if (key.includes('rating')) return 4;
  if (key.includes('price') || key.includes('cost') || key.includes('amount')) return integer ? 20 : 19.99;
  const base = 1 + random.int(99);
  return integer ? base : base + random.int(100) / 100;
}

function stringValue(schema: Schema, name: string, random: Random): string {
  const format = typeof schema['format'] === 'string' ? schema['format'] : undefined;
  let value = sampleString(name, random, format);
  const pattern = typeof schema['pattern'] === 'string' ? schema['pattern'] : undefined;
  if (pattern !== undefined && !safeTest(pattern, value)) value = patternString(pattern) ?? value;
  const minimum = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const maximum = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Number.POSITIVE_INFINITY;
  if (value.length < minimum) value = value + 'x'.repeat(minimum - value.length);
  if (value.length > maximum) value = value.slice(0, maximum);
  return value;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true;
  }
}

function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name.endsWith('s') && !name.endsWith('ss')) return name.slice(0, -1);
  return name || 'item';
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
