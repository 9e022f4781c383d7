import { childNodes } from './child-nodes.ts';
import { TemplateSandboxError, TemplateSyntaxError } from './errors.ts';
import { IDENTIFIER } from './identifier.ts';
import type { NunjucksNode } from './nunjucks-internals.ts';
import { ROLE_TAGS } from './role-blocks.ts';
import { FORBIDDEN_MEMBERS, FORBIDDEN_NAMES } from './sandbox-policy.ts';

/** What the check needs to know about the environment and the file. */
export type SyntaxCheckOptions = {
  file: string;
  /** 1-based line of the file where the template body starts. */
  bodyLine: number;
  filters: ReadonlySet<string>;
  tests: ReadonlySet<string>;
};

/**
 * Refuses, before anything is compiled, the syntax the sandbox does not allow: identifiers that
 * are not plain names (a quoted `{% set "…" %}` target would otherwise be pasted into generated
 * JavaScript), forbidden names such as `constructor` and `__proto__` as variables, keys or literal
 * member names, unknown filters and tests, the async tags, and nested role blocks.
 *
 * @example
 * assertSandboxedSyntax(ast, { file, bodyLine: 4, filters: new Set(['upper']), tests: new Set(['defined']) });
 */
export function assertSandboxedSyntax(root: NunjucksNode, options: SyntaxCheckOptions): void {
  const lineOf = (node: NunjucksNode) => node.lineno + options.bodyLine;
  const syntaxError = (node: NunjucksNode, message: string) =>
    new TemplateSyntaxError(`${options.file}:${lineOf(node)}: ${message}`, {
      file: options.file,
      line: lineOf(node),
      column: node.colno + 1,
    });
  const sandboxError = (node: NunjucksNode, message: string) =>
    new TemplateSandboxError(`${options.file}:${lineOf(node)}: ${message}`, {
      file: options.file,
      line: lineOf(node),
      column: node.colno + 1,
    });

  const name = (node: unknown, what: string): string => {
    const candidate = node as NunjucksNode | undefined;
    if (candidate?.typename !== 'Symbol') {
      throw syntaxError(candidate ?? root, `${what} must be a plain name`);
    }
    return String(candidate.value);
  };

  const visit = (node: NunjucksNode, insideRole: boolean): void => {
    switch (node.typename) {
      case 'Symbol': {
        const value = String(node.value);
        if (!IDENTIFIER.test(value)) throw syntaxError(node, `'${value}' is not a valid name`);
        if (FORBIDDEN_NAMES.has(value)) throw sandboxError(node, `'${value}' is not accessible in templates`);
        break;
      }
      case 'LookupVal': {
        const key = node['val'] as NunjucksNode;
        if (key.typename === 'Literal' && FORBIDDEN_MEMBERS.has(String(key.value))) {
          throw sandboxError(key, `'${String(key.value)}' is not accessible in templates`);
        }
        break;
      }
      case 'Pair': {
        const key = node['key'] as NunjucksNode;
        if (key.typename === 'Literal' && FORBIDDEN_NAMES.has(String(key.value))) {
          throw sandboxError(key, `'${String(key.value)}' cannot be used as a key`);
        }
        break;
      }
      case 'Filter':
      case 'FilterAsync': {
        const filter = name(node['name'], 'a filter name');
        if (!options.filters.has(filter)) throw syntaxError(node, `unknown filter '${filter}'`);
        break;
      }
      case 'Is': {
        const right = node['right'] as NunjucksNode;
        const test = name(right.typename === 'FunCall' ? right['name'] : right, 'a test name');
        if (!options.tests.has(test)) throw syntaxError(node, `unknown test '${test}'`);
        break;
      }
      case 'Set':
        for (const target of node['targets'] as NunjucksNode[]) name(target, 'a set target');
        break;
      case 'AsyncEach':
      case 'AsyncAll':
      case 'IfAsync':
        // Their loop variables become raw JavaScript parameter names (they could shadow `runtime`),
        // and rendering is synchronous anyway.
        throw syntaxError(node, 'asyncEach, asyncAll and ifAsync are not supported; use for and if');
      case 'For': {
        const loopName = node['name'] as NunjucksNode;
        if (loopName.typename === 'Array')
          for (const child of loopName.children ?? []) name(child, 'a loop variable');
        else name(loopName, 'a loop variable');
        break;
      }
      case 'Macro':
      case 'Caller':
        name(node['name'], 'a macro name');
        for (const argument of (node['args'] as NunjucksNode).children ?? []) {
          if (argument.typename === 'KeywordArgs') {
            for (const pair of argument.children ?? []) name(pair['key'], 'a macro argument');
          } else name(argument, 'a macro argument');
        }
        break;
      case 'KeywordArgs':
        for (const pair of node.children ?? []) name(pair['key'], 'a keyword argument');
        break;
      case 'Import':
        name(node['target'], 'an import target');
        break;
      case 'FromImport':
        for (const imported of (node['names'] as NunjucksNode).children ?? []) {
          if (imported.typename === 'Pair') {
            name(imported['key'], 'an imported name');
            name(imported['value'], 'an import alias');
          } else name(imported, 'an imported name');
        }
        break;
      case 'Block':
        name(node['name'], 'a block name');
        break;
      case 'CallExtension':
        if (node['extName'] !== 'roles' || !(ROLE_TAGS as readonly string[]).includes(String(node['prop']))) {
          throw syntaxError(node, 'unknown tag');
        }
        if (insideRole)
          throw syntaxError(node, `{% ${String(node['prop'])} %} cannot be nested inside another role block`);
        for (const content of node['contentArgs'] as NunjucksNode[]) visit(content, true);
        return;
    }
    for (const child of childNodes(node)) visit(child, insideRole);
  };
  visit(root, false);
}
