import { answerText, promptWords } from './answer-text.ts';
import { corruptJson, violateSchema } from './corrupt-output.ts';
import type { FaultKind } from './fault-step.ts';
import { jsonSchemaValue } from './json-schema-value.ts';

export interface ReplyTool {
  name: string;
  description: string;
  schema: unknown;
}

export type ReplyToolChoice = { type: 'auto' | 'none' | 'required' } | { type: 'tool'; name: string };

/** What a provider adapter extracts from a request so that both providers answer alike. */
export interface ReplyRequest {
  /** Hash of the conversation: the same conversation gets the same answer. */
  seed: number;
  /** Distinguishes conversations whose seeds collide; replies are cached under it. */
  fingerprint?: string;
  /** Text of the latest user turn. */
  userText: string;
  /** Set when the latest turn returns tool results: the model then answers in prose. */
  toolResultText?: string;
  tools: readonly ReplyTool[];
  toolChoice: ReplyToolChoice;
  /** A JSON Schema the answer must satisfy (OpenAI `json_schema`, Anthropic `output_config`). */
  outputSchema?: unknown;
  /** OpenAI `json_object` mode. */
  jsonObject?: boolean;
  maxTokens: number;
  stop: readonly string[];
  /** Forces the length of a prose answer (header `x-sim-answer-tokens`). */
  answerTokens?: number;
  fault: FaultKind;
  countTokens(text: string): number;
  truncate(text: string, maxTokens: number): string;
}

export interface ReplyPlan {
  /** Prose or JSON content; empty when the reply is only a tool call. */
  text: string;
  toolCall?: { name: string; arguments: string };
  finish: 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'stop_sequence';
  stopSequence?: string;
  outputTokens: number;
  /** The content fault that shaped this reply, if any. */
  appliedFault?: 'bad-json' | 'bad-tool-args' | 'filter';
}

/**
 * Decides the answer to a request: a tool call (when tools are offered and the latest turn is
 * not a tool result, or a tool is forced), schema-valid JSON, or prose from the prompt's words;
 * then applies `max_tokens`, stop sequences and the content faults.
 *
 * @example
 * planReply({ seed: 1, userText: 'Tell me about tides', tools: [], toolChoice: { type: 'auto' }, … });
 * // { text: 'Consider how tides …', finish: 'stop', outputTokens: 31 }
 */
export function planReply(request: ReplyRequest): ReplyPlan {
  const tool = chooseTool(request);
  if (tool) return toolReply(request, tool);
  let text: string;
  let appliedFault: ReplyPlan['appliedFault'];
  if (request.outputSchema !== undefined) {
    text = JSON.stringify(jsonSchemaValue(request.outputSchema, { seed: request.seed }));
  } else if (request.jsonObject) {
    text = JSON.stringify({ answer: prose(request) });
  } else {
    text = prose(request);
  }
  if (request.fault === 'bad-json') {
    text =
      request.outputSchema !== undefined || request.jsonObject ? corruptJson(text) : `{"answer": "${text}`;
    appliedFault = 'bad-json';
  }
  if (request.fault === 'filter') {
    const partial = text.split(' ').slice(0, 4).join(' ');
    return {
      text: partial,
      finish: 'content_filter',
      outputTokens: Math.max(1, request.countTokens(partial)),
      appliedFault: 'filter',
    };
  }
  return { ...limitText(request, text), appliedFault };
}

function prose(request: ReplyRequest): string {
  const source = request.toolResultText ?? request.userText;
  const words = promptWords(source);
  const target = request.answerTokens ?? 20 + (request.seed % 41);
  const text = answerText(words, request.seed, request.answerTokens === undefined ? target : target + 8);
  const body =
    request.toolResultText === undefined
      ? text
      : `According to the tool result, ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  return request.answerTokens === undefined
    ? body
    : request.truncate(padTo(request, body), request.answerTokens);
}

function padTo(request: ReplyRequest, text: string): string {
  let padded = text;
  for (let round = 1; request.countTokens(padded) < (request.answerTokens ?? 0) && round < 64; round++) {
    padded += ` ${answerText(promptWords(request.userText), request.seed + round, (request.answerTokens ?? 0) + 8)}`;
  }
  return padded;
}

function limitText(request: ReplyRequest, full: string): Omit<ReplyPlan, 'appliedFault'> {
  const fullTokens = request.countTokens(full);
  const truncated = fullTokens > request.maxTokens;
  const text = truncated ? request.truncate(full, request.maxTokens) : full;
  let cut = -1;
  let stopSequence: string | undefined;
  for (const stop of request.stop) {
    const index = stop === '' ? -1 : text.indexOf(stop);
    if (index >= 0 && (cut < 0 || index < cut)) {
      cut = index;
      stopSequence = stop;
    }
  }
  if (cut >= 0) {
    const kept = text.slice(0, cut);
    return {
      text: kept,
      finish: 'stop_sequence',
      stopSequence,
      outputTokens: Math.max(1, request.countTokens(kept)),
    };
  }
  return {
    text,
    finish: truncated ? 'length' : 'stop',
    outputTokens: Math.max(1, truncated ? request.maxTokens : fullTokens),
  };
}

function chooseTool(request: ReplyRequest): ReplyTool | undefined {
  const { tools, toolChoice } = request;
  if (tools.length === 0 || toolChoice.type === 'none') return undefined;
  if (toolChoice.type === 'tool') return tools.find((tool) => tool.name === toolChoice.name) ?? tools[0];
  const forced = toolChoice.type === 'required' || request.fault === 'bad-tool-args';
  if (request.toolResultText !== undefined && !forced) return undefined;
  const words = new Set(promptWords(request.userText));
  let best = tools[0];
  let bestScore = 0;
  for (const tool of tools) {
    const score = promptWords(`${tool.name.replace(/[_-]/g, ' ')} ${tool.description}`).filter((word) =>
      words.has(word),
    ).length;
    if (score > bestScore) {
      best = tool;
      bestScore = score;
    }
  }
  return best;
}

function toolReply(request: ReplyRequest, tool: ReplyTool): ReplyPlan {
  const value = jsonSchemaValue(tool.schema, { seed: request.seed });
  const badArguments = request.fault === 'bad-tool-args';
  let args = JSON.stringify(badArguments ? violateSchema(tool.schema, value) : value);
  const nameTokens = request.countTokens(tool.name);
  let outputTokens = nameTokens + request.countTokens(args);
  let finish: ReplyPlan['finish'] = 'tool_calls';
  if (outputTokens > request.maxTokens) {
    args = request.truncate(args, Math.max(0, request.maxTokens - nameTokens));
    outputTokens = request.maxTokens;
    finish = 'length';
  }
  return {
    text: '',
    toolCall: { name: tool.name, arguments: args },
    finish,
    outputTokens: Math.max(1, outputTokens),
    appliedFault: badArguments ? 'bad-tool-args' : undefined,
  };
}
