type Schema = Record<string, unknown>;

function allowsNull(schema: Schema | undefined): boolean {
  if (schema === undefined) return true;
  const type = schema['type'];
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  const options = (schema['anyOf'] ?? schema['oneOf']) as Schema[] | undefined;
  return Array.isArray(options) && options.some(allowsNull);
}

/**
 * OpenAI's strict mode makes optional properties required-but-nullable; a model then sends
 * `null` where the Zod schema wants the key absent. This removes those nulls (only where the
 * original schema marks the property optional and does not itself allow null) before Zod
 * validates.
 *
 * @example
 * dropOptionalNulls({ a: 1, b: null }, { type: 'object', properties: { a: {}, b: { type: 'string' } }, required: ['a'] })
 * // { a: 1 }
 */
export function dropOptionalNulls(value: unknown, schema: Schema | undefined): unknown {
  if (schema === undefined || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = schema['items'] as Schema | undefined;
    return items === undefined ? value : value.map((item) => dropOptionalNulls(item, items));
  }
  const properties = schema['properties'] as Record<string, Schema> | undefined;
  if (properties === undefined) return value;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const property = properties[key];
    if (item === null && !required.has(key) && !allowsNull(property)) continue;
    result[key] = dropOptionalNulls(item, property);
  }
  return result;
}
