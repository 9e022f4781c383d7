import { createRedactor, stripBase64FromText } from '@reins/client';

/** Environment variables whose values are redacted from everything the store writes. */
export const SECRET_ENV_KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'] as const;

export type TextGuard = {
  /** Redacts API keys and configured secrets. */
  redact: (text: string) => string;
  /** Strips base64 (data URLs, long runs) and then redacts: the last step before a column is written. */
  clean: (text: string) => string;
};

/**
 * Builds the store's own redaction, independent of the client's: the store is the last line of
 * defence, so it strips and redacts again whatever a sink hands it.
 *
 * @example
 * const guard = createTextGuard(['my-webhook-token'], process.env);
 * guard.clean('token my-webhook-token') // 'token [REDACTED]'
 */
export function createTextGuard(
  secrets: readonly string[] = [],
  env: Record<string, string | undefined> = process.env,
): TextGuard {
  const redact = createRedactor([...secrets, ...SECRET_ENV_KEYS.map((key) => env[key])]);
  return { redact, clean: (text) => redact(stripBase64FromText(text)) };
}
