import type { Usage } from '../record/call-record.ts';
import { ReinsError, type ReinsErrorOptions } from './reins-error.ts';

/**
 * One validation problem, as Zod reported it (or a JSON parse failure at the root path).
 *
 * @example
 * { path: ['age'], message: 'Invalid input: expected number, received string' }
 */
export type StructuredOutputIssue = { path: Array<string | number>; message: string };

/**
 * `structured` ran out of re-asks: the last answer still did not parse or validate. Carries the
 * last raw text and its exact issues, and what every attempt cost together.
 *
 * @example
 * if (StructuredOutputError.isInstance(error)) log(error.rawText, error.issues);
 */
export class StructuredOutputError extends ReinsError {
  static override readonly errorName: string = 'StructuredOutputError';
  readonly rawText: string;
  readonly issues: StructuredOutputIssue[];
  readonly attempts: number;
  readonly usage: Usage | undefined;
  readonly costUsd: number | null;

  constructor(
    message: string,
    options: ReinsErrorOptions & {
      rawText: string;
      issues: StructuredOutputIssue[];
      attempts: number;
      usage?: Usage;
      costUsd?: number | null;
    },
  ) {
    super(message, { isRetryable: false, ...options });
    this.rawText = options.rawText;
    this.issues = options.issues;
    this.attempts = options.attempts;
    this.usage = options.usage;
    this.costUsd = options.costUsd ?? null;
  }
}
