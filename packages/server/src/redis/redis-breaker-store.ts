import type {
  BreakerConfig,
  BreakerPermit,
  BreakerStatus,
  BreakerStore,
  BreakerTransition,
} from '@reins/client';
import type { Redis } from 'ioredis';
import { defineScripts } from './define-scripts.ts';
import { REDIS_CLOCK_LUA } from './redis-clock.ts';

const BUCKETS = 10;

/*
 * The in-memory breaker's state machine (`createMemoryBreakerStore`), one Lua script per method
 * over a hash per key: st (closed | open | half-open), c (consecutive failures), o (opened at),
 * ps (probe started at; -1 none), and the window's ten slices i<n> (slice id), q<n> (outcomes),
 * f<n> (failures). KEYS: 1 the entry, 2 the index of entries (a sorted set by last write, read
 * by `status`). ARGV: 1 now ('' = Redis TIME), 2 failureThreshold, 3 failureRate,
 * 4 minimumRequests, 5 windowMs, 6 cooldownMs, 7 ttl, 8 probe (1/0), 9 the index member.
 * Times go back as strings: a Lua number becomes an integer reply, losing the fraction. Outcomes
 * answer { from, to, state now } (from/to empty when nothing changed).
 */
const PRELUDE = `${REDIS_CLOCK_LUA}
local key = KEYS[1]
local index = KEYS[2]
local now = clock(ARGV[1])
local threshold = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local minimum = tonumber(ARGV[4])
local windowMs = tonumber(ARGV[5])
local cooldown = tonumber(ARGV[6])
local ttl = tonumber(ARGV[7])
local probe = ARGV[8] == '1'
local member = ARGV[9]
local BUCKETS = ${BUCKETS}
local e = {}
local function load()
  local raw = redis.call('HGETALL', key)
  for i = 1, #raw, 2 do e[raw[i]] = raw[i + 1] end
  e.st = e.st or 'closed'
  e.c = tonumber(e.c or '0')
  e.o = tonumber(e.o or '-1')
  e.ps = tonumber(e.ps or '-1')
  for i = 0, BUCKETS - 1 do
    e['i' .. i] = tonumber(e['i' .. i] or '-1')
    e['q' .. i] = tonumber(e['q' .. i] or '0')
    e['f' .. i] = tonumber(e['f' .. i] or '0')
  end
end
local function save()
  local fields = {}
  for name, value in pairs(e) do
    fields[#fields + 1] = name
    fields[#fields + 1] = value
  end
  redis.call('HSET', key, unpack(fields))
  redis.call('PEXPIRE', key, ttl)
  redis.call('ZADD', index, now, member)
  redis.call('PEXPIRE', index, ttl)
end
local function count(failed)
  local slice = math.floor(now / (windowMs / BUCKETS))
  local i = slice % BUCKETS
  if e['i' .. i] ~= slice then
    e['i' .. i] = slice
    e['q' .. i] = 0
    e['f' .. i] = 0
  end
  e['q' .. i] = e['q' .. i] + 1
  if failed then e['f' .. i] = e['f' .. i] + 1 end
end
local function totals()
  local current = math.floor(now / (windowMs / BUCKETS))
  local requests, failures = 0, 0
  for i = 0, BUCKETS - 1 do
    local id = e['i' .. i]
    if id >= 0 and current - id < BUCKETS then
      requests = requests + e['q' .. i]
      failures = failures + e['f' .. i]
    end
  end
  return requests, failures
end
local function open()
  local from = e.st
  e.st = 'open'
  e.o = now
  e.ps = -1
  for i = 0, BUCKETS - 1 do
    e['i' .. i] = -1
    e['q' .. i] = 0
    e['f' .. i] = 0
  end
  save()
  if from == 'open' then return {'', '', 'open'} end
  return {from, 'open', 'open'}
end
`;

// Closed (the common case) costs one HGET; only open and half-open load the entry.
const ACQUIRE = `${PRELUDE}
local state = redis.call('HGET', key, 'st')
if not state or state == 'closed' then return {1, 0, '0'} end
load()
if e.st == 'open' then
  local retry = e.o + cooldown - now
  if retry > 0 then return {0, 0, tostring(retry)} end
  e.st = 'half-open'
  e.ps = now
  save()
  return {1, 1, '0'}
end
if e.ps < 0 or now - e.ps >= cooldown then
  e.ps = now
  save()
  return {1, 1, '0'}
end
return {0, 0, tostring(e.ps + cooldown - now)}
`;

// The hot path — a success while closed — touches only the counters it changes.
const ON_SUCCESS = `${PRELUDE}
local state = redis.call('HGET', key, 'st')
if not state or state == 'closed' then
  local slice = math.floor(now / (windowMs / BUCKETS))
  local i = slice % BUCKETS
  if tonumber(redis.call('HGET', key, 'i' .. i) or '-1') == slice then
    redis.call('HINCRBY', key, 'q' .. i, 1)
    redis.call('HSET', key, 'c', 0)
  else
    redis.call('HSET', key, 'st', 'closed', 'c', 0, 'i' .. i, slice, 'q' .. i, 1, 'f' .. i, 0)
  end
  redis.call('PEXPIRE', key, ttl)
  redis.call('ZADD', index, now, member)
  redis.call('PEXPIRE', index, ttl)
  return {'', '', 'closed'}
end
load()
e.c = 0
if e.st == 'half-open' and probe then
  e.st = 'closed'
  e.ps = -1
  save()
  return {'half-open', 'closed', 'closed'}
end
if e.st == 'closed' then count(false) end
save()
return {'', '', e.st}
`;

const ON_FAILURE = `${PRELUDE}
load()
e.c = e.c + 1
if e.st == 'half-open' then
  if probe then return open() end
  save()
  return {'', '', e.st}
end
if e.st == 'open' then
  save()
  return {'', '', e.st}
end
count(true)
if e.c >= threshold then return open() end
local requests, failures = totals()
if requests >= minimum and failures / requests >= rate then return open() end
save()
return {'', '', e.st}
`;

const RELEASE = `
if ARGV[1] == '1' and redis.call('HGET', KEYS[1], 'st') == 'half-open' then
  redis.call('HSET', KEYS[1], 'ps', -1)
end
return 0
`;

const SCRIPTS = {
  reinsBreakerAcquire: ACQUIRE,
  reinsBreakerSuccess: ON_SUCCESS,
  reinsBreakerFailure: ON_FAILURE,
  reinsBreakerRelease: RELEASE,
};

export type RedisBreakerStoreOptions = {
  redis: Redis;
  /** Key prefix, e.g. `reins:breaker`; entries are `<prefix>:<identity>:<provider/model>`. */
  prefix: string;
  /** The account or endpoint a `provider/model` key belongs to (see `providerIdentities`). */
  identity?: (key: string) => string;
  /** The breaker's clock in ms. Default: Redis's `TIME`, shared by every worker. Tests inject one. */
  clock?: () => number;
  /**
   * How long (ms, default 100) an answer "closed" from Redis lets this process admit calls without
   * asking again: the common case then costs no round trip before a call. Every outcome this
   * process reports refreshes it (or drops it when the breaker is no longer closed); a failure
   * drops it at once. So a circuit opened elsewhere stops this process within `closedCacheMs` or
   * its next reported outcome, whichever comes first. 0 asks Redis on every call.
   */
  closedCacheMs?: number;
  /** The clock of `closedCacheMs` (this process's; default `performance.now`). */
  localNow?: () => number;
};

/** How long an untouched entry lives: long past any window or cooldown, so expiry never changes a state. */
function ttlOf(config: BreakerConfig): number {
  return Math.max(600_000, 4 * Math.max(config.windowMs, config.cooldownMs));
}

function transition(reply: string[]): BreakerTransition {
  const [from, to] = reply;
  return from === undefined || to === undefined || from === ''
    ? undefined
    : ({ from, to } as NonNullable<BreakerTransition>);
}

/**
 * A `BreakerStore` in Redis: every worker on the same Redis sees one breaker per account and
 * `provider/model`. Each method is one atomic Lua script (one round trip); opening, and claiming
 * the half-open probe, happen inside a script, so exactly one worker probes. A closed breaker is
 * remembered for `closedCacheMs`, so most calls pass it without a round trip.
 *
 * @example
 * const store = createRedisBreakerStore({ redis, prefix: 'reins:breaker' });
 * const client = createClient({ breaker: { failureThreshold: 5, store } });
 */
export function createRedisBreakerStore(options: RedisBreakerStoreOptions): BreakerStore {
  const { redis, clock } = options;
  const call = defineScripts(redis, SCRIPTS, 2);
  const identity = options.identity ?? (() => 'default');
  const indexKey = `${options.prefix}:index`;
  const entryKey = (key: string) => `${options.prefix}:${identity(key)}:${key}`;
  const run = (name: keyof typeof SCRIPTS, key: string, config: BreakerConfig, probe: boolean) =>
    call(
      name,
      entryKey(key),
      indexKey,
      clock === undefined ? '' : clock(),
      config.failureThreshold,
      config.failureRate,
      config.minimumRequests,
      config.windowMs,
      config.cooldownMs,
      ttlOf(config),
      probe ? 1 : 0,
      key,
    );
  const closedCacheMs = options.closedCacheMs ?? 100;
  const localNow = options.localNow ?? (() => performance.now());
  // key → when Redis last said "closed" (local clock).
  const closedSince = new Map<string, number>();
  const remember = (key: string, state: string | undefined) => {
    if (state === 'closed' && closedCacheMs > 0) closedSince.set(key, localNow());
    else closedSince.delete(key);
  };
  const outcome = async (
    name: 'reinsBreakerSuccess' | 'reinsBreakerFailure',
    key: string,
    config: BreakerConfig,
    probe: boolean,
  ) => {
    const reply = (await run(name, key, config, probe)) as string[];
    remember(key, reply[2]);
    return transition(reply);
  };
  const serverNow = async () => {
    if (clock !== undefined) return clock();
    const [seconds, micros] = await redis.time();
    return Number(seconds) * 1000 + Number(micros) / 1000;
  };
  return {
    acquire(key, _now, config): BreakerPermit | Promise<BreakerPermit> {
      const since = closedSince.get(key);
      if (since !== undefined && localNow() - since < closedCacheMs) return { allowed: true, probe: false };
      return run('reinsBreakerAcquire', key, config, false).then((reply) => {
        const [allowed, probe, retryInMs] = reply as [number, number, string];
        remember(key, allowed === 1 && probe === 0 ? 'closed' : undefined);
        return allowed === 1
          ? { allowed: true, probe: probe === 1 }
          : { allowed: false, retryInMs: Number(retryInMs) };
      });
    },
    onSuccess: (key, _now, config, probe) => outcome('reinsBreakerSuccess', key, config, probe),
    onFailure(key, _now, config, probe) {
      // It may open the circuit: ask Redis again from the next call on.
      closedSince.delete(key);
      return outcome('reinsBreakerFailure', key, config, probe);
    },
    async release(key, probe) {
      await call('reinsBreakerRelease', entryKey(key), indexKey, probe ? 1 : 0);
    },
    async status(now, config) {
      const at = await serverNow();
      await redis.zremrangebyscore(indexKey, '-inf', String(at - ttlOf(config)));
      const keys = await redis.zrange(indexKey, '0', '-1');
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hgetall(entryKey(key));
      const entries = (await pipeline.exec()) ?? [];
      const current = Math.floor(at / (config.windowMs / BUCKETS));
      const result: Record<string, BreakerStatus> = {};
      keys.forEach((key, position) => {
        const [error, value] = entries[position] ?? [];
        const entry = (value ?? {}) as Record<string, string>;
        if (error || entry['st'] === undefined) return;
        let windowRequests = 0;
        let windowFailures = 0;
        for (let slice = 0; slice < BUCKETS; slice++) {
          const id = Number(entry[`i${slice}`] ?? -1);
          if (id >= 0 && current - id < BUCKETS) {
            windowRequests += Number(entry[`q${slice}`] ?? 0);
            windowFailures += Number(entry[`f${slice}`] ?? 0);
          }
        }
        const state = entry['st'] as BreakerStatus['state'];
        const openedAt = Number(entry['o'] ?? -1);
        result[key] = {
          state,
          consecutiveFailures: Number(entry['c'] ?? 0),
          windowRequests,
          windowFailures,
          // On the caller's clock, as the memory store reports it.
          openedAt: openedAt < 0 ? null : now - (at - openedAt),
          retryInMs: state === 'open' ? Math.max(0, openedAt + config.cooldownMs - at) : null,
        };
      });
      return result;
    },
  };
}
