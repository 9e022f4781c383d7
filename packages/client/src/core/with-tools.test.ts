import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient } from '../create-client.ts';
import { createFakeProvider } from './fake-provider.ts';
import { tool } from './tool.ts';

describe('withTools (scripted provider)', () => {
  it('runs the calls of one turn concurrently and turns bad calls into error results', async () => {
    let running = 0;
    let peak = 0;
    const lookup = tool({
      description: 'Look up a word',
      input: z.object({ word: z.string() }),
      execute: async ({ word }) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
        return word.length;
      },
    });
    const call = (id: string, name: string, rawInput: string) => ({
      id,
      name,
      rawInput,
      input: rawInput.startsWith('{') && rawInput.endsWith('}') ? JSON.parse(rawInput) : undefined,
    });
    const fake = createFakeProvider([
      {
        finishReason: 'tool-calls',
        toolCalls: [
          call('1', 'lookup', '{"word":"alpha"}'),
          call('2', 'lookup', '{"word":"beta"}'),
          call('3', 'lookup', '{"word":"gamma"}'),
          call('4', 'lookup', '{"word":'),
          call('5', 'translate', '{}'),
          call('6', 'lookup', '{"word":7}'),
        ],
      },
      { text: 'Done.' },
    ]);
    const client = createClient({ providers: {}, adapters: { fake }, logger: false });
    const result = await client.withTools({ model: 'fake/model', prompt: 'Look them up', tools: { lookup } });
    expect(peak).toBe(3);
    expect(result.text).toBe('Done.');
    const outputs = result.steps[0]!.toolResults.map((entry) => [entry.isError, entry.output]);
    expect(outputs.slice(0, 3)).toEqual([
      [false, 5],
      [false, 4],
      [false, 5],
    ]);
    expect(outputs[3]![1]).toMatch(/not valid JSON/);
    expect(outputs[4]![1]).toMatch(/Unknown tool "translate"/);
    expect(outputs[5]![1]).toMatch(/Invalid arguments for tool "lookup":\n- word: /);
    // The second request carried every result back, errors flagged.
    const sent = fake.requests[1]!.messages.at(-1)!;
    expect(sent.role).toBe('tool');
    expect((sent.content as Array<{ isError?: boolean }>).filter((part) => part.isError)).toHaveLength(3);
  });

  it('stops after maxSteps with the pending calls answered', async () => {
    const fake = createFakeProvider([
      { finishReason: 'tool-calls', toolCalls: [{ id: 'a', name: 'noop', rawInput: '{}', input: {} }] },
    ]);
    const client = createClient({ providers: {}, adapters: { fake }, logger: false });
    const noop = tool({ input: z.object({}), execute: () => 'ok' });
    const result = await client.withTools({ model: 'fake/x', prompt: 'Loop', tools: { noop }, maxSteps: 3 });
    expect(result.steps).toHaveLength(3);
    expect(result.finishReason).toBe('tool-calls');
    expect(fake.requests).toHaveLength(3);
  });
});
