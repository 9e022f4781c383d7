import { createRequire } from 'node:module';

/**
 * Typed handles on the parts of Nunjucks that `@types/nunjucks` does not describe (parser, syntax
 * nodes, compiler, runtime). Only this file reaches into the library's internals; the shapes below
 * are the subset of nunjucks 3.2 the sandbox and the variable finder rely on.
 */
const require = createRequire(import.meta.url);

/** A syntax-tree node. `fields` names the child slots; `children` is set on lists. */
export type NunjucksNode = {
  typename: string;
  lineno: number;
  colno: number;
  fields: string[];
  children?: NunjucksNode[];
  value?: unknown;
  [field: string]: unknown;
};

/** The node classes, by name, as constructors (`new nodes.CallExtension(...)`). */
export type NunjucksNodes = Record<string, new (...args: unknown[]) => NunjucksNode>;

export type NunjucksToken = { type: string; value: string; lineno: number; colno: number };

/** The parser as an extension's `parse(parser, nodes, lexer)` sees it. */
export type NunjucksParser = {
  nextToken(): NunjucksToken;
  peekToken(): NunjucksToken;
  parseSignature(tolerant: boolean | null, noParens: boolean): NunjucksNode;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): NunjucksNode;
  fail(message: string, lineno?: number, colno?: number): never;
};

/** A Nunjucks extension: `tags` it parses, and methods the compiled code calls. */
export type NunjucksExtension = {
  tags: string[];
  parse(parser: NunjucksParser, nodes: NunjucksNodes, lexer: unknown): NunjucksNode;
  [method: string]: unknown;
};

/** Options the lexer/parser/compiler read. */
export type NunjucksOptions = {
  autoescape: boolean;
  throwOnUndefined: boolean;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  dev: boolean;
};

/** A compiled template module: `root` and one `b_<name>` function per block. */
export type CompiledTemplate = Record<string, RenderFunction>;
export type RenderFunction = (
  env: unknown,
  context: unknown,
  frame: unknown,
  runtime: unknown,
  callback: (error: unknown, output?: string) => void,
) => void;

/** The compiler's instance surface that the sandbox compiler overrides or calls. */
export type CompilerInstance = {
  templateName: string;
  throwOnUndefined: boolean;
  compile(node: NunjucksNode, frame: unknown): void;
  _emit(code: string): void;
  _compileExpression(node: NunjucksNode, frame: unknown): void;
  _compileAggregate(node: NunjucksNode, frame: unknown, start?: string, end?: string): void;
  _getNodeName(node: NunjucksNode): string;
  _emitLine(code: string): void;
  _compileGetTemplate(
    node: NunjucksNode,
    frame: unknown,
    eagerCompile: boolean,
    ignoreMissing: boolean,
  ): string;
  getCode(): string;
};

export type CompilerConstructor = new (templateName: string, throwOnUndefined: boolean) => CompilerInstance;

/** A runtime frame: nunjucks' scope chain. */
export type NunjucksFrame = { lookup(name: string): unknown };

/** The object compiled templates receive as `runtime`. */
export type NunjucksRuntime = Record<string, unknown> & {
  SafeString: new (value: string) => unknown;
};

export type NunjucksEnvironment = {
  opts: NunjucksOptions;
  globals: Record<string, unknown>;
  filters: Record<string, unknown>;
  tests: Record<string, unknown>;
  extensionsList: NunjucksExtension[];
  loaders: Array<{ cache: Record<string, unknown> }>;
  addFilter(name: string, filter: (...args: never[]) => unknown): void;
  addExtension(name: string, extension: NunjucksExtension): void;
  getFilter(name: string): unknown;
  getTest(name: string): unknown;
};

type NunjucksModule = {
  Environment: new (loaders: unknown, options: Partial<NunjucksOptions>) => NunjucksEnvironment;
  Template: new (
    source: { type: 'code'; obj: CompiledTemplate },
    env: NunjucksEnvironment,
    path: string,
  ) => { render(context: object): string };
  parser: { parse(source: string, extensions: NunjucksExtension[], options: NunjucksOptions): NunjucksNode };
  nodes: NunjucksNodes;
  runtime: NunjucksRuntime;
  compiler: { Compiler: CompilerConstructor };
  lib: { TemplateError: new (message: string, lineno?: number, colno?: number) => Error };
};

/** The nunjucks package itself. */
export const nunjucks = require('nunjucks') as NunjucksModule;

/** Turns async filters into async nodes; we register none, but keep the pipeline faithful. */
export const transformer = require('nunjucks/src/transformer') as {
  transform(ast: NunjucksNode, asyncFilters: string[], name: string): NunjucksNode;
};
