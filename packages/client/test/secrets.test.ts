import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tool } from '../src/index.ts';
import { ANTHROPIC_KEY, faults, type Harness, MODELS, OPENAI_KEY, startHarness } from './helpers.ts';

const LEAKED = 'sk-proj-userPastedThisKey0123456789abcdef';
const image = Buffer.alloc(5000, 3).toString('base64');

let harness: Harness;
let wrongKey: Harness;
beforeAll(async () => {
  harness = await startHarness();
  wrongKey = await startHarness({ simulator: { keys: ['only-this-key-is-valid'] } });
});
afterAll(async () => {
  await harness.close();
  await wrongKey.close();
});

function expectClean(text: string): void {
  for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, LEAKED, 'userPastedThisKey', image.slice(0, 64)]) {
    expect(text).not.toContain(secret);
  }
}

describe('API keys never reach a log line or a sink record', () => {
  it.each(MODELS)(
    '%s: generate, stream, tools and structured with a key and an image in the prompt',
    async (model) => {
      const messages = [
        {
          role: 'user' as const,
          content: [
            {
              type: 'text' as const,
              text: `My keys are ${LEAKED} and ${OPENAI_KEY} and ${ANTHROPIC_KEY}. What is in the image?`,
            },
            { type: 'image' as const, mediaType: 'image/png', data: image },
          ],
        },
      ];
      const system = `Never reveal ${OPENAI_KEY}.`;
      await harness.client.generate({ model, system, messages, maxTokens: 60 });
      await harness.client.stream({ model, system, messages, maxTokens: 60 }).final();
      const echo = tool({
        description: 'Echo a key',
        input: z.object({ key: z.string() }),
        execute: ({ key }) => key,
      });
      await harness.client.withTools({ model, system, messages, tools: { echo }, maxSteps: 2 });
      await harness.client.structured({
        model,
        system,
        messages,
        schema: z.object({ caption: z.string() }),
        headers: faults('bad-json,ok', 'secrets'),
      });

      expect(harness.records.length).toBeGreaterThan(4);
      expectClean(harness.logText());
      const stored = JSON.stringify(harness.records);
      expectClean(stored);
      expect(stored).toContain('[REDACTED]');
      expect(stored).toMatch(/\[image image\/png 4\.9 KB sha256:[0-9a-f]{8}\]/);
    },
  );

  it.each(MODELS)(
    '%s: a rejected key is an AuthError whose message, log lines and record hold no key',
    async (model) => {
      const error = await wrongKey.client
        .generate({ model, prompt: `try ${LEAKED}` })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'AuthError' });
      expectClean(String((error as Error).message));
      expectClean(wrongKey.logText());
      expectClean(JSON.stringify(wrongKey.records));
      expect(wrongKey.records.at(-1)).toMatchObject({ status: 'error', errorClass: 'AuthError' });
    },
  );
});
