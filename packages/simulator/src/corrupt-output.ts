/**
 * JSON that no parser accepts: the first two thirds of `json` followed by a dangling `,}`.
 * Serves the `bad-json` fault.
 *
 * @example
 * JSON.parse(corruptJson('{"a":1}')); // throws
 */
export function corruptJson(json: string): string {
  return `${json.slice(0, Math.max(1, Math.ceil((json.length * 2) / 3)))},}`;
}

/**
 * Valid JSON that breaks `schema`: the first required property removed, a property of the wrong
 * type, and an extra property where `additionalProperties` is false; a non-object schema gets an
 * array. Serves the `bad-tool-args` fault.
 *
 * @example
 * violateSchema({ type: 'object', properties: { n: { type: 'number' } }, required: ['n'] }, { n: 1 });
 * // {}
 */
export function violateSchema(schema: unknown, value: unknown): unknown {
  const root = (schema ?? {}) as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [value];
  const result: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const required = Array.isArray(root['required']) ? (root['required'] as string[]) : [];
  const properties = (root['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  const names = Object.keys(properties);
  if (required[0] !== undefined) delete result[required[0]];
  const target = names.find((name) => name !== required[0]);
  if (target !== undefined) result[target] = wrongTypeFor(properties[target] ?? {});
  if (root['additionalProperties'] === false || names.length === 0) result['unexpected_field'] = true;
  if (required.length === 0 && names.length === 0) return [result];
  return result;
}

function wrongTypeFor(schema: Record<string, unknown>): unknown {
  const type = Array.isArray(schema['type']) ? schema['type'][0] : schema['type'];
  switch (type) {
    case 'string':
      return 12345;
    case 'number':
    case 'integer':
      return 'not-a-number';
    case 'boolean':
      return 'yes';
    case 'array':
      return 'not-an-array';
    default:
      return Array.isArray(schema['enum']) ? 'not-a-valid-choice' : { unexpected: [1, 2, 3] };
  }
}
