import type { FieldError } from './problem.ts';

type Location = FieldError['in'];
type IssueLike = { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] };

function toField(path: readonly PropertyKey[]): { field: string; pointer: string } {
  const parts = path.map((part) => String(part));
  return {
    field: parts.length === 0 ? '(root)' : parts.join('.'),
    pointer: `#/${parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`,
  };
}

/**
 * Zod issues → one `FieldError` per bad field. An unknown key becomes its own entry named after
 * the key, so the caller sees `body.tempreature: unknown field`, not an error on the parent.
 *
 * @example
 * const parsed = TaskInputSchema.safeParse(input);
 * if (!parsed.success) throw new RequestValidationError(zodIssuesToFieldErrors(parsed.error.issues, 'body', ['input']));
 */
export function zodIssuesToFieldErrors(
  issues: readonly IssueLike[],
  location: Location,
  prefix: readonly PropertyKey[] = [],
): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys !== undefined && issue.keys.length > 0) {
      for (const key of issue.keys) {
        errors.push({ in: location, ...toField([...prefix, ...issue.path, key]), detail: 'unknown field' });
      }
      continue;
    }
    errors.push({ in: location, ...toField([...prefix, ...issue.path]), detail: issue.message });
  }
  return errors;
}

/**
 * Fastify's validation entries (from fastify-type-provider-zod: `instancePath` `/a/0/b`,
 * `keyword` = Zod issue code, `params` = the rest of the issue) → field errors.
 */
export function fastifyValidationToFieldErrors(
  validation: ReadonlyArray<{ instancePath?: string; message?: string; keyword?: string; params?: unknown }>,
  location: string | undefined,
): FieldError[] {
  const where: Location =
    location === 'querystring' || location === 'params' || location === 'headers' ? location : 'body';
  return zodIssuesToFieldErrors(
    validation.map((entry) => {
      const path = (entry.instancePath ?? '')
        .split('/')
        .slice(1)
        .filter((part) => part !== '')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
      const params = (entry.params ?? {}) as { keys?: string[] };
      return { path, message: entry.message ?? 'invalid', code: entry.keyword, keys: params.keys };
    }),
    where,
  );
}
