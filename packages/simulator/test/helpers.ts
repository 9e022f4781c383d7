import Anthropic from '@anthropic-ai/sdk';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '../src/index.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Starts a simulator for the enclosing `describe` block and closes it afterwards. */
export function useSimulator(options: SimulatorOptions = {}): { readonly current: Simulator } {
  const holder: { current?: Simulator } = {};
  beforeAll(async () => {
    holder.current = await startSimulator({ port: 0, ...options });
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  return holder as { readonly current: Simulator };
}

export function openAIClient(
  simulator: Simulator,
  options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {},
): OpenAI {
  return new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: 'sk-test-openai', maxRetries: 0, ...options });
}

export function anthropicClient(
  simulator: Simulator,
  options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {},
): Anthropic {
  return new Anthropic({ baseURL: simulator.url, apiKey: 'sk-ant-test', maxRetries: 0, ...options });
}

/** Validates `value` against a JSON Schema (formats included) and returns the errors, if any. */
export function schemaErrors(schema: object, value: unknown): unknown[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return validate(value) ? [] : (validate.errors ?? []);
}

/** A unique `x-sim-faults` value for this test. */
let sequence = 0;
export function faults(steps: string): { headers: Record<string, string> } {
  sequence++;
  return { headers: { 'x-sim-faults': `${steps};id=${process.pid}-${sequence}` } };
}

/** Raw fetch against the simulator. */
export async function post(
  simulator: Simulator,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${simulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect raw provider bodies loosely.
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const OPENAI_AUTH = { authorization: 'Bearer sk-test-openai' };
export const ANTHROPIC_AUTH = { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' };
