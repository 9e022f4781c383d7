import { describe, expect, it } from 'vitest';
import { flattenPrompt } from './flatten-prompt.ts';
import { createRedactor } from './redact-secrets.ts';
import { sanitizeRequest } from './sanitize-request.ts';

const png = Buffer.alloc(3000, 7).toString('base64');

describe('sanitizeRequest', () => {
  it('replaces base64 images and data URLs with a placeholder naming type, size and hash', () => {
    const safe = sanitizeRequest(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: `inline data:image/jpeg;base64,${png} end` },
              { type: 'image', mediaType: 'image/png', data: png },
            ],
          },
        ],
        params: {},
      },
      createRedactor(),
    );
    const text = JSON.stringify(safe);
    expect(text).not.toContain(png.slice(0, 100));
    expect(text).toMatch(/\[image image\/png 2\.9 KB sha256:[0-9a-f]{8}\]/);
    expect(text).toMatch(/inline \[image image\/jpeg 2\.9 KB sha256:[0-9a-f]{8}\] end/);
  });

  it('redacts provider keys and configured secrets everywhere, including tool inputs', () => {
    const redact = createRedactor(['hunter2-secret']);
    const safe = sanitizeRequest(
      {
        system: 'key sk-ant-api03-abcdefghijklmnop',
        messages: [
          { role: 'user', content: 'my key is sk-proj-ABCDEFGHIJKLMNOPQRST and hunter2-secret' },
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', id: '1', name: 'x', input: { auth: 'Bearer abcdefghijklmnopqrstuvwxyz' } },
            ],
          },
        ],
        params: {},
      },
      redact,
    );
    const text = JSON.stringify(safe);
    expect(text).not.toMatch(/sk-ant-api03|sk-proj-ABC|hunter2|abcdefghijklmnopqrstuvwxyz/);
    expect(text.match(/\[REDACTED\]/g)?.length).toBe(4);
  });
});

describe('flattenPrompt', () => {
  it('reads as a conversation', () => {
    expect(
      flattenPrompt('Be brief.', [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 'c1', name: 'weather', input: { city: 'Oslo' } }],
        },
        { role: 'tool', content: [{ type: 'tool-result', id: 'c1', output: 'rain' }] },
      ]),
    ).toBe(
      '[system] Be brief.\n\n[user] Weather?\n\n[assistant] [tool-call weather #c1] {"city":"Oslo"}\n\n[tool] [tool-result #c1] rain',
    );
  });
});
