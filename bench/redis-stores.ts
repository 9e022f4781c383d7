/**
 * Redis-shared limiter and breaker stores: each store step vs the memory stores and a bare Redis PING, and client.generate with the memory wiring vs the server's shared wiring.
 *
 * One caller and 64 pipelined per store step; client.generate against an in-process instant
 * simulator, alternating rounds, median of 3 (issue 6).
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench -- redis-stores
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  createClient,
  createMemoryBreakerStore,
  createMemoryLimiterStore,
  DEFAULT_BREAKER,
} from '@reins/client';
import { createRedisBreakerStore, createRedisLimiterStore, createSharedResilience } from '@reins/server';
import { startSimulator } from '@reins/simulator';
import { Redis } from 'ioredis';

setTimeout(() => {
  console.error('redis-stores: gave up after 240 s');
  process.exit(1);
}, 240_000).unref();

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const startLoad = loadavg()
  .map((n) => n.toFixed(2))
  .join(' ');
const prefix = `bench-redis-${process.pid}`;
const redis = new Redis(url);
await new Promise((resolve) => redis.once('ready', resolve));
const limits = { rpm: 1e8, tpm: 1e11 };

async function timeIt(label: string, n: number, concurrency: number, step: (i: number) => unknown) {
  // warm-up
  for (let i = 0; i < 200; i++) await step(i);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await step(next++);
    }),
  );
  const ms = performance.now() - start;
  return { label, concurrency, n, usPerCall: (ms * 1000) / n, callsPerSecond: n / (ms / 1000) };
}

const rows: Array<Awaited<ReturnType<typeof timeIt>>> = [];
const memLimiter = createMemoryLimiterStore();
const redisLimiter = createRedisLimiterStore({ redis, prefix: `${prefix}:limits` });
const memBreaker = createMemoryBreakerStore();
const redisBreaker = createRedisBreakerStore({ redis, prefix: `${prefix}:breaker` });
const redisBreakerUncached = createRedisBreakerStore({
  redis,
  prefix: `${prefix}:breaker2`,
  closedCacheMs: 0,
});
let clock = 0;
rows.push(
  await timeIt('memory limiter take', 200_000, 1, () => memLimiter.take('openai/m', 10, ++clock, limits)),
);
rows.push(
  await timeIt('redis limiter take (1 round trip)', 20_000, 1, () =>
    redisLimiter.take('openai/m', 10, 0, limits),
  ),
);
rows.push(await timeIt('redis limiter take', 50_000, 64, () => redisLimiter.take('openai/m', 10, 0, limits)));
rows.push(
  await timeIt('memory breaker acquire (closed)', 200_000, 1, () =>
    memBreaker.acquire('openai/m', ++clock, DEFAULT_BREAKER),
  ),
);
rows.push(
  await timeIt('redis breaker acquire (closed, remembered: no round trip)', 200_000, 1, () =>
    redisBreaker.acquire('openai/m', 0, DEFAULT_BREAKER),
  ),
);
rows.push(
  await timeIt('redis breaker acquire (closed, closedCacheMs 0: 1 round trip)', 20_000, 1, () =>
    redisBreakerUncached.acquire('openai/m', 0, DEFAULT_BREAKER),
  ),
);
rows.push(
  await timeIt('redis breaker onSuccess (1 round trip)', 20_000, 1, () =>
    redisBreaker.onSuccess('openai/m', 0, DEFAULT_BREAKER, false),
  ),
);
rows.push(await timeIt('redis PING (baseline round trip)', 20_000, 1, () => redis.ping()));

// End to end: client.generate against an in-process instant simulator, limits configured (never waiting).
const simulator = await startSimulator({ port: 0, rateLimits: { rpm: 1e8, tpm: 1e11 } });
const providers = { openai: { apiKey: 'sk-bench', baseURL: `${simulator.url}/v1` } };
const shared = await createSharedResilience({ redisUrl: url, prefix, providers });
const clients = {
  memory: createClient({ providers, logger: false, limits: { 'openai/gpt-4o-mini': limits } }),
  redis: createClient({
    providers,
    logger: false,
    limits: { 'openai/gpt-4o-mini': limits },
    limiter: { store: shared.limiter },
    breaker: { store: shared.breaker },
  }),
};
const e2e: Array<Awaited<ReturnType<typeof timeIt>>> = [];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const scripts = async () => {
  const info = await redis.info('commandstats');
  return (
    Number(/cmdstat_evalsha:calls=(\d+)/.exec(info)?.[1] ?? 0) +
    Number(/cmdstat_eval:calls=(\d+)/.exec(info)?.[1] ?? 0)
  );
};
let scriptsPerCall = 0;
for (const concurrency of [1, 32]) {
  const samples: Record<string, number[]> = { memory: [], redis: [] };
  for (let round = 0; round < 4; round++) {
    for (const [name, client] of Object.entries(clients)) {
      const before = await scripts();
      const row = await timeIt(`client.generate, ${name} stores`, 2_000, concurrency, (i) =>
        client.generate({ model: 'openai/gpt-4o-mini', prompt: `hello ${i}`, maxTokens: 64 }),
      );
      if (name === 'redis' && concurrency === 1) scriptsPerCall = ((await scripts()) - before) / 2_200;
      if (round > 0) samples[name]!.push(row.usPerCall);
    }
  }
  for (const name of ['memory', 'redis']) {
    const us = median(samples[name]!);
    e2e.push({
      label: `client.generate, ${name} stores (median of 3)`,
      concurrency,
      n: 2_000,
      usPerCall: us,
      callsPerSecond: 1e6 / us,
    });
  }
}
const roundTrips = scriptsPerCall;
console.log(
  `${new Date().toUTCString()} · ${cpus().length} cores · Node ${process.version} · load average at start ${startLoad}\n`,
);
console.log(
  '| measurement | concurrency | calls | µs per call | calls/s |\n| --- | ---: | ---: | ---: | ---: |',
);
for (const row of [...rows, ...e2e])
  console.log(
    `| ${row.label} | ${row.concurrency} | ${row.n} | ${row.usPerCall.toFixed(1)} | ${Math.round(row.callsPerSecond).toLocaleString('en-US')} |`,
  );
console.log(`\nRedis scripts (EVALSHA round trips) per client.generate: ${roundTrips.toFixed(2)}`);
const keys = await redis.keys(`${prefix}*`);
if (keys.length > 0) await redis.del(...keys);
redis.disconnect();
await shared.close();
await simulator.close();
