import { TemplateSandboxError } from './errors.ts';
import { FORBIDDEN_MEMBERS } from './sandbox-policy.ts';

type Filter = (this: unknown, ...args: unknown[]) => unknown;

/** Built-in filters that read an attribute named by a string argument (`join(", ", "name")`). */
const ATTRIBUTE_FILTERS: ReadonlySet<string> = new Set([
  'groupby',
  'join',
  'rejectattr',
  'selectattr',
  'sort',
  'sum',
]);

/**
 * Nunjucks' built-in filters, copied into an object without a prototype, with the filters that
 * look up attributes by name refusing forbidden names (`constructor`, `__proto__`, …) and
 * function arguments. Filter names resolve only to own entries, so `| constructor` is unknown.
 *
 * @example
 * const filters = createSandboxFilters(env.filters);
 */
export function createSandboxFilters(builtins: Record<string, unknown>): Record<string, Filter> {
  const filters: Record<string, Filter> = Object.create(null);
  for (const [name, filter] of Object.entries(builtins)) {
    if (typeof filter !== 'function') continue;
    filters[name] = ATTRIBUTE_FILTERS.has(name)
      ? guardAttributes(name, filter as Filter)
      : (filter as Filter);
  }
  return filters;
}

function guardAttributes(name: string, filter: Filter): Filter {
  return function guarded(this: unknown, ...args: unknown[]) {
    for (const argument of args.slice(1)) assertSafeAttribute(name, argument);
    return filter.apply(this, args);
  };
}

function assertSafeAttribute(filter: string, argument: unknown): void {
  if (typeof argument === 'function') {
    throw new TemplateSandboxError(`the '${filter}' filter does not take a function`);
  }
  if (typeof argument === 'string' && argument.split('.').some((part) => FORBIDDEN_MEMBERS.has(part))) {
    throw new TemplateSandboxError(`the '${filter}' filter cannot read '${argument}'`);
  }
  if (typeof argument === 'object' && argument !== null && Object.hasOwn(argument, '__keywords')) {
    for (const value of Object.values(argument)) assertSafeAttribute(filter, value);
  }
}
