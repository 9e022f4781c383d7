/**
 * What templates may touch. The rule: templates read the data they are given (own properties of
 * plain objects and arrays, characters of strings) and call the macros they define, a handful of
 * pure string/array/number methods, and the registered filters. Nothing reaches a prototype, a
 * constructor or the process.
 */

/** Member names refused everywhere, as literals or computed at run time. */
export const FORBIDDEN_MEMBERS: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'caller',
  'callee',
  'arguments',
]);

/** Identifiers refused as variable, macro, filter, block or key names. (`caller` is a macro feature.) */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(
  [...FORBIDDEN_MEMBERS].filter((name) => name !== 'caller'),
);

/** Pure methods a template may call on strings: they only return new values. */
export const STRING_METHODS: ReadonlySet<string> = new Set([
  'at',
  'charAt',
  'endsWith',
  'includes',
  'indexOf',
  'lastIndexOf',
  'replace',
  'replaceAll',
  'slice',
  'split',
  'startsWith',
  'substring',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'trimEnd',
  'trimStart',
]);

/** Non-mutating array methods a template may call (no callbacks: nothing can be invoked through them). */
export const ARRAY_METHODS: ReadonlySet<string> = new Set([
  'at',
  'concat',
  'includes',
  'indexOf',
  'join',
  'lastIndexOf',
  'slice',
]);

/** Number formatting methods a template may call. */
export const NUMBER_METHODS: ReadonlySet<string> = new Set(['toFixed', 'toPrecision', 'toString']);

const AsyncFunction = (async () => {}).constructor;
const GeneratorFunction = function* () {}.constructor;
const AsyncGeneratorFunction = async function* () {}.constructor;

/**
 * Functions that compile or evaluate code. Templates can never reach them through lookups; this
 * list also refuses them when a caller hands one in as a variable by mistake.
 */
export const CODE_EVALUATING_FUNCTIONS: ReadonlySet<unknown> = new Set([
  Function,
  AsyncFunction,
  GeneratorFunction,
  AsyncGeneratorFunction,
  // biome-ignore lint/security/noGlobalEval: listed to be refused, never called
  globalThis.eval,
]);
