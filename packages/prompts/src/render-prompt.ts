import { bindVariables } from './bind-variables.ts';
import type { ParsedTemplate, TemplateParams } from './parse-template.ts';
import type { PromptMessage } from './role-blocks.ts';
import type { SandboxedEnvironment } from './sandboxed-environment.ts';
import type { TemplateVersion } from './template-version.ts';

/** Per-render options. */
export type RenderOptions = {
  /** Unknown extra variables throw `TemplateVariablesError` instead of being reported. */
  strictExtra?: boolean;
};

/**
 * What `registry.render` returns: the chat parts plus everything a logged call needs. Spread it
 * into a client request: `{ model, system, messages, ...params, metadata: { template } }`.
 */
export type RenderedPrompt = {
  system?: string;
  messages: PromptMessage[];
  template: TemplateVersion;
  params?: TemplateParams;
  model?: string;
  /** Human-readable notes, one per unknown extra variable. */
  warnings?: string[];
  /** Supplied variable names the template does not know. */
  extra?: string[];
};

/**
 * Renders a parsed template: binds the variables (defaults, missing, extras), renders in the
 * sandbox, and attaches identity, params, model and warnings.
 *
 * @example
 * const rendered = renderPrompt(parsed, sandbox, { name: 'Ada' }, { strictExtra: false });
 */
export function renderPrompt(
  parsed: ParsedTemplate,
  sandbox: SandboxedEnvironment,
  variables: Record<string, unknown>,
  options: { strictExtra: boolean },
): RenderedPrompt {
  const { template, compiled } = parsed;
  const { values, extra } = bindVariables(template, variables, options);
  const rendered: RenderedPrompt = {
    ...sandbox.render(compiled, values),
    template: { ...template.identity },
  };
  if (template.params !== undefined) rendered.params = { ...template.params };
  if (template.model !== undefined) rendered.model = template.model;
  if (extra.length > 0) {
    rendered.extra = extra;
    rendered.warnings = extra.map(
      (name) => `unknown variable '${name}': template '${template.name}' does not use it`,
    );
  }
  return rendered;
}
