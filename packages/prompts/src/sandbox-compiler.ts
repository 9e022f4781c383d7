import { type CompilerInstance, type NunjucksNode, nunjucks } from './nunjucks-internals.ts';

/** Tests whose operand may be undefined without an error: the point of asking. */
const LENIENT_TESTS: ReadonlySet<string> = new Set(['defined', 'undefined']);
/** Filters whose first argument may be undefined without an error: they supply the fallback. */
const LENIENT_FILTERS: ReadonlySet<string> = new Set(['default', 'd']);

const BaseCompiler = nunjucks.compiler.Compiler;

/**
 * Nunjucks' compiler with every variable lookup, member lookup and call routed through the
 * sandbox runtime (`runtime.sandboxLookup`, `sandboxMember`, `sandboxCall`), carrying source
 * positions and a `lenient` flag. Lookups are strict (undefined is an error) except directly
 * under `is defined`/`is undefined` and as the value of `default`. Every string that reaches the
 * generated JavaScript goes through `JSON.stringify`.
 *
 * @example
 * const compiler = new SandboxCompiler('/prompts/a.txt');
 * compiler.compile(ast, undefined);
 * const code = compiler.getCode();
 */
export class SandboxCompiler extends (BaseCompiler as new (
  templateName: string,
  throwOnUndefined: boolean,
) => CompilerInstance) {
  /** True while compiling the direct operand of a lenient test or filter. */
  declare lenient: boolean;

  constructor(templateName: string) {
    super(templateName, true);
    this.lenient = false;
  }

  compileSymbol(node: NunjucksNode, frame: { lookup(name: string): string | undefined }): void {
    const name = String(node.value);
    const local = frame.lookup(name);
    if (local) {
      this._emit(local);
      return;
    }
    this._emit(
      `runtime.sandboxLookup(context, frame, ${JSON.stringify(name)}, ${this.lenient}, ${node.lineno}, ${node.colno})`,
    );
  }

  compileLookupVal(node: NunjucksNode, frame: unknown): void {
    const lenient = this.lenient;
    this._emit('runtime.sandboxMember((');
    this.lenient = lenient && isLookupChain(node['target'] as NunjucksNode);
    this._compileExpression(node['target'] as NunjucksNode, frame);
    this.lenient = false;
    this._emit('),');
    this._compileExpression(node['val'] as NunjucksNode, frame);
    this.lenient = lenient;
    this._emit(`, ${lenient}, ${node.lineno}, ${node.colno}, ${JSON.stringify(expressionName(node))})`);
  }

  compileFunCall(node: NunjucksNode, frame: unknown): void {
    const callee = node['name'] as NunjucksNode;
    this.lenient = false;
    // `lineno`/`colno` feed nunjucks' own error wrapper, which expects 1-based positions.
    this._emit(`(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, runtime.sandboxCall(`);
    this._compileExpression(callee, frame);
    this._emit(`, ${JSON.stringify(this._getNodeName(callee))}, context, `);
    this._compileAggregate(node['args'] as NunjucksNode, frame, '[', ']');
    this._emit(`, ${node.lineno}, ${node.colno}))`);
  }

  override _compileGetTemplate(
    node: NunjucksNode,
    frame: unknown,
    eagerCompile: boolean,
    ignoreMissing: boolean,
  ): string {
    // Position errors from loading an include/extends/import at the tag that asked for it.
    this._emitLine(`lineno = ${node.lineno + 1}; colno = ${node.colno + 1};`);
    return super._compileGetTemplate(node, frame, eagerCompile, ignoreMissing);
  }

  compileIs(node: NunjucksNode, frame: unknown): void {
    const right = node['right'] as NunjucksNode;
    const calleeNode = right['name'] as NunjucksNode | undefined;
    const test = String(calleeNode === undefined ? right.value : calleeNode.value);
    const left = node['left'] as NunjucksNode;
    this._emit(`env.getTest(${JSON.stringify(test)}).call(context, `);
    this.lenient = LENIENT_TESTS.has(test) && isLookupChain(left);
    this.compile(left, frame);
    this.lenient = false;
    const args = right['args'] as NunjucksNode | undefined;
    if (args !== undefined) {
      this._emit(',');
      this._compileAggregate(args, frame);
    }
    this._emit(') === true');
  }

  compileFilter(node: NunjucksNode, frame: unknown): void {
    const name = String((node['name'] as NunjucksNode).value);
    const [value, ...rest] = (node['args'] as NunjucksNode).children ?? [];
    this._emit(`env.getFilter(${JSON.stringify(name)}).call(context, `);
    if (value !== undefined) {
      this.lenient = LENIENT_FILTERS.has(name) && isLookupChain(value);
      this._compileExpression(value, frame);
      this.lenient = false;
    }
    for (const argument of rest) {
      this._emit(', ');
      this._compileExpression(argument, frame);
    }
    this._emit(')');
  }
}

/** `doc.title`, `docs[0]`: how an expression reads in an error message. */
function expressionName(node: NunjucksNode): string {
  if (node.typename === 'Symbol') return String(node.value);
  if (node.typename !== 'LookupVal') return '(…)';
  const target = expressionName(node['target'] as NunjucksNode);
  const key = node['val'] as NunjucksNode;
  if (key.typename !== 'Literal') return `${target}[…]`;
  return typeof key.value === 'number' ? `${target}[${key.value}]` : `${target}.${String(key.value)}`;
}

function isLookupChain(node: NunjucksNode | undefined): boolean {
  return node !== undefined && (node.typename === 'Symbol' || node.typename === 'LookupVal');
}
