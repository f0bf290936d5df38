// With REDIS_URL the factories hand out the shared parts (without it: cluster-factories-memory.test.ts).
// The shared store is decided once per process (lib/process-global.ts), hence two files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedStore } from '@/lib/server/cluster/redis';
import { RedisDetailCache } from '@/lib/server/cluster/redis-detail-cache';
import { RedisRateBudget } from '@/lib/server/cluster/redis-rate-budget';
import { requestBudget } from '@/lib/server/cluster/request-budget';
import { detailCache } from '@/lib/server/cluster/shared-detail-cache';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { pause } from './cluster-support';

let redisServer: RedisServer;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  redisServer = await startRedisServer();
  env = { NODE_ENV: 'test', REDIS_URL: redisServer.url, REDIS_KEY_PREFIX: 'factories-test' };
});
afterAll(async () => {
  sharedStore(env)?.redis.disconnect();
  await redisServer.stop();
});

describe('choosing Redis or memory', () => {
  it('REDIS_URL set: one shared request budget per process, and shared detail caches', async () => {
    const budget = requestBudget(env);
    expect(budget).toBeInstanceOf(RedisRateBudget);
    expect(requestBudget(env)).toBe(budget);
    const cache = detailCache<number, string>('factories', 10_000, { parse: (v) => (typeof v === 'string' ? v : null), env });
    expect(cache).toBeInstanceOf(RedisDetailCache);

    while (sharedStore(env)!.redis.status !== 'ready') await pause(10);
    await cache.get(1, async () => 'value');
    const store = sharedStore(env)!;
    expect(store.prefix).toMatch(/^factories-test:[0-9a-f]{16}:$/);
    expect(await store.redis.hget(`${store.prefix}detail:factories:1`, 'value')).toBe('"value"');
  });
});
