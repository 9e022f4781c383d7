import {
  APIError as AnthropicAPIError,
  APIConnectionError as AnthropicConnectionError,
} from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { ContentFilterFinishReasonError } from 'openai/core/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Simulator, startSimulator } from '../src/index.ts';
import { anthropicClient, faults, openAIClient, schemaErrors, useSimulator } from './helpers.ts';

const simulator = useSimulator();
const prompt = 'Explain how ocean tides follow the moon';
const Answer = z.object({
  topic: z.string(),
  confidence: z.number().min(0).max(1),
  points: z.array(z.string()).min(1),
});
const toolSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
  required: ['city', 'days'],
  additionalProperties: false,
};

interface Outcome {
  text: string;
  finish: string | null | undefined;
  toolArguments?: string;
  chunks: number;
  stopDetails?: unknown;
}

interface CallOptions {
  stream: boolean;
  steps?: string;
  structured?: boolean;
  tools?: boolean;
  timeout?: number;
  maxRetries?: number;
}

/** Runs one request through the official SDK and reduces it to a provider-neutral outcome. */
interface Driver {
  name: 'openai' | 'anthropic';
  call(simulator: Simulator, options: CallOptions): Promise<Outcome>;
}

const openaiDriver: Driver = {
  name: 'openai',
  async call(sim, options) {
    const client = openAIClient(sim, { timeout: options.timeout, maxRetries: options.maxRetries ?? 0 });
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: prompt }],
      ...(options.structured ? { response_format: zodResponseFormat(Answer, 'answer') } : {}),
      ...(options.tools
        ? { tools: [{ type: 'function' as const, function: { name: 'plan_trip', parameters: toolSchema } }] }
        : {}),
    };
    const request = options.steps ? faults(options.steps) : {};
    if (!options.stream) {
      const completion = await client.chat.completions.create(body, request);
      const choice = completion.choices[0];
      const call = choice?.message.tool_calls?.[0];
      return {
        text: choice?.message.content ?? '',
        finish: choice?.finish_reason,
        toolArguments: call?.type === 'function' ? call.function.arguments : undefined,
        chunks: 1,
      };
    }
    const stream = await client.chat.completions.create({ ...body, stream: true }, request);
    const outcome: Outcome = { text: '', finish: undefined, chunks: 0 };
    for await (const chunk of stream) {
      outcome.chunks++;
      const choice = chunk.choices[0];
      outcome.text += choice?.delta.content ?? '';
      const argumentsDelta = choice?.delta.tool_calls?.[0]?.function?.arguments;
      if (argumentsDelta !== undefined)
        outcome.toolArguments = (outcome.toolArguments ?? '') + argumentsDelta;
      if (choice?.finish_reason) outcome.finish = choice.finish_reason;
    }
    return outcome;
  },
};

const anthropicDriver: Driver = {
  name: 'anthropic',
  async call(sim, options) {
    const client = anthropicClient(sim, { timeout: options.timeout, maxRetries: options.maxRetries ?? 0 });
    const body = {
      model: 'claude-haiku-4-5',
      max_tokens: 500,
      messages: [{ role: 'user' as const, content: prompt }],
      ...(options.structured ? { output_config: { format: zodOutputFormat(Answer) } } : {}),
      ...(options.tools
        ? {
            tools: [
              {
                name: 'plan_trip',
                description: 'Plan a trip',
                input_schema: toolSchema as { type: 'object' },
              },
            ],
          }
        : {}),
    };
    const request = options.steps ? faults(options.steps) : {};
    if (!options.stream) {
      const message = await client.messages.create(body, request);
      const block = message.content[0];
      return {
        text: block?.type === 'text' ? block.text : '',
        finish: message.stop_reason,
        toolArguments: block?.type === 'tool_use' ? JSON.stringify(block.input) : undefined,
        chunks: 1,
        stopDetails: message.stop_details,
      };
    }
    const stream = await client.messages.create({ ...body, stream: true }, request);
    const outcome: Outcome = { text: '', finish: undefined, chunks: 0 };
    for await (const event of stream) {
      outcome.chunks++;
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        outcome.text += event.delta.text;
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
        outcome.toolArguments = (outcome.toolArguments ?? '') + event.delta.partial_json;
      if (event.type === 'message_delta') {
        outcome.finish = event.delta.stop_reason;
        outcome.stopDetails = event.delta.stop_details;
      }
    }
    return outcome;
  },
};

const drivers = [openaiDriver, anthropicDriver];
const modes = [false, true];

describe.each(drivers)('fault steps on $name', (driver) => {
  const isOpenAI = driver.name === 'openai';
  const ErrorClass = isOpenAI ? APIError : AnthropicAPIError;
  const ConnectionError = isOpenAI ? APIConnectionError : AnthropicConnectionError;

  describe.each(modes)('stream: %s', (stream) => {
    it('ok serves a normal answer', async () => {
      const outcome = await driver.call(simulator.current, { stream, steps: 'ok' });
      expect(outcome.text.length).toBeGreaterThan(10);
      expect(outcome.finish).toBe(isOpenAI ? 'stop' : 'end_turn');
    });

    it('429 answers rate-limited with small retry-after and retry-after-ms', async () => {
      const error = await driver
        .call(simulator.current, { stream, steps: '429' })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ErrorClass);
      const apiError = error as InstanceType<typeof APIError>;
      expect(apiError.status).toBe(429);
      expect(apiError.headers?.get('retry-after')).toBe('0.05');
      expect(apiError.headers?.get('retry-after-ms')).toBe('50');
      expect(JSON.stringify(apiError.error)).toContain(isOpenAI ? 'rate_limit_exceeded' : 'rate_limit_error');
    });

    it.each(['500', '503', '529'])('%s answers the server error', async (status) => {
      const error = (await driver
        .call(simulator.current, { stream, steps: status })
        .catch((caught: unknown) => caught)) as InstanceType<typeof APIError>;
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error.status).toBe(Number(status));
      if (!isOpenAI)
        expect((error as unknown as { type: string }).type).toBe(
          status === '529' ? 'overloaded_error' : 'api_error',
        );
    });

    it('reset drops the connection before any header', async () => {
      await expect(driver.call(simulator.current, { stream, steps: 'reset' })).rejects.toBeInstanceOf(
        ConnectionError,
      );
    });

    it('stall holds the socket until the client times out', async () => {
      const error = await driver
        .call(simulator.current, { stream, steps: 'stall', timeout: 300 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toMatch(/timed out/i);
      if (isOpenAI) expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    });

    it('cut ends the connection mid-response', async () => {
      await expect(driver.call(simulator.current, { stream, steps: 'cut' })).rejects.toThrow();
    });

    it('bad-json returns output that is not JSON where JSON was asked for', async () => {
      const outcome = await driver.call(simulator.current, { stream, steps: 'bad-json', structured: true });
      expect(() => JSON.parse(outcome.text)).toThrow();
      const good = await driver.call(simulator.current, { stream, steps: 'ok', structured: true });
      expect(Answer.safeParse(JSON.parse(good.text)).success).toBe(true);
    });

    it('bad-tool-args returns JSON arguments that violate the tool schema', async () => {
      const outcome = await driver.call(simulator.current, { stream, steps: 'bad-tool-args', tools: true });
      expect(outcome.finish).toBe(isOpenAI ? 'tool_calls' : 'tool_use');
      expect(schemaErrors(toolSchema, JSON.parse(outcome.toolArguments ?? 'null')).length).toBeGreaterThan(0);
      const good = await driver.call(simulator.current, { stream, steps: 'ok', tools: true });
      expect(schemaErrors(toolSchema, JSON.parse(good.toolArguments ?? 'null'))).toEqual([]);
    });

    it('filter stops with content_filter / refusal', async () => {
      const outcome = await driver.call(simulator.current, { stream, steps: 'filter' });
      expect(outcome.finish).toBe(isOpenAI ? 'content_filter' : 'refusal');
      if (!isOpenAI) expect(outcome.stopDetails).toMatchObject({ type: 'refusal' });
    });

    it('overflow answers the context-length 400', async () => {
      const error = (await driver
        .call(simulator.current, { stream, steps: 'overflow' })
        .catch((caught: unknown) => caught)) as InstanceType<typeof APIError>;
      expect(error.status).toBe(400);
      if (isOpenAI) expect(error.code).toBe('context_length_exceeded');
      else expect(error.message).toMatch(/prompt is too long: \d+ tokens > 200000 maximum/);
    });
  });

  it('error-event sends the mid-stream error event after two content deltas', async () => {
    let chunks = 0;
    let text = '';
    const run = async () => {
      if (isOpenAI) {
        const stream = await openAIClient(simulator.current).chat.completions.create(
          { model: 'gpt-4o', messages: [{ role: 'user', content: prompt }], stream: true },
          faults('error-event'),
        );
        for await (const chunk of stream) {
          chunks++;
          text += chunk.choices[0]?.delta.content ?? '';
        }
      } else {
        const stream = await anthropicClient(simulator.current).messages.create(
          {
            model: 'claude-haiku-4-5',
            max_tokens: 300,
            messages: [{ role: 'user', content: prompt }],
            stream: true,
          },
          faults('error-event'),
        );
        for await (const event of stream) {
          chunks++;
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
            text += event.delta.text;
        }
      }
    };
    const error = await run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(chunks).toBe(isOpenAI ? 3 : 4);
    expect(text.split(' ').length).toBe(2);
    if (isOpenAI) expect((error as Error).message).toContain('The server had an error');
    else expect((error as { type?: string }).type).toBe('overloaded_error');
  });

  it('error-event on a non-streaming request answers 500', async () => {
    const error = (await driver
      .call(simulator.current, { stream: false, steps: 'error-event' })
      .catch((caught: unknown) => caught)) as InstanceType<typeof APIError>;
    expect(error.status).toBe(500);
  });

  it('cut:N delivers exactly N frames of the stream first', async () => {
    const outcome: Outcome = { text: '', finish: undefined, chunks: 0 };
    const run = async () => {
      if (isOpenAI) {
        const stream = await openAIClient(simulator.current).chat.completions.create(
          { model: 'gpt-4o', messages: [{ role: 'user', content: prompt }], stream: true },
          faults('cut:6'),
        );
        for await (const chunk of stream) {
          outcome.chunks++;
          outcome.text += chunk.choices[0]?.delta.content ?? '';
        }
      } else {
        const stream = await anthropicClient(simulator.current).messages.create(
          {
            model: 'claude-haiku-4-5',
            max_tokens: 300,
            messages: [{ role: 'user', content: prompt }],
            stream: true,
          },
          faults('cut:6'),
        );
        for await (const event of stream) {
          outcome.chunks++;
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
            outcome.text += event.delta.text;
        }
      }
    };
    await expect(run()).rejects.toThrow();
    // OpenAI: the role chunk and five content chunks. Anthropic: message_start, content_block_start,
    // (ping, which the SDK hides) and three deltas.
    expect(outcome.chunks).toBe(isOpenAI ? 6 : 5);
    expect(outcome.text.length).toBeGreaterThan(0);
  });

  it('walks a header sequence one step per request and repeats the last step, whatever the bodies', async () => {
    const steps = `429,500,ok;id=walk-${driver.name}`;
    const statuses: Array<number | string> = [];
    for (let index = 0; index < 4; index++) {
      const outcome = await (isOpenAI
        ? openAIClient(simulator.current).chat.completions.create(
            { model: 'gpt-4o', messages: [{ role: 'user', content: `question ${index}` }] },
            { headers: { 'x-sim-faults': steps } },
          )
        : anthropicClient(simulator.current).messages.create(
            {
              model: 'claude-haiku-4-5',
              max_tokens: 50,
              messages: [{ role: 'user', content: `question ${index}` }],
            },
            { headers: { 'x-sim-faults': steps } },
          )
      )
        .then(() => 'ok')
        .catch((error: { status: number }) => error.status);
      statuses.push(outcome);
    }
    expect(statuses).toEqual([429, 500, 'ok', 'ok']);
  });

  it('lets the SDK retry a 429 with retry-after and then succeed', async () => {
    const before = simulator.current.stats().faults['429'] ?? 0;
    const outcome = await driver.call(simulator.current, {
      stream: false,
      steps: '429,429,ok',
      maxRetries: 2,
    });
    expect(outcome.text.length).toBeGreaterThan(0);
    expect((simulator.current.stats().faults['429'] ?? 0) - before).toBe(2);
  });

  it('lets the SDK retry 5xx, a reset and a stream 529 and then succeed', async () => {
    const outcome = await driver.call(simulator.current, {
      stream: false,
      steps: '500,reset,ok',
      maxRetries: 2,
    });
    expect(outcome.text.length).toBeGreaterThan(0);
    const streamed = await driver.call(simulator.current, { stream: true, steps: '529,ok', maxRetries: 1 });
    expect(streamed.finish).toBe(isOpenAI ? 'stop' : 'end_turn');
  });

  it('gives each ;id= its own sequence', async () => {
    const a = await driver
      .call(simulator.current, { stream: false, steps: '429,ok' })
      .catch((error: { status: number }) => error.status);
    const b = await driver
      .call(simulator.current, { stream: false, steps: '429,ok' })
      .catch((error: { status: number }) => error.status);
    expect([a, b]).toEqual([429, 429]);
  });
});

describe('structured-output helpers under faults', () => {
  it('openai parse helper throws on content_filter and bad JSON', async () => {
    const client = openAIClient(simulator.current);
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: prompt }],
      response_format: zodResponseFormat(Answer, 'answer'),
    };
    await expect(client.chat.completions.parse(body, faults('filter'))).rejects.toBeInstanceOf(
      ContentFilterFinishReasonError,
    );
    await expect(client.chat.completions.parse(body, faults('bad-json'))).rejects.toThrow();
  });

  it('anthropic parse helper throws on bad JSON', async () => {
    const client = anthropicClient(simulator.current);
    await expect(
      client.messages.parse(
        {
          model: 'claude-haiku-4-5',
          max_tokens: 500,
          messages: [{ role: 'user', content: prompt }],
          output_config: { format: zodOutputFormat(Answer) },
        },
        faults('bad-json'),
      ),
    ).rejects.toThrow(/Failed to parse structured output/);
  });
});

describe('fault header validation', () => {
  it('answers 400 naming an unknown step', async () => {
    const error = await openAIClient(simulator.current)
      .chat.completions.create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-sim-faults': '429,explode' } },
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toContain("unknown fault step 'explode'");
  });
});

describe('rate faults from --faults with --seed', () => {
  async function outcomes(seed: number): Promise<Array<number | string>> {
    const sim = await startSimulator({ faults: '429:0.3,500:0.2', seed });
    try {
      const client = openAIClient(sim);
      const results: Array<number | string> = [];
      for (let index = 0; index < 40; index++) {
        results.push(
          await client.chat.completions
            .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
            .then(() => 'ok')
            .catch((error: { status: number }) => error.status),
        );
      }
      expect(sim.stats().faults['429']).toBe(results.filter((result) => result === 429).length);
      return results;
    } finally {
      await sim.close();
    }
  }

  it('serves faults at about the configured rates, repeatably for a seed', async () => {
    const first = await outcomes(7);
    const again = await outcomes(7);
    const other = await outcomes(8);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const failures = first.filter((result) => result !== 'ok').length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
    expect(first).toContain(429);
    expect(first).toContain(500);
  });

  it('refuses a malformed rate spec at start-up', async () => {
    await expect(startSimulator({ faults: '429:2' })).rejects.toThrow(/invalid fault rate/);
    await expect(startSimulator({ faults: 'boom:0.1' })).rejects.toThrow(/unknown fault step/);
    await expect(startSimulator({ faults: '429:0.7,500:0.6' })).rejects.toThrow(/sum to/);
  });
});

describe('stall and close()', () => {
  it('close() drops stalled connections instead of waiting for them', async () => {
    const sim = await startSimulator();
    const pending = fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk-stall',
        'content-type': 'application/json',
        'x-sim-faults': 'stall',
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    while ((sim.stats().faults['stall'] ?? 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await sim.close();
    await expect(pending).rejects.toThrow();
  });
});
