import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { assertSandboxedSyntax } from './assert-sandboxed-syntax.ts';
import { displayPath } from './display-path.ts';
import { PromptError, TemplateRenderError, TemplateSyntaxError } from './errors.ts';
import type { ResolveTemplate } from './find-template-variables.ts';
import { parseFrontMatter } from './front-matter.ts';
import {
  type CompiledTemplate,
  type NunjucksEnvironment,
  type NunjucksNode,
  nunjucks,
  transformer,
} from './nunjucks-internals.ts';
import { resolveTemplatePath } from './resolve-template-path.ts';
import { createRoleBlocks, type RoleOutput } from './role-blocks.ts';
import { SandboxCompiler } from './sandbox-compiler.ts';
import { createSandboxFilters } from './sandbox-filters.ts';
import { createSandboxGlobals } from './sandbox-globals.ts';
import { createSandboxRuntime } from './sandbox-runtime.ts';

/** A template body parsed, checked and compiled against the sandbox runtime. */
export type CompiledBody = {
  file: string;
  bodyLine: number;
  ast: NunjucksNode;
  module: CompiledTemplate;
};

/** The sandbox a registry renders in. */
export type SandboxedEnvironment = {
  /** Names of the globals every template sees (not variables). */
  globals: ReadonlySet<string>;
  /** Parses, checks and compiles a template body (cached by file and content). */
  compile(body: string, location: { file: string; bodyLine: number }): CompiledBody;
  /** Renders a compiled body with `variables` and splits the output into chat parts. */
  render(compiled: CompiledBody, variables: Record<string, unknown>): RoleOutput;
  /** Finds an included/extended template for the variable finder (`undefined` when unreadable). */
  resolvePartial: ResolveTemplate;
};

/**
 * A Nunjucks environment locked down for prompts: autoescape off (prompts are not HTML), strict
 * undefined, `trimBlocks`/`lstripBlocks` on, no default globals (only a fresh `range`, `cycler`,
 * `joiner`), own-property-only filter and test lookup, a loader confined to `dir`, the role
 * block tags, and every template compiled by {@link SandboxCompiler} against
 * `createSandboxRuntime`, so member lookups never reach `constructor`, `__proto__`, prototypes
 * or inherited methods.
 *
 * @example
 * const sandbox = createSandboxedEnvironment({ dir: 'prompts' });
 * const compiled = sandbox.compile('Hello {{ name }}', { file: 'prompts/hello.txt', bodyLine: 1 });
 * sandbox.render(compiled, { name: 'Ada' }); // { messages: [{ role: 'user', content: 'Hello Ada' }] }
 */
export function createSandboxedEnvironment(options: { dir: string }): SandboxedEnvironment {
  const dir = options.dir;
  const compiledCache = new Map<string, CompiledBody>();
  const bodyLines = new Map<string, number>();
  const roles = createRoleBlocks();
  const globals = createSandboxGlobals();

  const loader = {
    cache: Object.create(null) as Record<string, unknown>,
    isRelative: (name: string) => name.startsWith('./') || name.startsWith('../'),
    // A relative name becomes a path beside the including file; getSource checks it stays in `dir`.
    resolve: (from: string, name: string) => resolve(dirname(from), name),
    getSource(name: string) {
      const file = resolveTemplatePath(dir, name);
      if (file === undefined) return null;
      const compiled = compileFile(file);
      return { src: { type: 'code', obj: compiled.module }, path: file, noCache: true };
    },
  };

  const env = new nunjucks.Environment([loader], {
    autoescape: false,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
    // Keeps nunjucks from replacing our errors with plain copies of their messages.
    dev: true,
  });
  harden(env, globals);
  env.addExtension('roles', roles.extension);
  const filterNames = new Set(Object.keys(env.filters));
  const testNames = new Set(Object.keys(env.tests));

  function compileFile(file: string): CompiledBody {
    const { body, bodyLine } = parseFrontMatter(readFileSync(file, 'utf8'), file, displayPath(file));
    return compile(body, { file, bodyLine });
  }

  function compile(body: string, location: { file: string; bodyLine: number }): CompiledBody {
    const key = `${location.file}\0${location.bodyLine}\0${createHash('sha256').update(body).digest('hex')}`;
    const cached = compiledCache.get(key);
    if (cached !== undefined) return cached;
    const shown = displayPath(location.file);
    let ast: NunjucksNode;
    try {
      ast = nunjucks.parser.parse(body, env.extensionsList, env.opts);
    } catch (error) {
      throw syntaxError(error, location, shown);
    }
    assertSandboxedSyntax(ast, { ...location, file: shown, filters: filterNames, tests: testNames });
    let module: CompiledTemplate;
    try {
      const compiler = new SandboxCompiler(location.file);
      compiler.compile(transformer.transform(ast, [], location.file), undefined);
      module = new Function(compiler.getCode())() as CompiledTemplate;
    } catch (error) {
      throw syntaxError(error, location, shown);
    }
    const runtime = createSandboxRuntime({ ...location, displayName: shown }, globals);
    const bound: CompiledTemplate = {};
    for (const [name, render] of Object.entries(module)) {
      // Whatever runtime nunjucks passes in, the template's code runs against the sandbox's.
      bound[name] = (environment, context, frame, _runtime, callback) =>
        render(environment, context, frame, runtime, callback);
    }
    const compiled: CompiledBody = { ...location, ast, module: bound };
    compiledCache.set(key, compiled);
    bodyLines.set(location.file, location.bodyLine);
    return compiled;
  }

  return {
    globals: new Set(Object.keys(globals)),
    compile,
    render(compiled, variables) {
      const template = new nunjucks.Template({ type: 'code', obj: compiled.module }, env, compiled.file);
      try {
        return roles.capture(() => template.render(variables));
      } catch (error) {
        throw toPromptError(error, bodyLines);
      }
    },
    resolvePartial(name, fromFile) {
      try {
        const file = resolveTemplatePath(dir, name, fromFile);
        return file === undefined ? undefined : { ast: compileFile(file).ast, file };
      } catch {
        return undefined;
      }
    },
  };
}

/** Replaces the environment's lookup tables with prototype-free ones and own-only getters. */
function harden(env: NunjucksEnvironment, globals: Record<string, unknown>): void {
  const filters = createSandboxFilters(env.filters);
  const tests: Record<string, unknown> = Object.assign(Object.create(null), env.tests);
  env.globals = globals;
  env.filters = filters;
  env.tests = tests;
  env.getFilter = (name: string) => {
    if (Object.hasOwn(filters, name)) return filters[name];
    throw new TemplateRenderError(`unknown filter '${name}'`);
  };
  env.getTest = (name: string) => {
    if (Object.hasOwn(tests, name)) return tests[name];
    throw new TemplateRenderError(`unknown test '${name}'`);
  };
  for (const loader of env.loaders) loader.cache = Object.create(null);
}

function syntaxError(
  error: unknown,
  location: { file: string; bodyLine: number },
  shown: string,
): PromptError {
  if (PromptError.isInstance(error)) return error;
  const { reason, lineno, colno } = describeNunjucksError(error);
  const line = lineno === undefined ? undefined : lineno - 1 + location.bodyLine;
  const where = line === undefined ? shown : `${shown}:${line}`;
  return new TemplateSyntaxError(`${where}: ${reason}`, {
    file: location.file,
    line,
    column: colno,
    cause: error,
  });
}

function toPromptError(error: unknown, bodyLines: Map<string, number>): PromptError {
  const message = error instanceof Error ? error.message : String(error);
  const position = /^\(([^)\n]+)\)(?: \[Line (\d+)(?:, Column (\d+))?\])?/.exec(message);
  const file = position?.[1] === 'unknown path' ? undefined : position?.[1];
  const line =
    file === undefined || position?.[2] === undefined
      ? undefined
      : Number(position[2]) - 1 + (bodyLines.get(file) ?? 1);
  const column = position?.[3] === undefined ? undefined : Number(position[3]);
  const where = file === undefined ? '' : `${displayPath(file)}${line === undefined ? '' : `:${line}`}: `;
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (!PromptError.isInstance(current)) continue;
    // Errors raised outside compiled code (the loader) learn their position from nunjucks' wrapper.
    if (!TemplateRenderError.isInstance(current) || current.file !== undefined || file === undefined)
      return current;
    const ErrorClass = current.constructor as typeof TemplateRenderError;
    return new ErrorClass(`${where}${current.message}`, { file, line, column, cause: current.cause });
  }
  return new TemplateRenderError(`${where}${describeNunjucksError(error).reason}`, {
    file,
    line,
    column,
    cause: error,
  });
}

/** The reason of a nunjucks error without its `(path) [Line, Column]` prefixes. */
function describeNunjucksError(error: unknown): { reason: string; lineno?: number; colno?: number } {
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: string;
    lineno?: number;
    colno?: number;
  };
  const message = record.message ?? String(error);
  const reason = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\([^)]*\)( \[Line \d+(, Column \d+)?\])?$/.test(line))
    .join(' ')
    .replace(/^(Template render error: )?(Error: )?/, '');
  return { reason, lineno: record.lineno, colno: record.colno };
}
