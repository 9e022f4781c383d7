import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient } from '../create-client.ts';
import { createFakeProvider } from './fake-provider.ts';

describe('structured (scripted provider)', () => {
  it('re-asks with Zod issues (paths and messages), drops strict-mode nulls for optional fields', async () => {
    const fake = createFakeProvider([
      { text: '{"name":"Ada","age":"thirty-six"}' },
      { text: '```json\n{"name":"Ada","age":36,"nick":null}\n```' },
    ]);
    const client = createClient({ providers: {}, adapters: { fake }, logger: false });
    const schema = z.object({ name: z.string(), age: z.number(), nick: z.string().optional() });
    const result = await client.structured({ model: 'fake/m', prompt: 'Ada is 36', schema });
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.attempts).toBe(2);
    expect(String(fake.requests[1]!.messages.at(-1)!.content)).toContain(
      '- age: Invalid input: expected number, received string',
    );
    expect(fake.requests[0]!.responseFormat).toMatchObject({
      type: 'json-schema',
      name: 'response',
      mode: 'native',
    });
  });

  it('validates refinements the JSON schema cannot express', async () => {
    const fake = createFakeProvider([{ text: '{"start":5,"end":1}' }, { text: '{"start":1,"end":5}' }]);
    const client = createClient({ providers: {}, adapters: { fake }, logger: false });
    const range = z
      .object({ start: z.number(), end: z.number() })
      .refine((value) => value.end > value.start, { message: 'end must be after start', path: ['end'] });
    const result = await client.structured({ model: 'fake/m', prompt: 'A range', schema: range });
    expect(result.value).toEqual({ start: 1, end: 5 });
    expect(String(fake.requests[1]!.messages.at(-1)!.content)).toContain('- end: end must be after start');
  });
});
