import type { LimiterStore, RateLimitObservation, RateLimits } from '@reins/client';
import type { Redis } from 'ioredis';
import { defineScripts, type ScriptCaller } from './define-scripts.ts';
import { REDIS_CLOCK_LUA } from './redis-clock.ts';

/*
 * One Lua script per method over a hash per bucket (r: request tokens, t: tokens, u: updated at,
 * p: paused until), so every step is atomic across workers. The arithmetic is the in-memory
 * store's (`createMemoryLimiterStore`), line for line: start full, refill continuously, keep
 * `slackMs` of refill in hand. An unlimited dimension is held as 1e300 (Lua has no Infinity
 * that survives a round trip through a hash). A bucket idle for a minute is full again, so its
 * key expires after a minute (plus any pause): an expired key and a full bucket are the same.
 * ARGV: 1 now ('' = Redis TIME), 2 rpm (-1 = none), 3 tpm (-1 = none), 4 slackMs, then per method.
 */
const PRELUDE = `${REDIS_CLOCK_LUA}
local INF = 1e300
local key = KEYS[1]
local now = clock(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local slack = tonumber(ARGV[4])
local function load()
  local h = redis.call('HMGET', key, 'r', 't', 'u', 'p')
  if not h[3] then
    return (rpm >= 0 and rpm or INF), (tpm >= 0 and tpm or INF), now, 0
  end
  local r, t, u, p = tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), tonumber(h[4])
  local elapsed = math.max(0, now - u)
  if rpm >= 0 then r = math.min(rpm, r + elapsed * rpm / 60000) else r = INF end
  if tpm >= 0 then t = math.min(tpm, t + elapsed * tpm / 60000) else t = INF end
  return r, t, now, p
end
local function save(r, t, u, p)
  redis.call('HSET', key, 'r', r, 't', t, 'u', u, 'p', p)
  redis.call('PEXPIRE', key, math.ceil(61000 + math.max(0, p - now)))
end
`;

const TAKE = `${PRELUDE}
local tokens = tonumber(ARGV[5])
local r, t, u, p = load()
if p > now then
  save(r, t, u, p)
  return math.max(1, math.ceil(p - now))
end
local needed = 0
if tpm >= 0 then needed = math.min(tokens, tpm) end
local requestSlack = 0
if rpm >= 0 then requestSlack = rpm * slack / 60000 end
local tokenSlack = 0
if tpm >= 0 then tokenSlack = math.min(tpm * slack / 60000, tpm - needed) end
local requestsOk = rpm < 0 or r >= 1 + requestSlack
local tokensOk = tpm < 0 or t >= needed + tokenSlack
if requestsOk and tokensOk then
  save(r - 1, t - tokens, u, p)
  return 0
end
local wait = 1
if not requestsOk then wait = math.max(wait, (1 + requestSlack - r) * 60000 / rpm) end
if not tokensOk then wait = math.max(wait, (needed + tokenSlack - t) * 60000 / tpm) end
save(r, t, u, p)
-- Whole ms (an integer reply), rounded up past float noise (1600.0000000000002 is 1600).
return math.ceil(wait - 1e-6)
`;

const REFUND = `${PRELUDE}
local r, t, u, p = load()
if tpm >= 0 then t = math.min(tpm, t + tonumber(ARGV[5])) end
save(r, t, u, p)
return 0
`;

const OBSERVE = `${PRELUDE}
local r, t, u, p = load()
if ARGV[5] ~= '' then r = math.min(r, tonumber(ARGV[5])) end
if ARGV[6] ~= '' then t = math.min(t, tonumber(ARGV[6])) end
save(r, t, u, p)
return 0
`;

const PAUSE = `${PRELUDE}
local untilAt = now + tonumber(ARGV[5])
local h = redis.call('HMGET', key, 'r', 't', 'u', 'p')
if not h[3] then
  save(0, 0, untilAt, untilAt)
else
  save(math.min(tonumber(h[1]), 0), tonumber(h[2]), tonumber(h[3]), math.max(tonumber(h[4]), untilAt))
end
return 0
`;

const SCRIPTS = {
  reinsLimiterTake: TAKE,
  reinsLimiterRefund: REFUND,
  reinsLimiterObserve: OBSERVE,
  reinsLimiterPause: PAUSE,
};

export type RedisLimiterStoreOptions = {
  redis: Redis;
  /** Key prefix, e.g. `reins:limits`; buckets are `<prefix>:<identity>:<provider/model>`. */
  prefix: string;
  /**
   * Which account a `provider/model` key is billed to (a hash of its API key and endpoint, see
   * `providerIdentities`), so servers on different keys sharing one Redis keep separate buckets.
   */
  identity?: (key: string) => string;
  /** Refill kept in hand against clock skew, as in the memory store (default 250 ms). */
  slackMs?: number;
  /**
   * The buckets' clock in ms. Default: Redis's own `TIME`, the one clock every worker shares
   * (the client's `now` is per process). Tests inject one.
   */
  clock?: () => number;
};

const limitArguments = (limits: RateLimits) => [limits.rpm ?? -1, limits.tpm ?? -1];

/**
 * A `LimiterStore` in Redis: one RPM/TPM token bucket per account and `provider/model`, shared
 * by every process on the same Redis, each method one atomic Lua script (one round trip).
 * Answers are relative (ms to wait), so the processes' clocks never meet.
 *
 * @example
 * const store = createRedisLimiterStore({ redis, prefix: 'reins:limits', identity: (key) => identities[key.split('/')[0]] });
 * const client = createClient({ limiter: { store } });
 */
export function createRedisLimiterStore(options: RedisLimiterStoreOptions): LimiterStore {
  const call: ScriptCaller<keyof typeof SCRIPTS> = defineScripts(options.redis, SCRIPTS);
  const slackMs = options.slackMs ?? 250;
  const identity = options.identity ?? (() => 'default');
  const clock = options.clock;
  const bucketKey = (key: string) => `${options.prefix}:${identity(key)}:${key}`;
  const head = (key: string, limits: RateLimits) => [
    bucketKey(key),
    clock === undefined ? '' : clock(),
    ...limitArguments(limits),
    slackMs,
  ];
  return {
    async take(key, tokens, _now, limits) {
      return Number(await call('reinsLimiterTake', ...head(key, limits), tokens));
    },
    async refund(key, tokens, _now, limits) {
      await call('reinsLimiterRefund', ...head(key, limits), tokens);
    },
    async observe(key, observation: RateLimitObservation, _now, limits) {
      await call(
        'reinsLimiterObserve',
        ...head(key, limits),
        observation.remainingRequests ?? '',
        observation.remainingTokens ?? '',
      );
    },
    async pause(key, until, now) {
      await call('reinsLimiterPause', ...head(key, {}), Math.max(0, until - now));
    },
  };
}
