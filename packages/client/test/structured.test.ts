import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StructuredOutputError } from '../src/index.ts';
import { faults, type Harness, MODELS, startHarness } from './helpers.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const Person = z.object({
  name: z.string(),
  age: z.number().int().min(0).max(150),
  email: z.string().optional(),
  role: z.enum(['engineer', 'manager', 'other']),
});

describe.each(MODELS)('structured on %s', (model) => {
  it('returns a validated value through native structured output', async () => {
    const result = await harness.client.structured({
      model,
      prompt: 'Extract: Ada, 36, engineer.',
      schema: Person,
    });
    expect(Person.parse(result.value)).toEqual(result.value);
    expect(result.attempts).toBe(1);
    expect(JSON.parse(result.text)).toMatchObject({ name: result.value.name });
  });

  it('re-asks with the exact issues when the first answer violates the schema, and meters every attempt', async () => {
    harness.simulator.reset();
    harness.client.meter.reset();
    const before = harness.records.length;
    // An ambiguous prompt; the simulator's `bad-json` fault makes the first answer unparseable.
    const result = await harness.client.structured({
      model,
      prompt: 'Somebody, maybe in their thirties, does something technical. Describe them.',
      schema: Person,
      maxRetries: 2,
      headers: faults('bad-json,ok', 'structured'),
    });
    expect(Person.safeParse(result.value).success).toBe(true);
    expect(result.attempts).toBe(2);
    const stats = harness.simulator.stats();
    expect(stats.requests).toBe(2);
    expect(result.usage).toMatchObject({ inputTokens: stats.inputTokens, outputTokens: stats.outputTokens });
    const meter = harness.client.meter.snapshot();
    expect(meter).toMatchObject({ calls: 1, attempts: 2, inputTokens: stats.inputTokens });
    expect(meter.costUsd).toBe(result.costUsd);

    const records = harness.records.slice(before);
    expect(records.map((record) => [record.callId, record.attempt])).toEqual([
      [result.callId, 1],
      [result.callId, 2],
    ]);
    // The re-ask carried the bad answer and the parse issue back to the model.
    const reask = records[1]!.request.messages;
    expect(reask.at(-2)!.role).toBe('assistant');
    expect(String(reask.at(-1)!.content)).toMatch(
      /did not match the required JSON schema:\n- \(root\): The answer is not valid JSON/,
    );
  });

  it('throws StructuredOutputError with the last raw text and issues when out of re-asks', async () => {
    const error = await harness.client
      .structured({
        model,
        prompt: 'Describe someone.',
        schema: Person,
        maxRetries: 1,
        headers: faults('bad-json', 'always-bad'),
      })
      .catch((caught: unknown) => caught);
    expect(StructuredOutputError.isInstance(error)).toBe(true);
    const failure = error as StructuredOutputError;
    expect(failure.attempts).toBe(2);
    expect(failure.rawText).toMatch(/,}$/);
    expect(failure.issues[0]!.message).toMatch(/not valid JSON/);
    expect(failure.costUsd).toBeGreaterThan(0);
  });

  it('also works through a forced tool', async () => {
    const result = await harness.client.structured({
      model,
      prompt: 'Extract: Bo, 41, manager.',
      schema: Person,
      mode: 'tool',
    });
    expect(Person.safeParse(result.value).success).toBe(true);
  });
});
