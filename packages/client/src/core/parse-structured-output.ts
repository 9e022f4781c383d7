import type { z } from 'zod';
import type { StructuredOutputIssue } from '../errors/structured-output-error.ts';
import { dropOptionalNulls } from './drop-optional-nulls.ts';

export type ParsedOutput<T> =
  | { success: true; value: T }
  | { success: false; issues: StructuredOutputIssue[] };

const FENCE = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/;

/**
 * Parses a model's answer as JSON (tolerating a Markdown code fence) and validates it with the
 * Zod schema. Failures come back as exact issues, ready to send to the model in a re-ask.
 *
 * @example
 * parseStructuredOutput('{"age": "ten"}', z.object({ age: z.number() }), jsonSchema)
 * // { success: false, issues: [{ path: ['age'], message: 'Invalid input: expected number, received string' }] }
 */
export function parseStructuredOutput<S extends z.ZodType>(
  text: string,
  schema: S,
  jsonSchema: Record<string, unknown>,
): ParsedOutput<z.output<S>> {
  const body = FENCE.exec(text)?.[1] ?? text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { success: false, issues: [{ path: [], message: `The answer is not valid JSON (${reason}).` }] };
  }
  const parsed = schema.safeParse(dropOptionalNulls(json, jsonSchema));
  if (parsed.success) return { success: true, value: parsed.data };
  return {
    success: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
      message: issue.message,
    })),
  };
}
