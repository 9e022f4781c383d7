import { z } from 'zod';
import { EvalsError } from '../evals-error.ts';

/**
 * A scorer as configuration (CLI flag, API body, stored run). `judge` names its grading model
 * here; the client that runs it is supplied when the scorer is built.
 *
 * @example
 * scorerSpecSchema.parse({ type: 'similarity', threshold: 0.4 })
 */
export const scorerSpecSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('exact'),
    caseSensitive: z.boolean().optional(),
    normalizeWhitespace: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('contains'),
    values: z.array(z.string()).optional(),
    caseSensitive: z.boolean().optional(),
  }),
  z.object({ type: z.literal('regex'), pattern: z.string().optional(), flags: z.string().optional() }),
  z.object({
    type: z.literal('json-schema'),
    schema: z.union([z.record(z.string(), z.unknown()), z.boolean()]).optional(),
  }),
  z.object({
    type: z.literal('numeric'),
    tolerance: z.number().nonnegative().optional(),
    relative: z.boolean().optional(),
  }),
  z.object({ type: z.literal('similarity'), threshold: z.number().min(0).max(1).optional() }),
  z.object({
    type: z.literal('judge'),
    model: z.string().optional(),
    rubric: z.string().optional(),
    passAt: z.int().min(1).max(5).optional(),
    maxTokens: z.int().positive().optional(),
  }),
]);
export type ScorerSpec = z.infer<typeof scorerSpecSchema>;

/**
 * Reads the CLI shorthand `type[:argument]`: `exact`, `exact:ci` (case-insensitive), `contains`,
 * `regex:PATTERN`, `json-schema` (schema in `ideal_output`), `numeric:0.01` (tolerance; `5%` is
 * relative), `similarity:0.4` (threshold), `judge`, `judge:provider/model`.
 *
 * @example
 * parseScorerSpec('numeric:5%') // { type: 'numeric', tolerance: 0.05, relative: true }
 */
export function parseScorerSpec(text: string): ScorerSpec {
  const colon = text.indexOf(':');
  const type = (colon === -1 ? text : text.slice(0, colon)).trim();
  const argument = colon === -1 ? undefined : text.slice(colon + 1);
  const spec = (() => {
    switch (type) {
      case 'exact':
        return { type, ...(argument === 'ci' ? { caseSensitive: false } : {}) };
      case 'contains':
        return { type, ...(argument === undefined ? {} : { values: [argument] }) };
      case 'regex':
        return { type, ...(argument === undefined ? {} : { pattern: argument }) };
      case 'json-schema':
        return { type };
      case 'numeric': {
        if (argument === undefined) return { type };
        const relative = argument.endsWith('%');
        const value = Number(relative ? argument.slice(0, -1) : argument);
        return { type, tolerance: relative ? value / 100 : value, ...(relative ? { relative } : {}) };
      }
      case 'similarity':
        return { type, ...(argument === undefined ? {} : { threshold: Number(argument) }) };
      case 'judge':
        return { type, ...(argument === undefined ? {} : { model: argument }) };
      default:
        throw new EvalsError(
          `unknown scorer '${type}': use exact, contains, regex, json-schema, numeric, similarity or judge`,
        );
    }
  })();
  const parsed = scorerSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new EvalsError(
      `invalid scorer '${text}': ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
    );
  }
  return parsed.data;
}
