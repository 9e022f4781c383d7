import type { z } from 'zod';
import type { ContentPart, Message } from '../messages.ts';
import type { FinishReason, ProviderTool } from '../providers/provider.ts';
import type { Usage } from '../record/call-record.ts';
import { addUsage, emptyUsage } from './call-context.ts';
import type { ClientRuntime } from './client-runtime.ts';
import { generate } from './generate.ts';
import type { RequestOptions } from './request.ts';
import type { GenerateResult, ToolCall } from './result.ts';
import { toJsonSchema } from './to-json-schema.ts';
import type { Tool } from './tool.ts';

/**
 * `client.withTools`'s request: the common options plus the tools and the step limit.
 *
 * @example
 * await client.withTools({ model, prompt: 'Weather in Oslo?', tools: { weather }, maxSteps: 4 });
 */
export type WithToolsRequest = RequestOptions & {
  tools: Record<string, Tool>;
  /** Model turns at most (default 5); the loop stops earlier when the model answers in text. */
  maxSteps?: number;
  toolChoice?: 'auto' | 'required' | 'none';
};

/** What a tool call produced (`isError` when validation or `execute` failed): `steps[0].toolResults`. */
export type ToolResult = { id: string; name: string; input: unknown; output: unknown; isError: boolean };

/**
 * One model turn and the tool calls it asked for.
 *
 * @example
 * for (const step of result.steps) console.log(step.toolCalls.map((call) => call.name), step.costUsd);
 */
export type ToolStep = {
  text: string;
  toolCalls: ToolCall[];
  toolResults: ToolResult[];
  finishReason: FinishReason;
  usage: Usage;
  costUsd: number | null;
  callId: string;
  attempts: number;
};

/**
 * What `client.withTools` resolves to: the final text, every step, the whole conversation and the
 * totals over all turns.
 *
 * @example
 * const { text, steps, usage, costUsd } = await client.withTools(request);
 */
export type WithToolsResult = {
  text: string;
  steps: ToolStep[];
  /** The whole conversation, ready to continue. */
  messages: Message[];
  finishReason: FinishReason;
  usage: Usage;
  costUsd: number | null;
  estimate: GenerateResult['estimate'];
  traceId: string;
  /** The call id of the last model turn (each turn is its own call; all share `traceId`). */
  callId: string;
  attempts: number;
  latencyMs: number;
  ttftMs: number | null;
  model: string;
  provider: string;
};

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `- ${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}

async function runTool(
  tools: Record<string, Tool>,
  call: ToolCall & { rawInput?: string },
  signal: AbortSignal | undefined,
): Promise<ToolResult> {
  const base = { id: call.id, name: call.name, input: call.input };
  const definition = Object.hasOwn(tools, call.name) ? tools[call.name] : undefined;
  if (definition === undefined) {
    return {
      ...base,
      isError: true,
      output: `Unknown tool "${call.name}". Available: ${Object.keys(tools).join(', ')}.`,
    };
  }
  if (call.input === undefined) {
    return {
      ...base,
      isError: true,
      output: 'The arguments were not valid JSON. Call the tool again with a JSON object.',
    };
  }
  const parsed = definition.input.safeParse(call.input);
  if (!parsed.success) {
    return {
      ...base,
      isError: true,
      output: `Invalid arguments for tool "${call.name}":\n${describeIssues(parsed.error)}\nCall the tool again with corrected arguments.`,
    };
  }
  try {
    const output = await definition.execute(parsed.data, { toolCallId: call.id, signal });
    return { ...base, isError: false, output: output === undefined ? null : output };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    return {
      ...base,
      isError: true,
      output: `Tool "${call.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * `client.withTools`: the tool loop. Each model turn is one call; the tool calls of a turn run
 * concurrently; arguments are validated with each tool's Zod schema and invalid ones go back
 * to the model as an error result (so it can correct itself) instead of throwing. Stops when
 * the model answers without tool calls or after `maxSteps` turns.
 *
 * @example
 * const { text, steps, costUsd } = await withTools(runtime, {
 *   model: 'openai/gpt-5.6-luna', prompt: 'Weather in Oslo?', tools: { weather }, maxSteps: 4 });
 */
export async function withTools(runtime: ClientRuntime, request: WithToolsRequest): Promise<WithToolsResult> {
  const { tools, maxSteps = 5, toolChoice, ...options } = request;
  const providerTools: ProviderTool[] = Object.entries(tools).map(([name, definition]) => ({
    name,
    ...(definition.description !== undefined ? { description: definition.description } : {}),
    inputSchema: toJsonSchema(definition.input),
  }));

  const messages: Message[] = [...(options.messages ?? [])];
  if (options.prompt !== undefined) messages.push({ role: 'user', content: options.prompt });
  const traceId = options.metadata?.traceId ?? runtime.generateId();
  const metadata = { ...options.metadata, traceId };
  const startedAt = runtime.now();
  const steps: ToolStep[] = [];
  const usage = emptyUsage();
  let costUsd: number | null = 0;
  let attempts = 0;
  let first: GenerateResult | undefined;
  let last: GenerateResult | undefined;

  for (let stepNumber = 0; stepNumber < maxSteps; stepNumber++) {
    const { prompt: _prompt, ...rest } = options;
    const result = await generate(runtime, { ...rest, messages: [...messages], metadata }, 'tools', {
      tools: providerTools,
      ...(toolChoice !== undefined ? { toolChoice } : {}),
    });
    first ??= result;
    last = result;
    addUsage(usage, result.usage);
    costUsd =
      costUsd === null || result.costUsd === null
        ? null
        : Math.round((costUsd + result.costUsd) * 1e12) / 1e12;
    attempts += result.attempts;

    const assistant: ContentPart[] = [];
    if (result.text !== '') assistant.push({ type: 'text', text: result.text });
    for (const call of result.toolCalls)
      assistant.push({ type: 'tool-call', id: call.id, name: call.name, input: call.input ?? {} });
    if (assistant.length > 0) messages.push({ role: 'assistant', content: assistant });

    const toolResults =
      result.toolCalls.length === 0
        ? []
        : await Promise.all(result.toolCalls.map((call) => runTool(tools, call, options.signal)));
    steps.push({
      text: result.text,
      toolCalls: result.toolCalls,
      toolResults,
      finishReason: result.finishReason,
      usage: result.usage,
      costUsd: result.costUsd,
      callId: result.callId,
      attempts: result.attempts,
    });
    if (toolResults.length === 0) break;
    messages.push({
      role: 'tool',
      content: toolResults.map((toolResult) => ({
        type: 'tool-result' as const,
        id: toolResult.id,
        output: toolResult.output,
        ...(toolResult.isError ? { isError: true } : {}),
      })),
    });
  }
  const final = last!;
  return {
    text: final.text,
    steps,
    messages,
    finishReason: final.finishReason,
    usage,
    costUsd,
    estimate: first!.estimate,
    traceId,
    callId: final.callId,
    attempts,
    latencyMs: runtime.now() - startedAt,
    ttftMs: first!.ttftMs,
    model: final.model,
    provider: final.provider,
  };
}
