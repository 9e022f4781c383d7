import { describe, expect, it } from 'vitest';
import { countO200kTokens, truncateO200k } from './o200k-tokens.ts';
import { planReply, type ReplyRequest } from './plan-reply.ts';

const base: ReplyRequest = {
  seed: 42,
  userText: 'Describe the lighthouse keeper and the storm',
  tools: [],
  toolChoice: { type: 'auto' },
  maxTokens: 1000,
  stop: [],
  fault: 'ok',
  countTokens: countO200kTokens,
  truncate: truncateO200k,
};

describe('planReply', () => {
  it('writes prose from the prompt words, deterministically', () => {
    const plan = planReply(base);
    expect(plan.finish).toBe('stop');
    expect(plan.text).toMatch(/lighthouse|keeper|storm|describe/);
    expect(plan.outputTokens).toBe(countO200kTokens(plan.text));
    expect(planReply(base)).toEqual(plan);
    expect(planReply({ ...base, seed: 43 }).text).not.toBe(plan.text);
  });

  it('truncates at max tokens and cuts at the earliest stop sequence', () => {
    expect(planReply({ ...base, maxTokens: 3 })).toMatchObject({ finish: 'length', outputTokens: 3 });
    const text = planReply(base).text;
    const word = text.split(' ')[3] as string;
    const stopped = planReply({ ...base, stop: ['zzz', word] });
    expect(stopped).toMatchObject({
      finish: 'stop_sequence',
      stopSequence: word,
      text: text.slice(0, text.indexOf(word)),
    });
  });

  it('forces a length with answerTokens', () => {
    expect(planReply({ ...base, answerTokens: 500 }).outputTokens).toBe(500);
  });

  it('calls the best-matching tool until a tool result comes back', () => {
    const tools = [
      {
        name: 'send_email',
        description: 'Send an email',
        schema: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] },
      },
      {
        name: 'weather_report',
        description: 'Report the storm weather',
        schema: { type: 'object', properties: { place: { type: 'string' } } },
      },
    ];
    const call = planReply({ ...base, tools });
    expect(call).toMatchObject({ finish: 'tool_calls', toolCall: { name: 'weather_report' } });
    expect(JSON.parse(call.toolCall?.arguments ?? '')).toEqual({ place: 'example place' });
    const after = planReply({ ...base, tools, toolResultText: 'Gale force winds' });
    expect(after.finish).toBe('stop');
    expect(after.text).toMatch(/^According to the tool result/);
    expect(
      planReply({ ...base, tools, toolChoice: { type: 'tool', name: 'send_email' } }).toolCall?.name,
    ).toBe('send_email');
    expect(planReply({ ...base, tools, toolChoice: { type: 'none' } }).toolCall).toBeUndefined();
  });

  it('applies the content faults', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    expect(() => JSON.parse(planReply({ ...base, outputSchema: schema, fault: 'bad-json' }).text)).toThrow();
    expect(() => JSON.parse(planReply({ ...base, fault: 'bad-json' }).text)).toThrow();
    const filtered = planReply({ ...base, fault: 'filter' });
    expect(filtered).toMatchObject({ finish: 'content_filter', appliedFault: 'filter' });
    const tools = [{ name: 't', description: '', schema }];
    const bad = planReply({ ...base, tools, toolResultText: 'done', fault: 'bad-tool-args' });
    expect(bad.appliedFault).toBe('bad-tool-args');
    expect(JSON.parse(bad.toolCall?.arguments ?? '')).not.toHaveProperty('a');
    expect(planReply({ ...base, fault: 'bad-tool-args' }).appliedFault).toBeUndefined();
  });
});
