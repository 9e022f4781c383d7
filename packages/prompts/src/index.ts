export { type BoundVariables, bindVariables } from './bind-variables.ts';
export {
  createPromptRegistry,
  type PromptRegistry,
  type PromptRegistryOptions,
  type TemplateDiff,
} from './create-prompt-registry.ts';
export {
  PromptError,
  type PromptErrorOptions,
  TemplateNotFoundError,
  TemplateRenderError,
  TemplateSandboxError,
  TemplateSyntaxError,
  TemplateVariablesError,
} from './errors.ts';
export { findTemplateVariables, type UsedVariable } from './find-template-variables.ts';
export {
  type FrontMatter,
  FrontMatterSchema,
  parseFrontMatter,
  type TemplateFileParts,
} from './front-matter.ts';
export { createGitInspector, type GitFileState, type GitInspector } from './git-inspector.ts';
export {
  type ParsedTemplate,
  type PromptTemplate,
  parseTemplate,
  type TemplateParams,
  type TemplateVariable,
} from './parse-template.ts';
export { type RenderedPrompt, type RenderOptions, renderPrompt } from './render-prompt.ts';
export { type PromptMessage, ROLE_TAGS } from './role-blocks.ts';
export { createSandboxedEnvironment, type SandboxedEnvironment } from './sandboxed-environment.ts';
export { compareSemver, SEMVER } from './semver.ts';
export { summarizeTemplate, type TemplateSummary } from './summarize-template.ts';
export { parseTemplateRef } from './template-files.ts';
export type { TemplateVersionInfo } from './template-history.ts';
export { hashTemplate, type TemplateVersion, UNVERSIONED } from './template-version.ts';
export { unifiedDiff } from './unified-diff.ts';
