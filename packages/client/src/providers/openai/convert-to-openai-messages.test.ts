import { describe, expect, it } from 'vitest';
import { buildOpenAIRequest } from './build-openai-request.ts';
import { convertToOpenAIMessages } from './convert-to-openai-messages.ts';
import { countOpenAITokens } from './count-openai-tokens.ts';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.ts';

describe('convertToOpenAIMessages', () => {
  it('converts images, tool calls and tool results', () => {
    expect(
      convertToOpenAIMessages('Be brief.', [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', mediaType: 'image/png', data: 'AAAA' },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'lookup', input: { q: 'x' } }] },
        {
          role: 'tool',
          content: [{ type: 'tool-result', id: 'c1', output: { found: false }, isError: true }],
        },
      ]),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'Error: {"found":false}' },
    ]);
  });
});

describe('buildOpenAIRequest', () => {
  it('uses max_completion_tokens and prompt_cache_key for OpenAI, max_tokens for compatible servers', () => {
    const request = {
      model: 'gpt-5.6-luna',
      messages: [{ role: 'user' as const, content: 'Hi' }],
      maxTokens: 100,
      cache: { promptCacheKey: 'reins:greeting' },
    };
    expect(buildOpenAIRequest(request, 'openai')).toMatchObject({
      max_completion_tokens: 100,
      prompt_cache_key: 'reins:greeting',
    });
    const compatible = buildOpenAIRequest(request, 'openai-compatible');
    expect(compatible).toMatchObject({ max_tokens: 100 });
    expect(compatible).not.toHaveProperty('prompt_cache_key');
  });
});

describe('countOpenAITokens', () => {
  it('counts the cookbook framing: 3 per message + role + content, 3 for the reply primer', () => {
    // user: 3 + 1 ("user") + 1 ("Hello") + 3 = 8
    expect(countOpenAITokens({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] })).toBe(8);
  });
});

describe('mapOpenAIFinishReason', () => {
  it('maps every reason, and a refusal to content-filter', () => {
    expect(mapOpenAIFinishReason('stop')).toBe('stop');
    expect(mapOpenAIFinishReason('length')).toBe('length');
    expect(mapOpenAIFinishReason('tool_calls')).toBe('tool-calls');
    expect(mapOpenAIFinishReason('content_filter')).toBe('content-filter');
    expect(mapOpenAIFinishReason('stop', true)).toBe('content-filter');
    expect(mapOpenAIFinishReason(null)).toBe('other');
  });
});
