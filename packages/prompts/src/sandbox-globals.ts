import { TemplateRenderError } from './errors.ts';

/** The most items `range()` builds: a prompt never needs more, and a typo should not eat memory. */
export const RANGE_LIMIT = 10_000;

/**
 * The only globals a sandboxed template sees, Jinja's familiar three, written afresh so they
 * carry nothing but their own behaviour: `range(start?, stop, step?)`, `cycler(...items)` and
 * `joiner(separator?)`. Nunjucks' defaults are dropped.
 *
 * @example
 * {% for i in range(3) %}{{ i }}{% endfor %}  →  012
 */
export function createSandboxGlobals(): Record<string, unknown> {
  const globals: Record<string, unknown> = Object.create(null);
  globals['range'] = range;
  globals['cycler'] = cycler;
  globals['joiner'] = joiner;
  return globals;
}

function range(start: unknown, stop?: unknown, step?: unknown): number[] {
  const [from, to, by] =
    stop === undefined ? [0, Number(start), 1] : [Number(start), Number(stop), Number(step ?? 1)];
  if (![from, to, by].every(Number.isFinite) || by === 0) {
    throw new TemplateRenderError('range() takes finite numbers and a non-zero step');
  }
  const count = Math.max(0, Math.ceil((to - from) / by));
  if (count > RANGE_LIMIT) throw new TemplateRenderError(`range() is limited to ${RANGE_LIMIT} items`);
  return Array.from({ length: count }, (_, index) => from + index * by);
}

function cycler(...items: unknown[]) {
  let index = -1;
  const state = {
    current: null as unknown,
    next() {
      index = (index + 1) % Math.max(items.length, 1);
      state.current = items[index];
      return state.current;
    },
    reset() {
      index = -1;
      state.current = null;
    },
  };
  return state;
}

function joiner(separator: unknown = ','): () => string {
  let first = true;
  return () => {
    const text = first ? '' : String(separator);
    first = false;
    return text;
  };
}
