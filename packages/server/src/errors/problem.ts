import { z } from 'zod';

/** One bad field of a request: where it is (`in` + JSON pointer) and what is wrong with it. */
export const FieldErrorSchema = z.object({
  in: z.enum(['body', 'querystring', 'params', 'headers']),
  field: z.string().describe('dotted path, e.g. messages.0.role'),
  pointer: z.string().describe('JSON pointer into the request part, e.g. #/messages/0/role'),
  detail: z.string(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

/**
 * RFC 9457 problem details, the body of every error response (`application/problem+json`).
 * `errors` lists each bad field; other members are extensions that carry the error's data
 * (`missing` variables, `retryAfterSeconds`, …).
 *
 * @example
 * { "type": "urn:reins:problem:validation-error", "title": "Invalid request", "status": 400,
 *   "detail": "body.model: Required", "instance": "/v1/generate", "traceId": "0193…",
 *   "errors": [{ "in": "body", "field": "model", "pointer": "#/model", "detail": "Required" }] }
 */
export const ProblemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    traceId: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof ProblemSchema>;

/** The media type of every error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `urn:reins:problem:<slug>`: stable identifiers clients can switch on. */
export function problemType(slug: string): string {
  return `urn:reins:problem:${slug}`;
}
