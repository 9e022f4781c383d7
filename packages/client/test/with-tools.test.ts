import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tool } from '../src/index.ts';
import { faults, type Harness, MODELS, startHarness } from './helpers.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const executed: Array<{ city: string; unit: string }> = [];
const weather = tool({
  description: 'Current weather for a city',
  input: z.object({ city: z.string().min(1), unit: z.enum(['celsius', 'fahrenheit']) }),
  execute: async (input) => {
    executed.push(input);
    return { city: input.city, temperature: 21, unit: input.unit };
  },
});

describe.each(MODELS)('withTools on %s', (model) => {
  it('runs the loop: the model calls the tool, gets the result, answers', async () => {
    harness.simulator.reset();
    executed.length = 0;
    const result = await harness.client.withTools({
      model,
      prompt: 'What is the weather in Oslo today?',
      tools: { weather },
      maxSteps: 4,
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]!.toolCalls[0]!.name).toBe('weather');
    expect(result.steps[0]!.toolResults[0]).toMatchObject({ isError: false, output: { temperature: 21 } });
    expect(executed).toHaveLength(1);
    expect(result.text).toMatch(/tool result/i);
    expect(result.finishReason).toBe('stop');
    const stats = harness.simulator.stats();
    expect(stats.requests).toBe(2);
    expect(result.usage).toMatchObject({ inputTokens: stats.inputTokens, outputTokens: stats.outputTokens });
    expect(result.attempts).toBe(2);
    expect(new Set(result.steps.map((step) => step.callId)).size).toBe(2);
    expect(harness.client.meter.snapshot().byTrace[result.traceId]!.calls).toBe(2);
  });

  it('sends invalid tool arguments back to the model as an error result instead of throwing; the model corrects', async () => {
    executed.length = 0;
    const headers = faults('bad-tool-args,ok', 'tools');
    // The simulator answers in prose after any tool result unless a tool is required, so the
    // corrected call is observed with toolChoice 'required' and two steps.
    const result = await harness.client.withTools({
      model,
      prompt: 'What is the weather in Oslo today?',
      tools: { weather },
      toolChoice: 'required',
      maxSteps: 2,
      headers,
    });
    const [first, second] = result.steps;
    expect(first!.toolResults[0]!.isError).toBe(true);
    expect(String(first!.toolResults[0]!.output)).toMatch(/Invalid arguments for tool "weather"/);
    expect(second!.toolResults[0]).toMatchObject({ isError: false, output: { temperature: 21 } });
    expect(executed).toHaveLength(1);
    // The error result went to the model as a tool result, in the conversation it saw.
    const toolTurn = result.messages.find((message) => message.role === 'tool');
    expect(JSON.stringify(toolTurn)).toContain('"isError":true');
  });

  it('in the default flow, an invalid call gets an error result and the model corrects it', async () => {
    executed.length = 0;
    const result = await harness.client.withTools({
      model,
      prompt: 'What is the weather in Oslo today?',
      tools: { weather },
      headers: faults('bad-tool-args,ok', 'tools-prose'),
    });
    // The simulator's model calls the tool again with valid arguments after an error result.
    expect(result.steps.map((step) => step.toolResults.map((toolResult) => toolResult.isError))).toEqual([
      [true],
      [false],
      [],
    ]);
    expect(executed).toHaveLength(1);
    expect(result.text.length).toBeGreaterThan(0);
  });
});
