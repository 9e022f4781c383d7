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
    expect(call).toMatchObject({ finish: 'tool_calls', toolCalls: [{ name: 'weather_report' }] });
    expect(JSON.parse(call.toolCalls[0]?.arguments ?? '')).toEqual({ place: 'example place' });
    const after = planReply({ ...base, tools, toolResultText: 'Gale force winds' });
    expect(after.finish).toBe('stop');
    expect(after.text).toMatch(/^According to the tool result/);
    expect(
      planReply({ ...base, tools, toolChoice: { type: 'tool', name: 'send_email' } }).toolCalls[0]?.name,
    ).toBe('send_email');
    expect(planReply({ ...base, tools, toolChoice: { type: 'none' } }).toolCalls).toEqual([]);
  });

  describe('parallel tool calls', () => {
    const object = (property: string) => ({
      type: 'object',
      properties: { [property]: { type: 'string' } },
      required: [property],
    });
    const tools = [
      { name: 'get_weather', description: 'Weather for a city', schema: object('city') },
      { name: 'search_docs', description: 'Search the documentation', schema: object('query') },
      { name: 'send_email', description: 'Send an email', schema: object('to') },
    ];
    const userText = 'Use send_email, then get_weather, and get_weather again';

    it('calls each tool the prompt names, once, in the order of first mention', () => {
      const plan = planReply({ ...base, tools, userText });
      expect(plan.finish).toBe('tool_calls');
      expect(plan.toolCalls.map((call) => call.name)).toEqual(['send_email', 'get_weather']);
      expect(JSON.parse(plan.toolCalls[0]?.arguments ?? '')).toHaveProperty('to');
      expect(JSON.parse(plan.toolCalls[1]?.arguments ?? '')).toHaveProperty('city');
      expect(plan.outputTokens).toBe(
        plan.toolCalls.reduce(
          (sum, call) => sum + countO200kTokens(call.name) + countO200kTokens(call.arguments),
          0,
        ),
      );
      const all = planReply({ ...base, tools, userText: 'search_docs, get_weather and send_email' });
      expect(all.toolCalls.map((call) => call.name)).toEqual(['search_docs', 'get_weather', 'send_email']);
      expect(
        planReply({ ...base, tools, userText, toolChoice: { type: 'required' } }).toolCalls,
      ).toHaveLength(2);
    });

    it('calls one tool when parallel calls are off, a tool is forced, or one name is given', () => {
      expect(planReply({ ...base, tools, userText, parallelToolCalls: false }).toolCalls).toHaveLength(1);
      const forced = planReply({
        ...base,
        tools,
        userText,
        toolChoice: { type: 'tool', name: 'search_docs' },
      });
      expect(forced.toolCalls.map((call) => call.name)).toEqual(['search_docs']);
      expect(planReply({ ...base, tools, userText: 'Call get_weather for Oslo' }).toolCalls).toHaveLength(1);
    });

    it('answers in prose once the tool results are back', () => {
      const after = planReply({ ...base, tools, userText, toolResultText: 'Sent\nRainy, 12 degrees' });
      expect(after).toMatchObject({ finish: 'stop', toolCalls: [] });
      expect(after.text).toMatch(/^According to the tool result/);
    });

    it('breaks only the first call on bad-tool-args', () => {
      const plan = planReply({ ...base, tools, userText, fault: 'bad-tool-args' });
      expect(plan.appliedFault).toBe('bad-tool-args');
      expect(JSON.parse(plan.toolCalls[0]?.arguments ?? '')).not.toHaveProperty('to');
      expect(JSON.parse(plan.toolCalls[1]?.arguments ?? '')).toHaveProperty('city');
    });

    it('cuts the call max_tokens runs out in and drops the later ones', () => {
      const full = planReply({ ...base, tools, userText });
      const first = full.toolCalls[0] as { name: string; arguments: string };
      const firstTokens = countO200kTokens(first.name) + countO200kTokens(first.arguments);
      const cut = planReply({ ...base, tools, userText, maxTokens: firstTokens + 3 });
      expect(cut).toMatchObject({ finish: 'length', outputTokens: firstTokens + 3 });
      expect(cut.toolCalls[0]).toEqual(first);
      expect(cut.toolCalls[1]?.name).toBe('get_weather');
      expect(cut.toolCalls[1]?.arguments.length).toBeLessThan(full.toolCalls[1]?.arguments.length ?? 0);
      const exact = planReply({ ...base, tools, userText, maxTokens: firstTokens });
      expect(exact).toMatchObject({ finish: 'length', outputTokens: firstTokens, toolCalls: [first] });
    });
  });

  describe('after error results', () => {
    const object = (property: string) => ({
      type: 'object',
      properties: { [property]: { type: 'string' } },
      required: [property],
    });
    const tools = [
      { name: 'get_weather', description: 'Weather for a city', schema: object('city') },
      { name: 'search_docs', description: 'Search the documentation', schema: object('query') },
    ];
    const retry = { ...base, tools, toolResultText: 'Error: invalid arguments' };

    it('calls the failing tools again with schema-valid arguments, in the order of their results', () => {
      const plan = planReply({ ...retry, failingTools: [{ name: 'search_docs', rounds: 1 }] });
      expect(plan).toMatchObject({ finish: 'tool_calls', toolCalls: [{ name: 'search_docs' }] });
      expect(plan.appliedFault).toBeUndefined();
      expect(JSON.parse(plan.toolCalls[0]?.arguments ?? '')).toHaveProperty('query');
      const both = planReply({
        ...retry,
        failingTools: [
          { name: 'search_docs', rounds: 2 },
          { name: 'get_weather', rounds: 1 },
        ],
      });
      expect(both.toolCalls.map((call) => call.name)).toEqual(['search_docs', 'get_weather']);
      const single = planReply({
        ...retry,
        parallelToolCalls: false,
        failingTools: [
          { name: 'search_docs', rounds: 1 },
          { name: 'get_weather', rounds: 1 },
        ],
      });
      expect(single.toolCalls.map((call) => call.name)).toEqual(['search_docs']);
    });

    it('corrupts the retry again on bad-tool-args', () => {
      const plan = planReply({
        ...retry,
        fault: 'bad-tool-args',
        failingTools: [{ name: 'get_weather', rounds: 2 }],
      });
      expect(plan).toMatchObject({ appliedFault: 'bad-tool-args', toolCalls: [{ name: 'get_weather' }] });
      expect(JSON.parse(plan.toolCalls[0]?.arguments ?? '')).not.toHaveProperty('city');
    });

    it('gives up in prose after three error rounds, even on bad-tool-args', () => {
      for (const fault of ['ok', 'bad-tool-args'] as const) {
        const plan = planReply({ ...retry, fault, failingTools: [{ name: 'get_weather', rounds: 3 }] });
        expect(plan).toMatchObject({ finish: 'stop', toolCalls: [] });
        expect(plan.appliedFault).toBeUndefined();
        expect(plan.text).toMatch(
          /^The get_weather tool keeps failing: it returned an error 3 times in a row/,
        );
      }
      const mixed = planReply({
        ...retry,
        failingTools: [
          { name: 'get_weather', rounds: 3 },
          { name: 'search_docs', rounds: 1 },
        ],
      });
      expect(mixed.toolCalls.map((call) => call.name)).toEqual(['search_docs']);
      const two = planReply({
        ...retry,
        failingTools: [
          { name: 'get_weather', rounds: 4 },
          { name: 'search_docs', rounds: 3 },
        ],
      });
      expect(two.text).toMatch(/^The get_weather and search_docs tools keep failing/);
      expect(
        planReply({ ...retry, answerTokens: 80, failingTools: [{ name: 'get_weather', rounds: 3 }] })
          .outputTokens,
      ).toBe(80);
      const required = planReply({
        ...retry,
        toolChoice: { type: 'required' },
        failingTools: [{ name: 'get_weather', rounds: 3 }],
      });
      expect(required.finish).toBe('tool_calls');
    });

    it('answers as before when tools are off or the failing tool is no longer offered', () => {
      const none = planReply({
        ...retry,
        toolChoice: { type: 'none' },
        failingTools: [{ name: 'get_weather', rounds: 1 }],
      });
      expect(none.text).toMatch(/^According to the tool result/);
      const gone = planReply({ ...retry, failingTools: [{ name: 'send_email', rounds: 1 }] });
      expect(gone).toMatchObject({ finish: 'stop', toolCalls: [] });
      expect(gone.text).toMatch(/^According to the tool result/);
      const named = planReply({
        ...retry,
        toolChoice: { type: 'tool', name: 'search_docs' },
        failingTools: [{ name: 'get_weather', rounds: 1 }],
      });
      expect(named.toolCalls.map((call) => call.name)).toEqual(['search_docs']);
    });
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
    expect(JSON.parse(bad.toolCalls[0]?.arguments ?? '')).not.toHaveProperty('a');
    expect(planReply({ ...base, fault: 'bad-tool-args' }).appliedFault).toBeUndefined();
  });
});
