import { Writable } from 'node:stream';
import { type Simulator, type SimulatorOptions, startSimulator } from '@reins/simulator';
import { pino } from 'pino';
import { type CallRecord, type ClientConfig, createClient, type LLMClient } from '../src/index.ts';

export const OPENAI_KEY = 'sk-proj-reinsTestOpenAIKey0123456789';
export const ANTHROPIC_KEY = 'sk-ant-api03-reinsTestAnthropicKey0123456789';

export type Harness = {
  simulator: Simulator;
  client: LLMClient;
  /** Every pino line the client wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The raw log text, for "the key is not in it" checks. */
  logText: () => string;
  records: CallRecord[];
  close(): Promise<void>;
};

/**
 * Starts a simulator and a client wired to it through the official SDKs over real HTTP, with
 * the log captured through a pino destination stream and a memory sink.
 */
export async function startHarness(
  options: { simulator?: SimulatorOptions; client?: Partial<ClientConfig> } = {},
): Promise<Harness> {
  const simulator = await startSimulator({ port: 0, ...options.simulator });
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const records: CallRecord[] = [];
  const client = createClient({
    providers: {
      openai: { apiKey: OPENAI_KEY, baseURL: `${simulator.url}/v1` },
      anthropic: { apiKey: ANTHROPIC_KEY, baseURL: simulator.url },
      local: { type: 'openai-compatible', baseURL: `${simulator.url}/v1` },
    },
    logger: pino({ level: 'debug' }, destination),
    sinks: [{ write: (record) => records.push(record) }],
    ...options.client,
  });
  return {
    simulator,
    client,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => lines.join('\n'),
    records,
    close: () => simulator.close(),
  };
}

/** A unique `x-sim-faults` header: the sequence belongs to this test only. */
export function faults(steps: string, id: string): Record<string, string> {
  return { 'x-sim-faults': `${steps};id=${id}-${Math.random().toString(36).slice(2)}` };
}

export const MODELS = ['openai/gpt-5.6-luna', 'anthropic/claude-haiku-4-5'] as const;
