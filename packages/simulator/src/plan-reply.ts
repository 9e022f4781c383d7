import { answerText, promptWords } from './answer-text.ts';
import { corruptJson, violateSchema } from './corrupt-output.ts';
import { type FailingTool, MAX_TOOL_ERROR_ROUNDS } from './failing-tools.ts';
import type { FaultKind } from './fault-step.ts';
import { jsonSchemaValue } from './json-schema-value.ts';
import { namedTools } from './named-tools.ts';

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
  /**
   * The tools whose results in the latest turn are errors, with their consecutive error rounds:
   * the model calls them again (below `MAX_TOOL_ERROR_ROUNDS`) instead of answering.
   */
  failingTools?: readonly FailingTool[];
  tools: readonly ReplyTool[];
  toolChoice: ReplyToolChoice;
  /**
   * `false` when the request disables parallel tool calls (OpenAI `parallel_tool_calls: false`,
   * Anthropic `disable_parallel_tool_use: true`); both APIs allow them by default.
   */
  parallelToolCalls?: boolean;
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

export interface ReplyToolCall {
  name: string;
  /** JSON text (cut short when `max_tokens` runs out inside it). */
  arguments: string;
}

export interface ReplyPlan {
  /** Prose or JSON content; empty when the reply calls tools. */
  text: string;
  /** The tool calls of the turn, in order; empty for a text reply. */
  toolCalls: readonly ReplyToolCall[];
  finish: 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'stop_sequence';
  stopSequence?: string;
  outputTokens: number;
  /** The content fault that shaped this reply, if any. */
  appliedFault?: 'bad-json' | 'bad-tool-args' | 'filter';
}

/**
 * Decides the answer to a request: tool calls (when tools are offered and the latest turn is
 * not a tool result, or a tool is forced), schema-valid JSON, or prose from the prompt's words;
 * then applies `max_tokens`, stop sequences and the content faults. A turn calls one tool, or,
 * when parallel calls are allowed and the user's text names two or more offered tools, each
 * named tool once in the order of their names. When the latest turn's results include errors,
 * the turn calls the failing tools again, until one has failed `MAX_TOOL_ERROR_ROUNDS` rounds
 * in a row: then the answer says the tool keeps failing.
 *
 * @example
 * planReply({ seed: 1, userText: 'Tell me about tides', tools: [], toolChoice: { type: 'auto' }, … });
 * // { text: 'Consider how tides …', finish: 'stop', outputTokens: 31 }
 */
export function planReply(request: ReplyRequest): ReplyPlan {
  const tools = chooseTools(request);
  if (tools.length > 0) return toolReply(request, tools);
  const exhausted = request.toolChoice.type === 'auto' ? offeredFailingTools(request).exhausted : [];
  let text: string;
  let appliedFault: ReplyPlan['appliedFault'];
  if (request.outputSchema !== undefined) {
    text = JSON.stringify(jsonSchemaValue(request.outputSchema, { seed: request.seed }));
  } else if (request.jsonObject) {
    text = JSON.stringify({ answer: exhausted.length > 0 ? givingUp(request, exhausted) : prose(request) });
  } else {
    text = exhausted.length > 0 ? givingUp(request, exhausted) : prose(request);
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
      toolCalls: [],
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

/** The prose answer once failing tools reached the error-round cap: they keep failing. */
function givingUp(request: ReplyRequest, exhausted: readonly FailingTool[]): string {
  const names = exhausted.map((tool) => tool.name);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const rounds = Math.min(...exhausted.map((tool) => tool.rounds));
  const text =
    names.length === 1
      ? `The ${list} tool keeps failing: it returned an error ${rounds} times in a row, so I stopped calling it and cannot complete this request with it. Please check the tool or its input and try again.`
      : `The ${list} tools keep failing: each returned an error ${rounds} times in a row, so I stopped calling them and cannot complete this request with them. Please check the tools or their input and try again.`;
  return request.answerTokens === undefined
    ? text
    : request.truncate(padTo(request, text), request.answerTokens);
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
      toolCalls: [],
      finish: 'stop_sequence',
      stopSequence,
      outputTokens: Math.max(1, request.countTokens(kept)),
    };
  }
  return {
    text,
    toolCalls: [],
    finish: truncated ? 'length' : 'stop',
    outputTokens: Math.max(1, truncated ? request.maxTokens : fullTokens),
  };
}

/** The tools the turn calls: none, one, or (parallel calls allowed) every tool the user names. */
function chooseTools(request: ReplyRequest): ReplyTool[] {
  const { tools, toolChoice } = request;
  const first = tools[0];
  if (first === undefined || toolChoice.type === 'none') return [];
  if (toolChoice.type === 'tool') return [tools.find((tool) => tool.name === toolChoice.name) ?? first];
  const { retry, exhausted } = offeredFailingTools(request);
  if (retry.length > 0) return request.parallelToolCalls === false ? retry.slice(0, 1) : retry;
  // At the cap the model gives up in prose, even under `bad-tool-args`, unless a tool is required.
  if (exhausted.length > 0 && toolChoice.type === 'auto') return [];
  const forced = toolChoice.type === 'required' || request.fault === 'bad-tool-args';
  if (request.toolResultText !== undefined && !forced) return [];
  if (request.parallelToolCalls !== false) {
    const named = namedTools(request.userText, tools);
    if (named.length >= 2) return named;
  }
  return [bestMatchingTool(request.userText, tools, first)];
}

/**
 * The offered tools whose latest results were errors, in the order of those results: `retry`
 * (below the error-round cap: the model calls them again) and `exhausted` (at the cap).
 */
function offeredFailingTools(request: ReplyRequest): { retry: ReplyTool[]; exhausted: FailingTool[] } {
  const retry: ReplyTool[] = [];
  const exhausted: FailingTool[] = [];
  for (const failing of request.failingTools ?? []) {
    const tool = request.tools.find((offered) => offered.name === failing.name);
    if (tool === undefined) continue;
    if (failing.rounds < MAX_TOOL_ERROR_ROUNDS) retry.push(tool);
    else exhausted.push(failing);
  }
  return { retry, exhausted };
}

/** The tool whose name and description share most words with the prompt (the first on a tie). */
function bestMatchingTool(userText: string, tools: readonly ReplyTool[], first: ReplyTool): ReplyTool {
  const words = new Set(promptWords(userText));
  let best = first;
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

/**
 * Calls `tools` in order with schema-valid arguments (`bad-tool-args` breaks the first call's
 * only). Output tokens are the sum over calls of tokens(name) + tokens(arguments); when
 * `max_tokens` runs out, the call it runs out in is cut short and later calls are dropped.
 */
function toolReply(request: ReplyRequest, tools: readonly ReplyTool[]): ReplyPlan {
  const badArguments = request.fault === 'bad-tool-args';
  const toolCalls: ReplyToolCall[] = [];
  let outputTokens = 0;
  let finish: ReplyPlan['finish'] = 'tool_calls';
  for (const [index, tool] of tools.entries()) {
    const remaining = request.maxTokens - outputTokens;
    if (index > 0 && remaining <= 0) {
      finish = 'length';
      break;
    }
    const value = jsonSchemaValue(tool.schema, { seed: request.seed + index });
    let args = JSON.stringify(badArguments && index === 0 ? violateSchema(tool.schema, value) : value);
    const nameTokens = request.countTokens(tool.name);
    const callTokens = nameTokens + request.countTokens(args);
    if (callTokens > remaining) {
      args = request.truncate(args, Math.max(0, remaining - nameTokens));
      toolCalls.push({ name: tool.name, arguments: args });
      outputTokens = request.maxTokens;
      finish = 'length';
      break;
    }
    toolCalls.push({ name: tool.name, arguments: args });
    outputTokens += callTokens;
  }
  return {
    text: '',
    toolCalls,
    finish,
    outputTokens: Math.max(1, outputTokens),
    appliedFault: badArguments ? 'bad-tool-args' : undefined,
  };
}
