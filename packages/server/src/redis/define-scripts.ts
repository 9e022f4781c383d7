import type { Redis } from 'ioredis';

/** Runs a script defined by `defineScripts`: first its keys, then ARGV. */
export type ScriptCaller<Name extends string> = (
  name: Name,
  ...args: Array<string | number>
) => Promise<unknown>;

/**
 * Registers Lua scripts (taking `numberOfKeys` keys each) as ioredis commands — sent as `EVALSHA`, loaded on the
 * first `NOSCRIPT` — and returns a typed caller for them.
 *
 * @example
 * const call = defineScripts(redis, { hello: "return ARGV[1]" });
 * await call('hello', 'some-key', 'world'); // 'world'
 */
export function defineScripts<Name extends string>(
  redis: Redis,
  scripts: Record<Name, string>,
  numberOfKeys = 1,
): ScriptCaller<Name> {
  for (const [name, lua] of Object.entries<string>(scripts)) {
    redis.defineCommand(name, { numberOfKeys, lua });
  }
  const commands = redis as unknown as Record<Name, (...args: Array<string | number>) => Promise<unknown>>;
  return (name, ...args) => commands[name](...args);
}
