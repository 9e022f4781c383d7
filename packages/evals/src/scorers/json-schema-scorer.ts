import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';
import { EvalsError } from '../evals-error.ts';
import { extractJson } from './extract-json.ts';
import type { Scorer } from './scorer.ts';
import { unitResult } from './unit-result.ts';

export type JsonSchemaScorerOptions = {
  /** The JSON Schema every answer must satisfy; default: each row's `ideal_output` holds one. */
  schema?: Record<string, unknown> | boolean;
};

// Loaded by the first json-schema scorer, not with the package: ajv's ~70 modules cost every
// `reins eval run` ~10 MB of resident memory, and most runs grade with other scorers.
const require = createRequire(import.meta.url);
let AjvClass: typeof Ajv | undefined;

/** Per-row schemas compiled so far, so a dataset that repeats one schema compiles it once. */
const CACHE_LIMIT = 100;

/**
 * 1 when the answer holds JSON (bare, fenced, or inside prose) that satisfies the schema, else 0
 * with the validation errors as the reason.
 *
 * @example
 * jsonSchemaScorer({ schema: { type: 'object', required: ['parties'] } })
 *   .score({ output: '{"parties": ["A", "B"]}', idealOutput: '', variables: {} }).passed // true
 */
export function jsonSchemaScorer(options: JsonSchemaScorerOptions = {}): Scorer {
  AjvClass ??= (require('ajv') as typeof import('ajv')).Ajv;
  const ajv = new AjvClass({ allErrors: true, strict: false });
  const fixed = options.schema === undefined ? undefined : compile(ajv, options.schema);
  const perRow = new Map<string, ValidateFunction>();
  const validatorFor = (idealOutput: string): ValidateFunction => {
    const cached = perRow.get(idealOutput);
    if (cached !== undefined) return cached;
    let schema: unknown;
    try {
      schema = JSON.parse(idealOutput);
    } catch {
      throw new EvalsError('json-schema scorer: no schema given and ideal_output is not a JSON Schema');
    }
    const validate = compile(ajv, schema);
    if (perRow.size >= CACHE_LIMIT) perRow.clear();
    perRow.set(idealOutput, validate);
    return validate;
  };
  return {
    name: 'json-schema',
    scale: 'unit',
    score({ output, idealOutput }) {
      const validate = fixed ?? validatorFor(idealOutput);
      const value = extractJson(output);
      if (value === undefined) return unitResult('json-schema', 0, false, 'the answer holds no JSON');
      if (validate(value)) return unitResult('json-schema', 1, true, null);
      const errors = (validate.errors ?? [])
        .slice(0, 5)
        .map(
          (error) =>
            `${error.instancePath === '' ? '(root)' : error.instancePath} ${error.message ?? 'is invalid'}`,
        );
      return unitResult('json-schema', 0, false, errors.join('; '));
    },
  };
}

function compile(ajv: Ajv, schema: unknown): ValidateFunction {
  try {
    return ajv.compile(schema as Record<string, unknown>);
  } catch (error) {
    throw new EvalsError(`json-schema scorer: invalid schema: ${(error as Error).message}`);
  }
}
