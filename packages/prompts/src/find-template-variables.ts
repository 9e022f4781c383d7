import { childNodes } from './child-nodes.ts';
import type { NunjucksNode } from './nunjucks-internals.ts';

/** A variable a template reads from its render context. */
export type UsedVariable = {
  name: string;
  /**
   * False when the template asks whether it is there (`x is defined`, `x is undefined`) or
   * supplies a fallback (`x | default(…)`) anywhere: the author planned for its absence. Any
   * unguarded use of an absent variable still fails at render time (strict undefined).
   */
  required: boolean;
};

/** Finds the syntax tree of a template that another one includes, extends or imports. */
export type ResolveTemplate = (
  name: string,
  fromFile: string,
) => { ast: NunjucksNode; file: string } | undefined;

export type FindVariablesOptions = {
  /** The file `root` came from (relative includes resolve against it). */
  file: string;
  /** Names the environment supplies itself (`range`, …): not variables. */
  globals?: Iterable<string>;
  /** Follow `{% include "x" %}`, `{% extends "x" %}` and `{% import "x" … with context %}`. */
  resolve?: ResolveTemplate;
};

type Scope = { names: Set<string>; parent: Scope | undefined };

const LENIENT_TESTS: ReadonlySet<string> = new Set(['defined', 'undefined']);
const LENIENT_FILTERS: ReadonlySet<string> = new Set(['default', 'd']);

/**
 * The variables a template reads from its render context, found from its syntax tree, in the
 * order the tree first reads them: every free name, minus those the template binds itself
 * (`set`, `for` loop variables and `loop`, macro names and arguments, imports) and the
 * environment's globals. Statically named includes are followed with the scope at the include
 * site; macro bodies are read last, against the template's top-level names.
 *
 * @example
 * const ast = nunjucks.parser.parse('{% for d in docs %}{{ d.title }} {{ note | default("") }}{% endfor %}');
 * findTemplateVariables(ast, { file: 'x.txt' });
 * // [{ name: 'docs', required: true }, { name: 'note', required: false }]
 */
export function findTemplateVariables(root: NunjucksNode, options: FindVariablesOptions): UsedVariable[] {
  const globals = new Set(options.globals ?? []);
  const found = new Map<string, UsedVariable>();
  const following = new Set<string>([options.file]);
  const deferred: Array<() => void> = [];

  const isBound = (scope: Scope | undefined, name: string): boolean =>
    scope !== undefined && (scope.names.has(name) || isBound(scope.parent, name));
  const child = (parent: Scope, names: string[] = []): Scope => ({ names: new Set(names), parent });
  const use = (name: string, required: boolean) => {
    const existing = found.get(name);
    if (existing === undefined) found.set(name, { name, required });
    else existing.required &&= required;
  };
  const symbolName = (node: unknown) => String((node as NunjucksNode).value);

  function walkTemplate(ast: NunjucksNode, file: string, scope: Scope): void {
    const walk = (node: NunjucksNode | undefined, current: Scope, required = true): void => {
      if (node === undefined || node === null) return;
      switch (node.typename) {
        case 'Symbol': {
          const name = symbolName(node);
          if (!isBound(current, name) && !globals.has(name)) use(name, required);
          return;
        }
        case 'LookupVal':
          walk(node['target'] as NunjucksNode, current, required);
          walk(node['val'] as NunjucksNode, current);
          return;
        case 'Is': {
          const right = node['right'] as NunjucksNode;
          const test = symbolName(right.typename === 'FunCall' ? right['name'] : right);
          walk(node['left'] as NunjucksNode, current, !LENIENT_TESTS.has(test));
          if (right.typename === 'FunCall') walk(right['args'] as NunjucksNode, current);
          return;
        }
        case 'Filter':
        case 'FilterAsync': {
          const [value, ...rest] = (node['args'] as NunjucksNode).children ?? [];
          walk(value, current, !LENIENT_FILTERS.has(symbolName(node['name'])));
          for (const argument of rest) walk(argument, current);
          return;
        }
        case 'Pair':
          // Dict keys and keyword-argument names are labels, not variables.
          walk(node['value'] as NunjucksNode, current);
          return;
        case 'For':
        case 'AsyncEach':
        case 'AsyncAll': {
          walk(node['arr'] as NunjucksNode, current);
          const loopName = node['name'] as NunjucksNode;
          const names =
            loopName.typename === 'Array'
              ? (loopName.children ?? []).map(symbolName)
              : [symbolName(loopName)];
          walk(node['body'] as NunjucksNode, child(current, [...names, 'loop']));
          walk(node['else_'] as NunjucksNode, current);
          return;
        }
        case 'Set': {
          walk((node['value'] ?? node['body']) as NunjucksNode, current);
          for (const target of node['targets'] as NunjucksNode[]) current.names.add(symbolName(target));
          return;
        }
        case 'Macro': {
          current.names.add(symbolName(node['name']));
          // A macro body runs when called, against the template's top-level names: walk it last.
          deferred.push(() => walkCallable(node, child(scope, ['caller'])));
          return;
        }
        case 'Caller':
          walkCallable(node, child(current));
          return;
        case 'Import':
          walk(node['template'] as NunjucksNode, current);
          if (node['withContext'] === true) follow(node['template'] as NunjucksNode, current);
          current.names.add(symbolName(node['target']));
          return;
        case 'FromImport':
          walk(node['template'] as NunjucksNode, current);
          if (node['withContext'] === true) follow(node['template'] as NunjucksNode, current);
          for (const imported of (node['names'] as NunjucksNode).children ?? []) {
            current.names.add(symbolName(imported.typename === 'Pair' ? imported['value'] : imported));
          }
          return;
        case 'Include':
        case 'Extends':
          walk(node['template'] as NunjucksNode, current);
          follow(node['template'] as NunjucksNode, current);
          return;
        case 'Block':
          walk(node['body'] as NunjucksNode, child(current));
          return;
        default:
          for (const node_ of childNodes(node)) walk(node_, current);
      }
    };

    function walkCallable(node: NunjucksNode, inner: Scope): void {
      for (const argument of (node['args'] as NunjucksNode).children ?? []) {
        if (argument.typename === 'KeywordArgs') {
          for (const pair of argument.children ?? []) {
            walk(pair['value'] as NunjucksNode, inner);
            inner.names.add(symbolName(pair['key']));
          }
        } else inner.names.add(symbolName(argument));
      }
      walk(node['body'] as NunjucksNode, inner);
    }

    function follow(template: NunjucksNode, current: Scope): void {
      if (
        options.resolve === undefined ||
        template.typename !== 'Literal' ||
        typeof template.value !== 'string'
      )
        return;
      const resolved = options.resolve(template.value, file);
      if (resolved === undefined || following.has(resolved.file)) return;
      following.add(resolved.file);
      walkTemplate(resolved.ast, resolved.file, child(current));
      following.delete(resolved.file);
    }

    walk(ast, scope);
  }

  walkTemplate(root, options.file, { names: new Set(), parent: undefined });
  for (let index = 0; index < deferred.length; index++) deferred[index]!();
  return [...found.values()];
}
