import type { z } from 'zod';

/**
 * What `execute` receives besides the validated input.
 *
 * @example
 * execute: async (input, { signal, toolCallId }) => fetch(url, { signal })
 */
export type ToolExecutionOptions = { toolCallId: string; signal: AbortSignal | undefined };

/**
 * A tool the model may call: a description, a Zod schema for its input (validated before
 * `execute` runs) and the function that does the work. Build one with `tool()`.
 *
 * @example
 * const tools: Record<string, Tool> = { weather: tool({ input: z.object({ city: z.string() }), execute: lookup }) };
 */
export type Tool<Schema extends z.ZodType = z.ZodType, Output = unknown> = {
  description?: string;
  input: Schema;
  execute: (input: z.output<Schema>, options: ToolExecutionOptions) => Output | Promise<Output>;
};

/**
 * Builds a tool with its input type inferred from the schema.
 *
 * @example
 * const weather = tool({
 *   description: 'Current weather for a city',
 *   input: z.object({ city: z.string() }),
 *   execute: async ({ city }) => ({ city, celsius: 21 }),
 * });
 * await client.withTools({ model, prompt: 'Weather in Oslo?', tools: { weather } });
 */
export function tool<Schema extends z.ZodType, Output>(
  definition: Tool<Schema, Output>,
): Tool<Schema, Output> {
  return definition;
}
