import type { PromptTemplate, TemplateVariable } from './parse-template.ts';

/** One line of `registry.list()`. */
export type TemplateSummary = {
  name: string;
  version: string;
  description?: string;
  model?: string;
  variables: Array<Pick<TemplateVariable, 'name' | 'description' | 'default' | 'required'>>;
  file: string;
  hash: string;
  gitCommit?: string;
  dirty?: boolean;
};

/**
 * The listing of a template: identity, description, model and variables (with descriptions and
 * defaults), leaving out what is unknown.
 *
 * @example
 * registry.list(); // each entry is summarizeTemplate(registry.get(name))
 */
export function summarizeTemplate(template: PromptTemplate): TemplateSummary {
  return {
    name: template.name,
    version: template.version,
    ...(template.description === undefined ? {} : { description: template.description }),
    ...(template.model === undefined ? {} : { model: template.model }),
    variables: template.variables.map(({ declared: _declared, used: _used, ...variable }) => variable),
    file: template.file,
    hash: template.hash,
    ...(template.gitCommit === undefined ? {} : { gitCommit: template.gitCommit }),
    ...(template.dirty === true ? { dirty: true } : {}),
  };
}
