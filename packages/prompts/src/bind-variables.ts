import { TemplateVariablesError } from './errors.ts';
import type { PromptTemplate } from './parse-template.ts';
import { FORBIDDEN_NAMES } from './sandbox-policy.ts';

/** The variables a render will run with, and what did not match the template. */
export type BoundVariables = {
  /** Supplied values over declared defaults (`undefined` counts as not supplied). */
  values: Record<string, unknown>;
  /** Supplied names the template neither uses nor declares. */
  extra: string[];
};

/**
 * Matches supplied variables against a template: applies declared defaults, and throws ONE
 * {@link TemplateVariablesError} naming every missing required variable (and, with
 * `strictExtra`, every unknown one). Unknown extras are otherwise only reported in `extra`.
 *
 * @example
 * const { values, extra } = bindVariables(template, { document_title: 'NDA' }, { strictExtra: false });
 */
export function bindVariables(
  template: PromptTemplate,
  variables: Record<string, unknown>,
  options: { strictExtra: boolean },
): BoundVariables {
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    throw new TemplateVariablesError(
      `template '${template.name}': variables must be an object of names to values`,
      {
        template: template.name,
        missing: template.variables.filter((variable) => variable.required).map((variable) => variable.name),
      },
    );
  }
  const values: Record<string, unknown> = {};
  for (const variable of template.variables) {
    if (Object.hasOwn(variable, 'default')) values[variable.name] = variable.default;
  }
  const supplied = Object.keys(variables).filter((name) => variables[name] !== undefined);
  for (const name of supplied) {
    // Names templates can never read are not passed on (and `__proto__` would rewrite the object).
    if (!FORBIDDEN_NAMES.has(name)) values[name] = variables[name];
  }
  const known = new Set(template.variables.map((variable) => variable.name));
  const missing = template.variables
    .filter((variable) => variable.required && !Object.hasOwn(values, variable.name))
    .map((variable) => variable.name);
  const extra = supplied.filter((name) => !known.has(name));
  if (missing.length > 0 || (options.strictExtra && extra.length > 0)) {
    const parts = [
      missing.length > 0
        ? `is missing ${plural(missing.length, 'variable')}: ${missing.join(', ')}`
        : undefined,
      extra.length > 0 ? `got unknown ${plural(extra.length, 'variable')}: ${extra.join(', ')}` : undefined,
    ].filter((part) => part !== undefined);
    throw new TemplateVariablesError(`template '${template.name}' ${parts.join('; and ')}`, {
      template: template.name,
      missing,
      extra,
    });
  }
  return { values, extra };
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}
