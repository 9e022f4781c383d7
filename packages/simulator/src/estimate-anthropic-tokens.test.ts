import { describe, expect, it } from 'vitest';
import {
  anthropicPromptSegments,
  anthropicTextTokens,
  estimateAnthropicTokens,
} from './estimate-anthropic-tokens.ts';

describe('estimateAnthropicTokens', () => {
  it('counts one token per 3.5 characters, rounded up', () => {
    expect(anthropicTextTokens('')).toBe(0);
    expect(anthropicTextTokens('abc')).toBe(1);
    expect(anthropicTextTokens('abcd')).toBe(2);
    expect(anthropicTextTokens('x'.repeat(35))).toBe(10);
  });

  it('follows the documented rule for tools, system, messages and blocks', () => {
    const tool = { name: 'lookup', description: 'Find a word', input_schema: { type: 'object' } };
    const body = {
      tools: [tool],
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Hello there' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'lookup', input: { q: 'sea' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: 'salt water' },
            { type: 'image', source: {} },
          ],
        },
      ],
    };
    const t = anthropicTextTokens;
    const expected =
      5 +
      t('lookup') +
      t('Find a word') +
      t('{"type":"object"}') +
      t('Be brief.') +
      3 +
      t('Hello there') +
      3 +
      3 +
      t('lookup') +
      t('{"q":"sea"}') +
      3 +
      3 +
      t('salt water') +
      1600;
    expect(estimateAnthropicTokens(body)).toBe(expected);
  });

  it('marks cache breakpoints, the top-level one on the last block, ignoring cache_control in the hashed text', () => {
    const segments = anthropicPromptSegments({
      system: [{ type: 'text', text: 'Rules', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [
        {
          role: 'user',
          content: [{ type: 'image', source: { data: 'x' }, cache_control: { type: 'ephemeral' } }],
        },
        { role: 'user', content: 'Last' },
      ],
      cache_control: { type: 'ephemeral' },
    });
    expect(segments.map((segment) => segment.cacheTtl)).toEqual(['1h', '5m', '5m']);
    expect(segments[1]?.text).not.toContain('cache_control');
  });
});
