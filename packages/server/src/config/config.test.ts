import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { ConfigError } from './config-error.ts';

function load(env: Record<string, string>) {
  return loadConfig({ env, dotenvDir: false });
}

function issuesOf(env: Record<string, string>) {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has working defaults for the embedded mode', () => {
    const config = load({});
    expect(config.port).toBe(8000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBe('sqlite:./data/reins.db');
    expect(config.simulated).toBe(true);
    expect(config.auth.required).toBe(false);
    expect(config.queue).toMatchObject({ concurrency: 4, maxAttempts: 3 });
  });

  it('names the variable and the value it refused', () => {
    const issues = issuesOf({ REINS_PORT: 'eighty', REINS_QUEUE_CONCURRENCY: '0' });
    expect(issues).toEqual([
      { variable: 'REINS_PORT', message: 'expected an integer between 0 and 65535 (got "eighty")' },
      { variable: 'REINS_QUEUE_CONCURRENCY', message: 'expected an integer between 1 and 1000 (got "0")' },
    ]);
    expect(() => load({ REINS_PORT: 'eighty' })).toThrow(/REINS_PORT/);
  });

  it('refuses placeholder secrets without echoing them', () => {
    const issues = issuesOf({ OPENAI_API_KEY: 'sk-your-key-here', ANTHROPIC_API_KEY: 'changeme' });
    expect(issues.map((issue) => issue.variable)).toEqual(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY']);
    expect(issues[0]!.message).toMatch(/placeholder/);
    expect(issues[0]!.message).not.toContain('sk-your');
  });

  it('refuses short, placeholder or duplicate API keys', () => {
    expect(issuesOf({ REINS_API_KEYS: 'alice:short' })[0]!.message).toMatch(/at least 16/);
    expect(issuesOf({ REINS_API_KEYS: 'alice:xxxxxxxxxxxxxxxxxxxx' })[0]!.message).toMatch(/placeholder/);
    expect(issuesOf({ REINS_API_KEYS: 'a:0123456789abcdef01,a:0123456789abcdef02' })[0]!.message).toMatch(
      /twice/,
    );
  });

  it('parses API keys with and without owners', () => {
    const config = load({ REINS_API_KEYS: 'alice:0123456789abcdef01, 0123456789abcdef02' });
    expect(config.auth.required).toBe(true);
    expect(config.auth.apiKeys[0]).toEqual({ owner: 'alice', key: '0123456789abcdef01' });
    expect(config.auth.apiKeys[1]!.owner).toMatch(/^key-[0-9a-f]{8}$/);
  });

  it('requires keys when bound beyond localhost, unless anonymous access is explicit', () => {
    expect(issuesOf({ REINS_HOST: '0.0.0.0' })[0]!.variable).toBe('REINS_API_KEYS');
    expect(load({ REINS_HOST: '0.0.0.0', REINS_ALLOW_ANONYMOUS: 'true' }).auth.required).toBe(false);
    expect(load({ REINS_HOST: '0.0.0.0', REINS_API_KEYS: '0123456789abcdef01' }).auth.required).toBe(true);
  });

  it('validates URLs and enums', () => {
    expect(issuesOf({ DATABASE_URL: 'mysql://x' })[0]!.variable).toBe('DATABASE_URL');
    expect(issuesOf({ REDIS_URL: 'http://x' })[0]!.variable).toBe('REDIS_URL');
    expect(issuesOf({ REINS_LOG_LEVEL: 'loud' })[0]!.variable).toBe('REINS_LOG_LEVEL');
    expect(load({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).databaseUrl).toMatch(
      /^postgres/,
    );
  });

  it('reads .env, and the real environment wins', () => {
    const directory = mkdtempSync(join(tmpdir(), 'reins-config-'));
    writeFileSync(join(directory, '.env'), 'REINS_PORT=9001\nREINS_HOST=localhost\n');
    const config = loadConfig({ env: { REINS_PORT: '9002' }, dotenvDir: directory });
    expect(config.port).toBe(9002);
    expect(config.host).toBe('localhost');
  });

  it('treats empty strings as unset', () => {
    expect(load({ OPENAI_API_KEY: '', REINS_PORT: '' }).port).toBe(8000);
  });

  it('turns off the simulator once a provider key is set', () => {
    const config = load({ OPENAI_API_KEY: 'sk-proj-a8f7d6c5b4a39281' });
    expect(config.simulated).toBe(false);
    expect(config.providers.openai?.apiKey).toBe('sk-proj-a8f7d6c5b4a39281');
    expect(config.providers.anthropic).toBeUndefined();
  });
});
