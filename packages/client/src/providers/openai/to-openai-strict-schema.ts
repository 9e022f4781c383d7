type Schema = Record<string, unknown>;

const UNSUPPORTED = ['allOf', 'not', 'if', 'then', 'else', 'patternProperties', 'dependentSchemas'];

function isObjectSchema(node: Schema): boolean {
  return node['type'] === 'object' || (node['properties'] !== undefined && node['type'] === undefined);
}

function nullable(node: Schema): Schema {
  const type = node['type'];
  if (typeof type === 'string') {
    if (type === 'null') return node;
    const result: Schema = { ...node, type: [type, 'null'] };
    if (Array.isArray(node['enum']) && !node['enum'].includes(null)) result['enum'] = [...node['enum'], null];
    return result;
  }
  if (Array.isArray(type)) {
    if (type.includes('null')) return node;
    const result: Schema = { ...node, type: [...type, 'null'] };
    if (Array.isArray(node['enum']) && !node['enum'].includes(null)) result['enum'] = [...node['enum'], null];
    return result;
  }
  if (Array.isArray(node['anyOf'])) {
    const options = node['anyOf'] as Schema[];
    return options.some((option) => option['type'] === 'null')
      ? node
      : { ...node, anyOf: [...options, { type: 'null' }] };
  }
  return { anyOf: [node, { type: 'null' }] };
}

function strictify(node: unknown): Schema | null {
  if (node === true || node === undefined) return null;
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return null;
  const source = node as Schema;
  if (UNSUPPORTED.some((keyword) => keyword in source)) return null;
  const { $schema: _schema, default: _default, propertyNames: _names, oneOf, ...rest } = source;
  const result: Schema = { ...rest };
  if (oneOf !== undefined) result['anyOf'] = oneOf;

  if (isObjectSchema(source)) {
    const additional = source['additionalProperties'];
    if (additional !== undefined && additional !== false) return null; // records: no strict form
    const properties = (source['properties'] ?? {}) as Record<string, unknown>;
    const required = new Set((source['required'] as string[] | undefined) ?? []);
    const converted: Record<string, Schema> = {};
    for (const [key, child] of Object.entries(properties)) {
      const strict = strictify(child);
      if (strict === null) return null;
      converted[key] = required.has(key) ? strict : nullable(strict);
    }
    result['properties'] = converted;
    result['required'] = Object.keys(converted);
    result['additionalProperties'] = false;
  }
  if (source['items'] !== undefined) {
    const items = strictify(source['items']);
    if (items === null) return null;
    result['items'] = items;
  }
  if (Array.isArray(result['anyOf'])) {
    const options = (result['anyOf'] as unknown[]).map(strictify);
    if (options.some((option) => option === null)) return null;
    result['anyOf'] = options;
  }
  for (const key of ['$defs', 'definitions'] as const) {
    if (source[key] === undefined) continue;
    const definitions: Record<string, Schema> = {};
    for (const [name, child] of Object.entries(source[key] as Record<string, unknown>)) {
      const strict = strictify(child);
      if (strict === null) return null;
      definitions[name] = strict;
    }
    result[key] = definitions;
  }
  return result;
}

/**
 * Rewrites a JSON Schema into OpenAI's strict structured-output subset: every object closed
 * (`additionalProperties: false`) with all properties required, optional ones made nullable (the
 * structured layer drops those nulls again before Zod sees them). Returns `null` when the schema
 * has no strict form (records, `allOf`, a non-object root): the caller then sends it non-strict.
 *
 * @example
 * toOpenAIStrictSchema({ type: 'object', properties: { a: { type: 'string' } } })
 * // { type: 'object', properties: { a: { type: ['string', 'null'] } }, required: ['a'], additionalProperties: false }
 */
export function toOpenAIStrictSchema(schema: Schema): Schema | null {
  if (!isObjectSchema(schema)) return null;
  return strictify(schema);
}
