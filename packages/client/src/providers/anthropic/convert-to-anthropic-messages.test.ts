import { describe, expect, it } from 'vitest';
import { buildAnthropicRequest } from './build-anthropic-request.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';
import { estimateAnthropicTokens } from './estimate-anthropic-tokens.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';

describe('convertToAnthropicMessages', () => {
  it('turns tool turns into user tool_result blocks, merges same-role turns and marks cache breakpoints', () => {
    const messages = convertToAnthropicMessages(
      [
        { role: 'user', content: 'Long document…', cache: true },
        { role: 'user', content: [{ type: 'image', url: 'data:image/png;base64,AAAA' }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'lookup', input: { q: 'x' } }] },
        { role: 'tool', content: [{ type: 'tool-result', id: 't1', output: 'nothing', isError: true }] },
      ],
      [0],
    );
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Long document…', cache_control: { type: 'ephemeral' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'lookup', input: { q: 'x' } }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 't1', content: 'nothing', is_error: true }],
      },
    ]);
  });
});

describe('buildAnthropicRequest', () => {
  it('never sends temperature, marks system and tools, asks for structured output natively or by a forced tool', () => {
    const base = {
      model: 'claude-haiku-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user' as const, content: 'Hi' }],
      temperature: 0.2,
      tools: [{ name: 'lookup', inputSchema: { type: 'object' } }],
      cache: { system: true, tools: true, ttl: '1h' as const },
    };
    const body = buildAnthropicRequest(base);
    expect(body).not.toHaveProperty('temperature');
    expect(body.max_tokens).toBe(4096);
    expect(body.system).toEqual([
      { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect(body.tools?.[0]).toMatchObject({ cache_control: { type: 'ephemeral', ttl: '1h' } });

    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const native = buildAnthropicRequest({
      ...base,
      responseFormat: { type: 'json-schema', name: 'r', schema, mode: 'native' },
    });
    expect(native.output_config).toEqual({
      format: { type: 'json_schema', schema: { ...schema, additionalProperties: false } },
    });
    const forced = buildAnthropicRequest({
      ...base,
      responseFormat: { type: 'json-schema', name: 'r', schema, mode: 'tool' },
    });
    expect(forced.tool_choice).toEqual({ type: 'tool', name: 'json_output' });
  });
});

describe('estimateAnthropicTokens', () => {
  it('counts ⌈characters / 3.5⌉ per text plus 3 per message', () => {
    expect(
      estimateAnthropicTokens({
        model: 'm',
        max_tokens: 1,
        messages: [{ role: 'user', content: 'Hello, Claude' }],
      }),
    ).toBe(7);
  });
});

describe('mapAnthropicFinishReason', () => {
  it('maps every stop reason', () => {
    expect(mapAnthropicFinishReason('end_turn')).toBe('stop');
    expect(mapAnthropicFinishReason('stop_sequence')).toBe('stop');
    expect(mapAnthropicFinishReason('max_tokens')).toBe('length');
    expect(mapAnthropicFinishReason('tool_use')).toBe('tool-calls');
    expect(mapAnthropicFinishReason('refusal')).toBe('content-filter');
    expect(mapAnthropicFinishReason('pause_turn')).toBe('other');
  });
});
