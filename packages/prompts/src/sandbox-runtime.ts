import { TemplateRenderError, TemplateSandboxError } from './errors.ts';
import { type NunjucksFrame, type NunjucksRuntime, nunjucks } from './nunjucks-internals.ts';
import {
  ARRAY_METHODS,
  CODE_EVALUATING_FUNCTIONS,
  FORBIDDEN_MEMBERS,
  NUMBER_METHODS,
  STRING_METHODS,
} from './sandbox-policy.ts';

/** Where the code of one template file sits, so run-time errors can name the file and line. */
export type RuntimeLocation = { file: string; bodyLine: number; displayName: string };

type Context = { ctx: Record<string, unknown> };

const baseRuntime = nunjucks.runtime;
const SafeString = baseRuntime.SafeString;

/**
 * The `runtime` object a sandboxed template's compiled code receives, in place of nunjucks' own.
 * It replaces every lookup with an own-property, strict-undefined one and every call with a
 * checked one; `createSandboxCompiler` emits calls to the `sandbox*` functions with the lenient
 * flag and source positions.
 *
 * @example
 * const runtime = createSandboxRuntime({ file: '/prompts/a.txt', bodyLine: 5 }, globals);
 */
export function createSandboxRuntime(
  location: RuntimeLocation,
  globals: Record<string, unknown>,
): NunjucksRuntime {
  const at = (lineno: number | undefined, colno: number | undefined) => ({
    file: location.file,
    line: lineno === undefined ? undefined : lineno + location.bodyLine,
    column: colno === undefined ? undefined : colno + 1,
  });
  const renderError = (message: string, lineno?: number, colno?: number) =>
    new TemplateRenderError(prefix(lineno, message), at(lineno, colno));
  const sandboxError = (message: string, lineno?: number, colno?: number) =>
    new TemplateSandboxError(prefix(lineno, message), at(lineno, colno));
  const prefix = (lineno: number | undefined, message: string) =>
    lineno === undefined
      ? `${location.displayName}: ${message}`
      : `${location.displayName}:${lineno + location.bodyLine}: ${message}`;

  function sandboxLookup(
    context: Context,
    frame: NunjucksFrame,
    name: string,
    lenient: boolean,
    lineno?: number,
    colno?: number,
  ) {
    const local = frame.lookup(name);
    if (local !== undefined) return local;
    const variables = context.ctx;
    if (Object.hasOwn(variables, name) && variables[name] !== undefined) return variables[name];
    if (Object.hasOwn(globals, name)) return globals[name];
    if (lenient) return undefined;
    throw renderError(`'${name}' is undefined`, lineno, colno);
  }

  function sandboxMember(
    target: unknown,
    key: unknown,
    lenient: boolean,
    lineno?: number,
    colno?: number,
    expression?: string,
  ) {
    const shown = expression ?? String(key);
    if (typeof key !== 'string' && typeof key !== 'number') {
      throw sandboxError(`member names must be strings or numbers, not ${describe(key)}`, lineno, colno);
    }
    const name = String(key);
    if (FORBIDDEN_MEMBERS.has(name)) {
      throw sandboxError(`'${name}' is not accessible in templates`, lineno, colno);
    }
    if (target === undefined || target === null) {
      if (lenient) return undefined;
      throw renderError(`'${shown}' is undefined: cannot read '${name}' of ${String(target)}`, lineno, colno);
    }
    const found = readMember(target, name);
    if (found.ok) return found.value;
    if (found.refused) {
      throw sandboxError(
        `'${name}' is not an own property of ${describe(target)}; templates read data, not inherited members`,
        lineno,
        colno,
      );
    }
    if (lenient) return undefined;
    throw renderError(`'${shown}' is undefined`, lineno, colno);
  }

  function sandboxCall(
    callee: unknown,
    name: string,
    _context: unknown,
    args: unknown[],
    lineno?: number,
    colno?: number,
  ) {
    if (typeof callee !== 'function') {
      throw renderError(`'${name}' is not a function (it is ${describe(callee)})`, lineno, colno);
    }
    if (CODE_EVALUATING_FUNCTIONS.has(callee)) {
      throw sandboxError(`'${name}' evaluates code and cannot be called from a template`, lineno, colno);
    }
    // `this` is never the nunjucks context: nothing the template calls gets a handle on it.
    return callee.apply(undefined, args);
  }

  function ensureDefined(value: unknown, lineno?: number, colno?: number) {
    if (value === undefined || value === null) {
      throw renderError(`output of a ${String(value)} value`, lineno, colno);
    }
    return value;
  }

  function inOperator(key: unknown, container: unknown) {
    if (typeof container === 'string') return container.includes(String(key));
    if (Array.isArray(container)) return container.includes(key);
    if (typeof container === 'object' && container !== null) return Object.hasOwn(container, String(key));
    throw renderError(`cannot use 'in' on ${describe(container)}`);
  }

  return {
    ...baseRuntime,
    sandboxLookup,
    sandboxMember,
    sandboxCall,
    ensureDefined,
    inOperator,
    // Nunjucks' own entry points, in case any compiled path still uses them: same rules, strict.
    contextOrFrameLookup: (context: Context, frame: NunjucksFrame, name: string) =>
      sandboxLookup(context, frame, name, false),
    memberLookup: (target: unknown, key: unknown) => sandboxMember(target, key, false),
    callWrap: (callee: unknown, name: string, context: unknown, args: unknown[]) =>
      sandboxCall(callee, name, context, args),
  };
}

type MemberResult = { ok: true; value: unknown } | { ok: false; refused: boolean };

function readMember(target: unknown, name: string): MemberResult {
  if (typeof target === 'string' || target instanceof SafeString) {
    const text = String(target);
    if (name === 'length') return { ok: true, value: text.length };
    if (/^\d+$/.test(name))
      return Number(name) < text.length ? { ok: true, value: text[Number(name)] } : miss();
    if (STRING_METHODS.has(name)) return { ok: true, value: method(String.prototype, name, text) };
    return name in String.prototype ? { ok: false, refused: true } : miss();
  }
  if (typeof target === 'number') {
    if (NUMBER_METHODS.has(name)) return { ok: true, value: method(Number.prototype, name, target) };
    return { ok: false, refused: name in Number.prototype };
  }
  if (Array.isArray(target) && ARRAY_METHODS.has(name)) {
    return { ok: true, value: method(Array.prototype, name, target) };
  }
  if ((typeof target === 'object' || typeof target === 'function') && target !== null) {
    if (Object.hasOwn(target, name)) {
      const value = (target as Record<string, unknown>)[name];
      if (typeof value !== 'function') return { ok: true, value };
      if (CODE_EVALUATING_FUNCTIONS.has(value)) return { ok: false, refused: true };
      return { ok: true, value: (...args: unknown[]) => value.apply(target, args) };
    }
    return name in target ? { ok: false, refused: true } : miss();
  }
  return miss();
}

function miss(): MemberResult {
  return { ok: false, refused: false };
}

/** A fresh function calling one allowed built-in method on `receiver`; the built-in itself never leaks. */
function method(prototype: object, name: string, receiver: unknown) {
  const builtin = (prototype as Record<string, (...args: unknown[]) => unknown>)[name]!;
  return (...args: unknown[]) => builtin.apply(receiver, args);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
