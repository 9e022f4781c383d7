export type { ContentPart, ImagePart, Message, TextPart, ToolCallPart, ToolResultPart } from './messages.ts';
export type {
  CallMetadata,
  CallRecord,
  CallSink,
  CallStatus,
  RecordedResponse,
  SanitizedRequest,
  TemplateRef,
  Usage,
} from './record/call-record.ts';
export { flattenPrompt } from './record/flatten-prompt.ts';
export { createRedactor, REDACTED, redactDeep } from './record/redact-secrets.ts';
export { sanitizeRequest } from './record/sanitize-request.ts';
export { imagePlaceholder, stripBase64FromText, stripDeep, stripImages } from './record/strip-images.ts';
