/**
 * The message shapes every Reins method accepts. Provider adapters convert them to each SDK's
 * wire format; nothing above `providers/` sees an SDK type.
 *
 * @example
 * const messages: Message[] = [
 *   { role: 'user', content: [{ type: 'text', text: 'What is in this picture?' },
 *     { type: 'image', mediaType: 'image/png', data: base64 }] },
 * ];
 */
export type TextPart = { type: 'text'; text: string };

/** An image, inline as base64 (`data`) or by `url`. */
export type ImagePart =
  | { type: 'image'; mediaType: string; data: string; url?: undefined }
  | { type: 'image'; url: string; mediaType?: string; data?: undefined };

export type ToolCallPart = { type: 'tool-call'; id: string; name: string; input: unknown };

export type ToolResultPart = { type: 'tool-result'; id: string; output: unknown; isError?: boolean };

export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart;

export type Message = {
  role: 'user' | 'assistant' | 'tool';
  content: string | ContentPart[];
  /** Marks the end of the stable prefix: with `cache: 'auto'` a cache breakpoint goes after it. */
  cache?: boolean;
};
