import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { childProcesses } from './helpers/child-process.ts';

/*
 * Docker cannot run here, so this runs what the image runs: the Dockerfile's CMD from the
 * repository root (the image's WORKDIR holds the same tree) and its HEALTHCHECK against it, and
 * checks that the compose file's worker command and services match.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dockerfile = readFileSync(`${root}deploy/Dockerfile`, 'utf8');
const compose = parse(readFileSync(`${root}deploy/docker-compose.yml`, 'utf8')) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
};
const children = childProcesses();
afterAll(() => children.killAll());

function jsonArrayAfter(prefix: string): string[] {
  // An instruction starts its line; the health check's indented `CMD` continues another one.
  const line = dockerfile.split('\n').find((candidate) => candidate.startsWith(`${prefix} `));
  if (line === undefined) throw new Error(`no ${prefix} in the Dockerfile`);
  return JSON.parse(line.slice(prefix.length).trim()) as string[];
}

describe('deploy/Dockerfile and docker-compose.yml', () => {
  it("starts the API with the image's command and passes its health check", async () => {
    const [command, ...args] = jsonArrayAfter('CMD');
    expect(command).toBe('node');
    const port = String(20_000 + (process.pid % 10_000));
    const env = {
      REINS_HOST: '0.0.0.0',
      REINS_PORT: port,
      DATABASE_URL: 'sqlite::memory:',
      REDIS_URL: '',
      REINS_API_KEYS: 'ops:deploy-test-key-0123456789',
      REINS_LOG_LEVEL: 'warn',
    };
    const server = await children.start(`${root}${args[0]}`, env, /reins serve: /, args.slice(1));
    const healthcheck = dockerfile.split('\n').find((line) => line.includes('CMD ["node", "-e"'))!;
    const [, flag, script] = JSON.parse(healthcheck.trim().replace(/^CMD\s+/, '')) as string[];
    const result = spawnSync(process.execPath, [flag!, script!], {
      env: { ...process.env, REINS_PORT: port },
    });
    expect(result.status).toBe(0);
    await children.stop(server.child);
    expect(server.child.exitCode).toBe(0);
    const down = spawnSync(process.execPath, [flag!, script!], { env: { ...process.env, REINS_PORT: port } });
    expect(down.status).toBe(1);
  });

  it('runs server, two workers, PostgreSQL and Redis from one image', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'redis', 'server', 'worker']);
    expect(compose.services['worker']!.command).toEqual(['node', 'packages/cli/src/bin.ts', 'worker']);
    expect(jsonArrayAfter('CMD')).toEqual(['node', 'packages/cli/src/bin.ts', 'serve']);
    // Every package the image installs dependencies for exists.
    for (const match of dockerfile.matchAll(/^COPY (packages\/\S+\/package\.json)/gm)) {
      expect(() => readFileSync(`${root}${match[1]}`)).not.toThrow();
    }
  });
});
