import { z } from 'zod';

const TextPartSchema = z.strictObject({ type: z.literal('text'), text: z.string() });

const ImagePartSchema = z
  .strictObject({
    type: z.literal('image'),
    mediaType: z
      .string()
      .regex(/^image\/[a-z0-9.+-]+$/i, 'expected an image media type, e.g. image/png')
      .optional(),
    data: z.base64().optional().describe('base64, with mediaType'),
    url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .superRefine((part, context) => {
    if ((part.data === undefined) === (part.url === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['data'],
        message: 'send exactly one of data (base64) or url',
      });
    } else if (part.data !== undefined && part.mediaType === undefined) {
      context.addIssue({ code: 'custom', path: ['mediaType'], message: 'required with data' });
    }
  });

const ToolCallPartSchema = z.strictObject({
  type: z.literal('tool-call'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
});

const ToolResultPartSchema = z.strictObject({
  type: z.literal('tool-result'),
  id: z.string().min(1),
  output: z.unknown(),
  isError: z.boolean().optional(),
});

export const ContentPartSchema = z.discriminatedUnion('type', [
  TextPartSchema,
  ImagePartSchema,
  ToolCallPartSchema,
  ToolResultPartSchema,
]);

/** A chat message as `@reins/client` takes it: text or parts (text, image, tool call, tool result). */
export const MessageSchema = z
  .strictObject({
    role: z.enum(['user', 'assistant', 'tool']),
    content: z.union([z.string(), z.array(ContentPartSchema).min(1)]),
    cache: z.boolean().optional().describe('end of the stable prefix: a cache breakpoint goes after it'),
  })
  .meta({ id: 'Message' });
export type MessageBody = z.infer<typeof MessageSchema>;
