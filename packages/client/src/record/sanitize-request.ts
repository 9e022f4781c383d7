import type { SanitizedRequest } from './call-record.ts';
import { redactDeep } from './redact-secrets.ts';
import { stripBase64FromText, stripImages } from './strip-images.ts';

/**
 * Makes a request safe to log or store: inline images become placeholders and secrets are
 * redacted. Every sink and log line sees only the result of this function.
 *
 * @example
 * const safe = sanitizeRequest(request, createRedactor([apiKey]));
 */
export function sanitizeRequest(
  request: SanitizedRequest,
  redact: (text: string) => string,
): SanitizedRequest {
  const stripped: SanitizedRequest = {
    ...request,
    ...(request.system !== undefined ? { system: stripBase64FromText(request.system) } : {}),
    messages: stripImages(request.messages),
  };
  return redactDeep(stripped, redact);
}
