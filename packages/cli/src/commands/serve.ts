import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, startServer } from '@reins/server';
import { pino } from 'pino';
import { stopOnSignals } from './stop-on-signals.ts';

const USAGE = `Usage: reins serve [--port N] [--host H]

Runs the HTTP API (docs at /docs, OpenAPI at /openapi.json) with the task queue.
Configuration comes from the environment and ./.env (see docs/server.md):
  REINS_PORT (8000), REINS_HOST (127.0.0.1), DATABASE_URL (sqlite:./data/reins.db),
  REDIS_URL (BullMQ queue; run 'reins worker' processes), OPENAI_API_KEY, ANTHROPIC_API_KEY
  (neither set: the built-in simulator answers as both), REINS_API_KEYS, …

Options:
  --port N     overrides REINS_PORT
  --host H     overrides REINS_HOST`;

/**
 * `reins serve`: the API on http://localhost:8000 by default, until SIGINT/SIGTERM, which drain
 * it gracefully (a second signal exits at once).
 *
 * @example
 * await run(['--port', '9000']);
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      env: {
        ...process.env,
        ...(values.port === undefined ? {} : { REINS_PORT: values.port }),
        ...(values.host === undefined ? {} : { REINS_HOST: values.host }),
      },
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'reins-server', pid: process.pid } });
  const running = await startServer(config, { logger });
  const providers = config.simulated ? 'simulated (no OPENAI_API_KEY or ANTHROPIC_API_KEY set)' : 'real';
  console.log(
    `reins serve: API on ${running.url} (docs ${running.url}/docs), providers ${providers}, queue ${running.server.queue.mode}`,
  );

  stopOnSignals(logger, 'shutting down: draining requests and tasks', () => running.close());
}
