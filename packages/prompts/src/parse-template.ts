import { displayPath } from './display-path.ts';
import { findTemplateVariables } from './find-template-variables.ts';
import { type FrontMatter, parseFrontMatter, type VariableDeclaration } from './front-matter.ts';
import type { GitFileState } from './git-inspector.ts';
import type { CompiledBody, SandboxedEnvironment } from './sandboxed-environment.ts';
import { hashTemplate, type TemplateVersion, templateVersion, UNVERSIONED } from './template-version.ts';

/** A variable of a template: declared in front matter, read by the template, or both. */
export type TemplateVariable = {
  name: string;
  description?: string;
  /** Used when a render does not supply the variable (present only when declared). */
  default?: unknown;
  /** A render without it (and without a default) fails with `TemplateVariablesError`. */
  required: boolean;
  /** Declared under `variables:` in the front matter. */
  declared: boolean;
  /** Read somewhere in the template's syntax tree (or a statically included partial). */
  used: boolean;
};

/** Generation settings a template asks for. */
export type TemplateParams = { temperature?: number; maxTokens?: number };

/** A parsed template file: what `registry.get(name)` returns. */
export type PromptTemplate = {
  name: string;
  /** Absolute path of the file (for a version out of git history: where it lives now). */
  file: string;
  /** The whole file text, front matter included. */
  source: string;
  /** The Nunjucks part, after the front matter. */
  body: string;
  /** 1-based line of `file` on which `body` starts. */
  bodyLine: number;
  frontMatter: FrontMatter;
  version: string;
  hash: string;
  gitCommit?: string;
  dirty?: boolean;
  description?: string;
  model?: string;
  params?: TemplateParams;
  /** Declared ones in declaration order, then the undeclared ones the syntax tree uses, in order of first use. */
  variables: TemplateVariable[];
  /** `{ name, version, hash, gitCommit?, dirty? }`, ready for call metadata. */
  identity: TemplateVersion;
};

/** A template and its compiled body. */
export type ParsedTemplate = { template: PromptTemplate; compiled: CompiledBody };

/**
 * Parses one template file's text: front matter (validated), body (checked and compiled in the
 * sandbox), variables (syntax tree ∪ declarations) and version identity.
 *
 * @example
 * const { template } = parseTemplate({ name: 'hello', file, source, sandbox, git: {} });
 * template.variables; // [{ name: 'name', required: true, declared: false, used: true }]
 */
export function parseTemplate(input: {
  name: string;
  file: string;
  source: string;
  sandbox: SandboxedEnvironment;
  git: GitFileState;
}): ParsedTemplate {
  const { name, file, source, sandbox } = input;
  const { frontMatter, body, bodyLine } = parseFrontMatter(source, file, displayPath(file));
  const compiled = sandbox.compile(body, { file, bodyLine });
  const used = findTemplateVariables(compiled.ast, {
    file,
    globals: sandbox.globals,
    resolve: sandbox.resolvePartial,
  });
  const variables = mergeVariables(used, frontMatter.variables ?? {});
  const version = frontMatter.version ?? UNVERSIONED;
  const hash = hashTemplate(source);
  const identity = templateVersion(name, version, hash, input.git);
  const template: PromptTemplate = {
    name,
    file,
    source,
    body,
    bodyLine,
    frontMatter,
    version,
    hash,
    variables,
    identity,
  };
  if (identity.gitCommit !== undefined) template.gitCommit = identity.gitCommit;
  if (identity.dirty === true) template.dirty = true;
  if (frontMatter.description !== undefined) template.description = frontMatter.description;
  if (frontMatter.model !== undefined) template.model = frontMatter.model;
  if (frontMatter.params !== undefined) template.params = frontMatter.params;
  return { template, compiled };
}

function mergeVariables(
  used: Array<{ name: string; required: boolean }>,
  declared: Record<string, VariableDeclaration>,
): TemplateVariable[] {
  const usedByName = new Map(used.map((variable) => [variable.name, variable]));
  const names = [
    ...Object.keys(declared),
    ...[...usedByName.keys()].filter((name) => !Object.hasOwn(declared, name)),
  ];
  return names.map((name) => {
    const declaration = Object.hasOwn(declared, name) ? declared[name] : undefined;
    const use = usedByName.get(name);
    const hasDefault = declaration !== undefined && Object.hasOwn(declaration, 'default');
    const variable: TemplateVariable = {
      name,
      required: hasDefault ? false : (declaration?.required ?? use?.required ?? true),
      declared: declaration !== undefined,
      used: use !== undefined,
    };
    if (declaration?.description !== undefined) variable.description = declaration.description;
    if (hasDefault) variable.default = declaration.default;
    return variable;
  });
}
