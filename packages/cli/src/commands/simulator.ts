import { parseArgs } from 'node:util';
import { type SimulatorOptions, startSimulator } from '@reins/simulator';

const HELP = `Usage: reins simulator [options]

Runs the OpenAI + Anthropic wire-compatible simulator until Ctrl-C.

Options:
  --port N            port to listen on (default 4010; 0 picks a free one)
  --host HOST         interface to bind (default 127.0.0.1)
  --profile NAME      instant (default) or realistic
  --latency-scale X   multiply realistic waits by X (default 1)
  --faults SPEC       fault rates, e.g. 429:0.05,529:0.02,cut:0.02
  --seed N            seed of the fault draws (default 1)
  --keys K1,K2        accepted API keys (default: any non-empty key)
  --rpm N             requests per minute per API key and model
  --tpm N             tokens per minute per API key and model
  -h, --help          show this help

Per-request faults: send the header x-sim-faults: 429,500,ok (see docs/simulator.md).`;

/**
 * `reins simulator`: starts the simulator, prints how to point both SDKs at it, and runs until
 * SIGINT or SIGTERM, then closes cleanly.
 *
 * @example
 * // npx reins simulator --port 4010 --faults 429:0.05 --seed 7
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      profile: { type: 'string', default: 'instant' },
      'latency-scale': { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string', default: '1' },
      keys: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const profile = values.profile;
  if (profile !== 'instant' && profile !== 'realistic')
    throw new Error(`--profile must be instant or realistic, not '${profile}'`);
  const options: SimulatorOptions = {
    port: integer('--port', values.port),
    host: values.host,
    profile,
    faults: values.faults,
    seed: integer('--seed', values.seed),
    latencyScale:
      values['latency-scale'] === undefined ? undefined : number('--latency-scale', values['latency-scale']),
    keys: values.keys
      ?.split(',')
      .map((key) => key.trim())
      .filter(Boolean),
    rateLimits:
      values.rpm === undefined && values.tpm === undefined
        ? undefined
        : {
            rpm: values.rpm === undefined ? undefined : integer('--rpm', values.rpm),
            tpm: values.tpm === undefined ? undefined : integer('--tpm', values.tpm),
          },
  };
  const simulator = await startSimulator(options);
  const key = options.keys?.[0];
  console.log(`Reins simulator listening on ${simulator.url} (profile ${profile}, faults ${values.faults ?? 'none'}, seed ${options.seed})

  OpenAI SDK:     new OpenAI({ baseURL: '${simulator.url}/v1', apiKey: '${key ?? 'sk-sim'}' })
  Anthropic SDK:  new Anthropic({ baseURL: '${simulator.url}', apiKey: '${key ?? 'sk-ant-sim'}' })
  Environment:    OPENAI_BASE_URL=${simulator.url}/v1 ANTHROPIC_BASE_URL=${simulator.url}
  Faults:         header x-sim-faults: 429,500,ok   (steps: ok 429 500 503 529 reset stall cut cut:N error-event bad-json bad-tool-args filter overflow)
  Stats:          curl ${simulator.url}/_sim/stats

Press Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      console.log(`\n${signal}: closing the simulator`);
      simulator.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const stats = simulator.stats();
  console.log(
    `Served ${stats.requests} generation requests (${stats.inputTokens} input, ${stats.outputTokens} output tokens billed).`,
  );
}

function integer(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${flag} must be a non-negative integer, not '${text}'`);
  return value;
}

function number(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${flag} must be a non-negative number, not '${text}'`);
  return value;
}
