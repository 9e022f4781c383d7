import { Writable } from 'node:stream';
import { createClient } from '@reins/client';
import { type Simulator, startSimulator } from '@reins/simulator';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, open } from './helpers/backends.ts';

const OPENAI_KEY = 'sk-proj-StoreE2EOpenAIKey0123456789abcdef';
const ANTHROPIC_KEY = 'sk-ant-api03-StoreE2EAnthropicKey0123456789';
// A small but real PNG-sized payload: long enough that any leaked slice is unmistakable.
const IMAGE = Buffer.alloc(9000, 7).toString('base64');

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
});
afterAll(() => simulator.close());

function logCapture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, destination), text: () => lines.join('') };
}

describe.each(backends())('a real client call into the store on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it.each(['openai/gpt-5.6-luna', 'anthropic/claude-haiku-4-5'])(
    'a base64 image and an API key sent through %s never reach the database or the logs',
    async (model) => {
      const clientLogs = logCapture();
      const storeLogs = logCapture();
      const store = await open(backend.freshUrl(), { logger: storeLogs.logger, env: {} });
      const client = createClient({
        providers: {
          openai: { apiKey: OPENAI_KEY, baseURL: `${simulator.url}/v1` },
          anthropic: { apiKey: ANTHROPIC_KEY, baseURL: simulator.url },
        },
        logger: clientLogs.logger,
        sinks: [store.sink()],
      });
      const key = model.startsWith('openai') ? OPENAI_KEY : ANTHROPIC_KEY;
      const result = await client.generate({
        model,
        system: 'Describe images briefly.',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: `My key is ${key}; also see data:image/gif;base64,${IMAGE}` },
              { type: 'image', mediaType: 'image/png', data: IMAGE },
            ],
          },
        ],
        maxTokens: 50,
        metadata: {
          userId: 'alice',
          traceId: 'trace-e2e',
          template: { name: 'describe_image', version: '1.0.0' },
        },
      });
      await store.flush();

      const rows = (await sql<Record<string, unknown>>`select * from call_log`.execute(store.db)).rows;
      expect(rows).toHaveLength(1);
      const everything = [JSON.stringify(rows), clientLogs.text(), storeLogs.text()].join('\n');
      expect(everything).not.toContain(IMAGE.slice(0, 64));
      expect(everything).not.toContain(OPENAI_KEY);
      expect(everything).not.toContain(ANTHROPIC_KEY);

      const entry = await store.calls.get(result.callId);
      expect(entry).toMatchObject({
        callId: result.callId,
        traceId: 'trace-e2e',
        userId: 'alice',
        model: model.split('/')[1],
        provider: model.split('/')[0],
        template: { name: 'describe_image', version: '1.0.0' },
        responseText: result.text,
        usage: result.usage,
        costUsd: result.costUsd,
        status: 'ok',
      });
      expect(entry?.promptText).toMatch(
        /^\[system\] Describe images briefly\.\n\n\[user\] My key is \[REDACTED\]; also see \[image image\/gif 8\.8 KB sha256:[0-9a-f]{8}\]\n\[image image\/png 8\.8 KB sha256:[0-9a-f]{8}\]$/,
      );
      await store.close();
    },
  );
});
