// Sign-outs shared through Redis (lib/access/redis-revocations.ts), against a real redis-server:
// each "instance" here has its own command connection and its own subscriber, as separate
// processes of the app would. Each test uses its own key prefix; the outage test comes last.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionRevocations } from '@/lib/access/redis-revocations';
import { isSharedStoreUnavailable } from '@/lib/access/shared-store-error';
import { openRedis, redisReady } from '@/lib/server/cluster/redis';
import { createLogger } from '@/lib/server/log';

const logger = createLogger(undefined, 'silent');
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { sealer } from '@/lib/server/cluster/deployment';

const HOUR = 3_600_000;
/** How soon another instance must refuse a signed-out session. */
const PROPAGATION_MS = 200;

let server: RedisServer;
const opened: Redis[] = [];
const instances: RedisSessionRevocations[] = [];
let prefixes = 0;

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

/** One instance of the app: its own connections, on `prefix`. */
function instance(prefix: string, options: { startWaitMs?: number; secret?: string } = {}): RedisSessionRevocations {
  const n = instances.length;
  const { secret = null, ...rest } = options;
  const revocations = new RedisSessionRevocations({ redis: connect(`test-commands-${n}`), prefix, sealer: sealer('test-deployment', secret) }, { subscriber: connect(`test-subscriber-${n}`, true), logger, ...rest });
  instances.push(revocations);
  return revocations;
}

const freshPrefix = () => `test-${++prefixes}:`;

/** Polls `check` until it holds, or fails after `timeoutMs`; resolves with the time it took. */
async function within(timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

describe('RedisSessionRevocations: a sign-out on one instance counts on all', () => {
  it(`a session signed out on A is refused on B within ${PROPAGATION_MS} ms`, async () => {
    const prefix = freshPrefix();
    const [a, b] = [instance(prefix), instance(prefix)];
    const now = Date.now();
    // Both have loaded (answering waits for it) before the sign-out.
    expect(await b.isRevoked(7, now - HOUR)).toBe(false);
    expect(await a.isRevoked(7, now - HOUR)).toBe(false);

    await a.revokeBefore(7, now, now + 12 * HOUR);
    // A refuses at once.
    expect(await a.isRevoked(7, now - HOUR)).toBe(true);
    await within(PROPAGATION_MS, 'B refuses the signed-out session', () => b.isRevoked(7, now - HOUR));
    // Only that person's sessions up to the sign-out.
    expect(await b.isRevoked(7, now + 1)).toBe(false);
    expect(await b.isRevoked(8, now - HOUR)).toBe(false);
  });

  it('Redis keeps the latest line per person, until every session it covers has expired', async () => {
    const prefix = freshPrefix();
    const [a, b] = [instance(prefix), instance(prefix)];
    const redis = connect('test-reader');
    await redisReady(redis, 5_000);
    const now = Date.now();
    await a.revokeBefore(3, now, now + 12 * HOUR);
    // An older sign-out (a replay, or a slow instance) moves nothing back.
    await b.revokeBefore(3, now - HOUR, now + 11 * HOUR);
    expect(await redis.hgetall(`${prefix}revoked:3`)).toEqual({ notBefore: String(now), forgetAfter: String(now + 12 * HOUR), record: `3 ${now} ${now + 12 * HOUR}` });
    const ttl = await redis.pttl(`${prefix}revoked:3`);
    expect(ttl).toBeGreaterThan(12 * HOUR - 5_000);
    expect(ttl).toBeLessThanOrEqual(12 * HOUR);
    expect(await b.isRevoked(3, now - 1)).toBe(true);
    expect(await a.isRevoked(3, now - 1)).toBe(true);

    // A sign-out whose sessions have all expired is gone from Redis (bounded by expiry).
    await a.revokeBefore(4, now, Date.now() + 150);
    await within(2_000, 'the expired sign-out leaves Redis', async () => (await redis.exists(`${prefix}revoked:4`)) === 0);
  });

  it('a forged sign-out is not believed: not beyond a session\'s lifetime, and with REDIS_SHARED_SECRET not without its signature', async () => {
    const prefix = freshPrefix();
    const redis = connect('test-forger');
    await redisReady(redis, 5_000);
    const now = Date.now();
    // Written straight into Redis by someone who is not an instance: a far-future "not before"
    // would lock person 21 out until every instance restarted.
    await redis.hset(`${prefix}revoked:21`, { notBefore: now + 365 * 24 * HOUR, forgetAfter: now + 365 * 24 * HOUR + HOUR, record: `21 ${now + 365 * 24 * HOUR} ${now + 365 * 24 * HOUR + HOUR}` });
    // One that would stay for a year (a session lasts 12 hours).
    await redis.hset(`${prefix}revoked:25`, { notBefore: now, forgetAfter: now + 365 * 24 * HOUR, record: `25 ${now} ${now + 365 * 24 * HOUR}` });
    await redis.hset(`${prefix}revoked:22`, { notBefore: now, forgetAfter: now + HOUR, record: `22 ${now} ${now + HOUR}` });
    const plain = instance(prefix, { startWaitMs: 2_000 });
    expect(await plain.isRevoked(21, now + 1_000)).toBe(false);
    expect(await plain.isRevoked(25, now - 1)).toBe(false);
    // A plausible one is believed without a secret (nothing to check it with)…
    expect(await plain.isRevoked(22, now - 1)).toBe(true);
    // …but not by instances that share a secret, and neither is one announced on the channel.
    const signed = instance(prefix, { startWaitMs: 2_000, secret: 's'.repeat(32) });
    expect(await signed.isRevoked(22, now - 1)).toBe(false);
    await redis.publish(`${prefix}revoked`, `23 ${now} ${now + HOUR}`);
    const other = instance(prefix, { secret: 's'.repeat(32) });
    await other.revokeBefore(24, now, now + HOUR);
    await within(2_000, 'the signed sign-out reaches the other instance', () => signed.isRevoked(24, now - 1));
    expect(await signed.isRevoked(23, now - 1)).toBe(false);
  });

  it('an odd key among the sign-outs (not a hash) is skipped: an instance started later learns all the others, at once', async () => {
    const prefix = freshPrefix();
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
    // Out of the outage test's way: it restarts Redis under every instance still open.
    await redis.del(`${prefix}revoked:999`);
    for (const done of [a, late]) done.close();
  });

  it('an instance started after a sign-out refuses that session from its first answer', async () => {
    const prefix = freshPrefix();
    const a = instance(prefix);
    const now = Date.now();
    await a.revokeBefore(11, now, now + 12 * HOUR);
    await a.revokeBefore(12, now - HOUR, now + 11 * HOUR);
    const late = instance(prefix);
    expect(await late.isRevoked(11, now - 1)).toBe(true);
    expect(await late.isRevoked(12, now - HOUR)).toBe(true);
    expect(await late.isRevoked(12, now - HOUR + 1)).toBe(false);
  });

  it('Redis down: answers come from the mirror; a sign-out counts here and says it was not shared; after the restart sign-outs spread again', async () => {
    const prefix = freshPrefix();
    const [a, b] = [instance(prefix), instance(prefix)];
    const now = Date.now();
    await a.revokeBefore(21, now, now + 12 * HOUR);
    await within(PROPAGATION_MS, 'B learns the first sign-out', () => b.isRevoked(21, now - 1));

    await server.stop();
    try {
      // The mirror answers, at once, without Redis.
      const started = Date.now();
      expect(await b.isRevoked(21, now - 1)).toBe(true);
      expect(await b.isRevoked(22, now - 1)).toBe(false);
      expect(Date.now() - started).toBeLessThan(50);

      // A sign-out now counts on its own instance, and says it reached no other.
      const error = await a.revokeBefore(22, now, now + 12 * HOUR).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isSharedStoreUnavailable(error), String(error)).toBe(true);
      expect(await a.isRevoked(22, now - 1)).toBe(true);
      expect(await b.isRevoked(22, now - 1)).toBe(false);

      // An instance that starts while Redis is down answers after a bounded wait, with what it knows.
      const blind = instance(prefix, { startWaitMs: 300 });
      const waited = Date.now();
      expect(await blind.isRevoked(21, now - 1)).toBe(false);
      expect(Date.now() - waited).toBeLessThan(1_000);
    } finally {
      await server.start();
    }

    // Redis came back empty (a wipe): the running instances keep what they knew…
    expect(await a.isRevoked(21, now - 1)).toBe(true);
    expect(await b.isRevoked(21, now - 1)).toBe(true);
    // …and sign-outs spread again once the connections are back (by themselves).
    const later = Date.now();
    await within(8_000, 'a sign-out after the restart is written', async () =>
      a.revokeBefore(23, later, later + 12 * HOUR).then(
        () => true,
        () => false,
      ),
    );
    await within(8_000, 'B learns the sign-out made after the restart', () => b.isRevoked(23, later - 1));
    // Now both are connected: the next one arrives as fast as before.
    const last = Date.now();
    await a.revokeBefore(24, last, last + 12 * HOUR);
    await within(PROPAGATION_MS, 'B refuses the next signed-out session', () => b.isRevoked(24, last - 1));
  });
});
