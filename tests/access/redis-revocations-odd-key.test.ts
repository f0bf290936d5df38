// Sign-outs shared through Redis (lib/access/redis-revocations.ts) when Redis holds something no
// instance wrote under their keys: one odd key is skipped, the others are all learnt. Against its
// own redis-server, apart from redis-revocations.test.ts, whose last test restarts its server.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisSessionRevocations } from '@/lib/access/redis-revocations';
import { openRedis, redisReady } from '@/lib/server/cluster/redis';
import { sealer } from '@/lib/server/cluster/deployment';
import { createLogger } from '@/lib/server/log';
import { startRedisServer, type RedisServer } from '../support/redis-server';

const logger = createLogger(undefined, 'silent');
const HOUR = 3_600_000;
let server: RedisServer;
const opened: Redis[] = [];
const instances: RedisSessionRevocations[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  for (const revocations of instances) revocations.close();
  for (const redis of opened) redis.disconnect();
  await server?.stop();
});

function connect(name: string, blocking = false): Redis {
  const redis = openRedis(server.url, name, logger, { blocking });
  opened.push(redis);
  return redis;
}

function instance(prefix: string, options: { startWaitMs?: number } = {}): RedisSessionRevocations {
  const n = instances.length;
  const revocations = new RedisSessionRevocations({ redis: connect(`test-commands-${n}`), prefix, sealer: sealer('test-deployment', null) }, { subscriber: connect(`test-subscriber-${n}`, true), logger, ...options });
  instances.push(revocations);
  return revocations;
}

it('an odd key among the sign-outs (not a hash) is skipped: an instance started later learns all the others, at once', async () => {
  const prefix = 'odd:';
  const a = instance(prefix);
  const now = Date.now();
  for (let id = 1; id <= 40; id++) await a.revokeBefore(id, now, now + 12 * HOUR);
  const redis = connect('test-odd-key');
  await redisReady(redis, 5_000);
  await redis.set(`${prefix}revoked:999`, 'not a hash');
  const late = instance(prefix, { startWaitMs: 5_000 });
  const asked = Date.now();
  expect(await late.isRevoked(1, now - 1)).toBe(true);
  // Loaded on the first try, not waited out (the load failed at the odd key, and tried again for ever).
  expect(Date.now() - asked).toBeLessThan(2_000);
  for (let id = 1; id <= 40; id++) expect(await late.isRevoked(id, now - 1)).toBe(true);
});
