import type { ContentPart, Message } from '@reins/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/helpers/make-record.ts';
import { createTextGuard } from '../guard.ts';
import { CALL_LOG_COLUMNS, guardRowExactly, type NewCallLogRow, recordToRawRow } from './call-row.ts';
import { guardCallParameters } from './call-row-guard.ts';

const secrets = ['hunter2-secret', 'pa"ss\\word-9'];
const guard = createTextGuard(secrets, { OPENAI_API_KEY: 'env-openai-key-123456' });

// Pieces that, alone or side by side (also across JSON escaping), make something to redact or strip.
const piece = fc.oneof(
  fc.constantFrom(
    'plain words ',
    'sk-proj-ABCDEFGHIJKLMNOPQRST',
    'sk-ant-',
    'abcdefghijklmnop',
    'Bearer',
    'bearer ',
    'x-api-key',
    ': ',
    '"',
    "'",
    '\\',
    '\n',
    '\t',
    '\u0001',
    'data:',
    'image/png;base64,',
    'iVBORw0KGgoAAAANSUhEUg',
    'Q'.repeat(70),
    'hunter2-secret',
    'hunter2',
    'pa"ss\\word-9',
    'env-openai-key-123456',
    '"data":',
    // Keys that JSON escaping hides: only the unescaped request text shows them.
    'Bearer\nabcdefghijklmnop',
    'x-api-key\t= abcdefgh1234',
  ),
  fc.string({ maxLength: 12 }),
);
const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
const part: fc.Arbitrary<ContentPart> = fc.oneof(
  text.map((value) => ({ type: 'text' as const, text: value })),
  text.map((value) => ({ type: 'image' as const, mediaType: 'image/png', data: value })),
  text.map((value) => ({ type: 'image' as const, url: value })),
  fc
    .tuple(text, text)
    .map(([name, value]) => ({ type: 'tool-call' as const, id: 'c1', name, input: { value } })),
  text.map((value) => ({ type: 'tool-result' as const, id: 'c1', output: value })),
);
const message: fc.Arbitrary<Message> = fc.oneof(
  text.map((content) => ({ role: 'user' as const, content })),
  fc.array(part, { minLength: 1, maxLength: 3 }).map((content) => ({ role: 'assistant' as const, content })),
);
const rawRow = fc
  .record({
    system: fc.option(text, { nil: undefined }),
    messages: fc.array(message, { maxLength: 3 }),
    tool: fc.option(text, { nil: undefined }),
    stop: text,
    response: text,
    toolInput: fc.option(
      fc.oneof(
        text,
        text.map((data) => ({ type: 'image', data })),
      ),
      { nil: undefined },
    ),
    errorMessage: fc.option(text, { nil: null }),
    tag: text,
  })
  .map((drawn) =>
    recordToRawRow(
      makeRecord({
        request: {
          ...(drawn.system !== undefined ? { system: drawn.system } : {}),
          messages: drawn.messages,
          ...(drawn.tool !== undefined ? { tools: [{ name: 'lookup', description: drawn.tool }] } : {}),
          params: { stop: [drawn.stop] },
        },
        response: {
          text: drawn.response,
          toolCalls:
            drawn.toolInput === undefined
              ? []
              : [{ id: 't1', name: 'lookup', input: { q: drawn.toolInput } }],
          finishReason: 'stop',
        },
        errorMessage: drawn.errorMessage,
        metadata: { tags: [drawn.tag] },
      }),
    ),
  );

describe('recordToRawRow', () => {
  it('puts every field of the record in its own column', () => {
    const record = makeRecord({
      id: 'id-1',
      callId: 'call-2',
      attempt: 3,
      traceId: 'trace-4',
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      operation: 'stream',
      metadata: {
        userId: 'user-5',
        taskId: 'task-6',
        evalRunId: 'eval-7',
        tags: ['a', 'b'],
        template: { name: 'legal', version: '1.2.0', hash: 'sha256:abc', gitCommit: 'c0ffee' },
      },
      request: { system: 'sys', messages: [{ role: 'user', content: 'hi' }], params: {} },
      response: {
        text: 'hello',
        toolCalls: [{ id: 't1', name: 'lookup', input: {} }],
        finishReason: 'tool-calls',
      },
      usage: {
        inputTokens: 11,
        cachedInputTokens: 12,
        cacheWriteTokens: 13,
        outputTokens: 14,
        reasoningTokens: 15,
      },
      costUsd: 0.5,
      latencyMs: 16,
      ttftMs: 17,
      status: 'error',
      errorClass: 'RateLimitError',
      errorMessage: 'slow down',
      startedAt: '2025-01-02T03:04:05.678Z',
      simulated: false,
    });
    expect(recordToRawRow(record)).toEqual({
      id: 'id-1',
      call_id: 'call-2',
      attempt: 3,
      trace_id: 'trace-4',
      user_id: 'user-5',
      task_id: 'task-6',
      eval_run_id: 'eval-7',
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      operation: 'stream',
      template_name: 'legal',
      template_version: '1.2.0',
      template_hash: 'sha256:abc',
      template_commit: 'c0ffee',
      request_json: JSON.stringify(record.request),
      response_text: 'hello',
      tool_calls_json: JSON.stringify(record.response?.toolCalls),
      finish_reason: 'tool-calls',
      input_tokens: 11,
      cached_input_tokens: 12,
      cache_write_tokens: 13,
      output_tokens: 14,
      reasoning_tokens: 15,
      cost_usd: 0.5,
      latency_ms: 16,
      ttft_ms: 17,
      status: 'error',
      error_class: 'RateLimitError',
      error_message: 'slow down',
      tags: '["a","b"]',
      simulated: 0,
      created_at: '2025-01-02T03:04:05.678Z',
    });
  });
});

describe('guardCallParameters', () => {
  it('equals the exact path (parse, sanitize, rebuild, clean each column) on every row', () => {
    fc.assert(
      fc.property(rawRow, (row) => {
        const parameters = CALL_LOG_COLUMNS.map((column) => row[column] ?? null);
        guardCallParameters(parameters, { secrets: guard.secrets });
        const guarded = guardRowExactly({ ...row }, guard);
        expect(parameters).toEqual(CALL_LOG_COLUMNS.map((column) => guarded[column] ?? null));
      }),
      { numRuns: 1000 },
    );
  });

  it('over a batch of parameters (as the SQLite worker runs it) too', () => {
    fc.assert(
      fc.property(fc.array(rawRow, { minLength: 1, maxLength: 5 }), (rows) => {
        const parameters = rows.flatMap((row) => CALL_LOG_COLUMNS.map((column) => row[column] ?? null));
        guardCallParameters(parameters, { secrets: guard.secrets });
        const expected = rows.flatMap((row) => {
          const guarded = guardRowExactly({ ...row }, guard);
          return CALL_LOG_COLUMNS.map((column) => guarded[column] ?? null);
        });
        expect(parameters).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no image data, key or secret in any column', () => {
    const row: NewCallLogRow = recordToRawRow(
      makeRecord({
        request: {
          system: 'auth: Bearer\nabcdefghijklmnopqrstuvwxyz',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'line one\nkey sk-proj-ABCDEFGHIJKLMNOPQRST and "hunter2-secret"' },
                { type: 'image', mediaType: 'image/png', data: 'AAAA' },
              ],
            },
          ],
          tools: [{ name: 'lookup', description: 'send Bearer\n\tzyxwvutsrqponmlkjih' }],
          params: { stop: ['x-api-key\n= abcdefgh5678'] },
        },
        errorMessage: 'x-api-key: abcdefgh1234',
      }),
    );
    const parameters = CALL_LOG_COLUMNS.map((column) => row[column] ?? null);
    guardCallParameters(parameters, { secrets: guard.secrets });
    const guarded = JSON.stringify(parameters);
    expect(guarded).not.toMatch(
      /abcdefghijklmnopqrstuvwxyz|zyxwvutsrqponmlkjih|ABCDEFGHIJKLMNOPQRST|hunter2|abcdefgh1234|abcdefgh5678|"data"/,
    );
    expect(guarded).toMatch(/\[image image\/png 3 B sha256:[0-9a-f]{8}\]/);
  });
});
