import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './create-client.ts';
import type { CallRecord } from './record/call-record.ts';

const saved = { openai: process.env['OPENAI_API_KEY'], anthropic: process.env['ANTHROPIC_API_KEY'] };
afterEach(() => {
  for (const [name, value] of [
    ['OPENAI_API_KEY', saved.openai],
    ['ANTHROPIC_API_KEY', saved.anthropic],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('createClient', () => {
  it('reads keys from the environment at the first call, not at creation', async () => {
    delete process.env['OPENAI_API_KEY'];
    delete process.env['ANTHROPIC_API_KEY'];
    const requested: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      requested.push(String(input));
      return new Response(JSON.stringify({ error: { message: 'nope' } }), { status: 500 });
    };
    const client = createClient({ logger: false, fetch });
    await expect(client.generate({ model: 'openai/gpt-4o', prompt: 'Hi' })).rejects.toMatchObject({
      name: 'AuthError',
      message: expect.stringContaining('OPENAI_API_KEY'),
    });
    await expect(
      client.generate({ model: 'anthropic/claude-haiku-4-5', prompt: 'Hi' }),
    ).rejects.toMatchObject({
      name: 'AuthError',
      message: expect.stringContaining('ANTHROPIC_API_KEY'),
    });
    expect(requested).toEqual([]);
  });

  it('redacts a key that only appeared in the environment after the client was built', async () => {
    delete process.env['ANTHROPIC_API_KEY'];
    const records: CallRecord[] = [];
    const fetch: typeof globalThis.fetch = async () =>
      new Response(
        JSON.stringify({
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-haiku-4-5',
          content: [{ type: 'text', text: 'ok' }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 5, output_tokens: 1 },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    const client = createClient({
      logger: false,
      fetch,
      sinks: [{ write: (record) => records.push(record) }],
    });
    process.env['ANTHROPIC_API_KEY'] = 'plain-env-secret-without-prefix';
    await client.generate({
      model: 'anthropic/claude-haiku-4-5',
      prompt: 'my key: plain-env-secret-without-prefix',
    });
    expect(JSON.stringify(records)).not.toContain('plain-env-secret');
  });

  it('needs a type for providers other than openai and anthropic', () => {
    expect(() => createClient({ providers: { mystery: {} } })).toThrow(/needs a type/);
  });
});
