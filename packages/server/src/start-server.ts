import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createApp } from './app.ts';
import type { Config } from './config/config.ts';
import type { RuntimeOptions } from './runtime.ts';
import { createServerDeps, type ServerDeps } from './server-deps.ts';

export type RunningServer = {
  /** `http://host:port` as bound (port 0 resolved). */
  url: string;
  app: FastifyInstance;
  server: ServerDeps;
  /**
   * Graceful stop: stop accepting and finish in-flight requests (open streams are aborted), give
   * running tasks `shutdownGraceMs` to finish and re-queue the rest, flush the call log, close.
   */
  close(): Promise<void>;
};

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the API: deps, app, listen. `reins serve` is this plus signal handling.
 *
 * @example
 * const running = await startServer(loadConfig(), { logger });
 * console.log(`${running.url}/docs`);
 * process.once('SIGTERM', () => running.close());
 */
export async function startServer(
  config: Config,
  options: RuntimeOptions & { logger?: FastifyBaseLogger } = {},
): Promise<RunningServer> {
  const server = await createServerDeps(config, options);
  let app: FastifyInstance;
  try {
    app = await createApp(server.deps);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await server.close({ graceMs: 0 }).catch(() => {});
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${displayHost(config.host)}:${port}`,
    app,
    server,
    close() {
      closing ??= (async () => {
        await app.close();
        await server.close({ graceMs: config.shutdownGraceMs });
      })();
      return closing;
    },
  };
}
