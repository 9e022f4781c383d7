/**
 * The call-record helpers without the rest of the client: `import … from '@reins/client/record'`
 * loads neither SDK (the package root loads both, ~1.4 s), so a worker thread can sanitize records.
 *
 * @example
 * import { createRedactor, sanitizeRequest } from '@reins/client/record';
 * const safe = sanitizeRequest(record.request, createRedactor([secret]));
 */
export type {
  CallMetadata,
  CallRecord,
  CallSink,
  CallStatus,
  RecordedResponse,
  SanitizedRequest,
  TemplateRef,
  Usage,
} from './call-record.ts';
export { flattenPrompt } from './flatten-prompt.ts';
export { createRedactor, REDACTED, redactDeep } from './redact-secrets.ts';
export { sanitizeRequest } from './sanitize-request.ts';
export { imagePlaceholder, stripBase64FromText, stripDeep, stripImages } from './strip-images.ts';
