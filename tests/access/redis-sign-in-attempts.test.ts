// The sign-in limits shared through Redis (lib/access/redis-sign-in-attempts.ts), against a real
// redis-server: each limiter here has its own connection, as separate instances of the app would.
// Each test uses its own key prefix, so none sees another's attempts; the outage test comes last.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSignInAttempts } from '@/lib/access/redis-sign-in-attempts';
import { isSharedStoreUnavailable } from '@/lib/access/shared-store-error';
import { SIGN_IN_LIMITS, signInKeys, type Limit, type LimitName, type Reservation, type SignInAttempt } from '@/lib/access/sign-in-limiter';
import { openRedis, redisReady } from '@/lib/server/cluster/redis';
import { createLogger } from '@/lib/server/log';

const logger = createLogger(undefined, 'silent');
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { sealer } from '@/lib/server/cluster/deployment';

const INSTANCES = 3;

let server: RedisServer;
let connections: Redis[] = [];
let prefixes = 0;

beforeAll(async () => {
  server = await startRedisServer();
  connections = Array.from({ length: INSTANCES }, (_, i) => openRedis(server.url, `test-instance-${i}`, logger));
  await Promise.all(connections.map((c) => redisReady(c, 5_000)));
});

afterAll(async () => {
  for (const c of connections) c.disconnect();
  await server?.stop();
});

/** One limiter per connection (an instance each), all on a fresh prefix. */
function instances(limits?: Partial<Record<LimitName, Limit>>): { limiters: RedisSignInAttempts[]; prefix: string } {
  const prefix = `test-${++prefixes}:`;
  return { prefix, limiters: connections.map((redis) => new RedisSignInAttempts({ redis, prefix, sealer: sealer('test-deployment', null) }, { limits, logger })) };
}

const allowed = (r: Reservation): r is Extract<Reservation, { allowed: true }> => r.allowed;
const attemptOf = (r: Reservation): SignInAttempt => {
  if (!r.allowed) throw new Error(`refused by the ${r.limit} limit`);
  return r.attempt;
};

/** Polls `check` until it holds, or fails after `timeoutMs`; resolves with the time it took. */
async function within(timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

describe('RedisSignInAttempts: one set of limits for every instance', () => {
  it('5 parallel attempts for one email, spread over 3 instances: exactly 4 go through', async () => {
    const { limiters } = instances();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => limiters[i % INSTANCES]!.reserve(signInKeys('Ada@Example.com', `198.51.100.${i}`))));
    expect(results.filter(allowed)).toHaveLength(SIGN_IN_LIMITS.email.max);
    const refused = results.find((r) => !r.allowed);
    expect(refused).toMatchObject({ allowed: false, limit: 'email' });
    // Full for the window: 30 minutes, less the moment the test took.
    if (refused && !refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThan(29 * 60);
    // The same person however the email is typed, on any instance.
    expect(await limiters[2]!.reserve(signInKeys(' ADA@example.COM ', '198.51.100.99'))).toMatchObject({ allowed: false, limit: 'email' });
  });

  it('the per-address and global limits are shared the same way', async () => {
    const byAddress = instances({ address: { max: 3, windowMs: 60_000 } });
    const fromOne = await Promise.all(Array.from({ length: 7 }, (_, i) => byAddress.limiters[i % INSTANCES]!.reserve(signInKeys(`person${i}@example.com`, '203.0.113.7'))));
    expect(fromOne.filter(allowed)).toHaveLength(3);
    expect(fromOne.filter((r) => !r.allowed).every((r) => !r.allowed && r.limit === 'address')).toBe(true);
    // Another address is not held back by it.
    expect((await byAddress.limiters[0]!.reserve(signInKeys('person0@example.com', '203.0.113.8'))).allowed).toBe(true);

    const overall = instances({ global: { max: 5, windowMs: 60_000 } });
    const fromMany = await Promise.all(Array.from({ length: 9 }, (_, i) => overall.limiters[i % INSTANCES]!.reserve(signInKeys(`someone${i}@example.com`, `192.0.2.${i}`))));
    expect(fromMany.filter(allowed)).toHaveLength(5);
    expect(fromMany.filter((r) => !r.allowed).every((r) => !r.allowed && r.limit === 'global' && r.retryAfterSeconds <= 60)).toBe(true);
  });

  it('places scored after now (no instance takes one so) are not counted: they would shut sign-in for as long as they say', async () => {
    const { limiters, prefix } = instances({ global: { max: 5, windowMs: 60_000 } });
    const yearAhead = Date.now() + 365 * 86_400_000;
    await connections[0]!.zadd(`${prefix}sign-in:global`, ...Array.from({ length: 5 }, (_, i) => [yearAhead, `forged-${i}`]).flat());
    expect((await limiters[1]!.reserve(signInKeys('grace@example.com', '192.0.2.50'))).allowed).toBe(true);
  });

  it('failures keep their places; a success anywhere clears that email’s failures and gives its places back', async () => {
    const { limiters } = instances();
    const keys = signInKeys('grace@example.com', '198.51.100.1');
    // Three wrong passwords on three instances, and one attempt still in flight.
    for (const limiter of limiters) await limiter.failed(attemptOf(await limiter.reserve(keys)));
    const inFlight = attemptOf(await limiters[0]!.reserve(keys));
    expect((await limiters[1]!.reserve(keys)).allowed).toBe(false);

    // The in-flight one succeeds: the email's failures go, and its own places too.
    await limiters[1]!.succeeded(inFlight);
    const again = await Promise.all(Array.from({ length: 5 }, (_, i) => limiters[i % INSTANCES]!.reserve(keys)));
    expect(again.filter(allowed)).toHaveLength(4);
    // The failures still count for their address and in all: those limits are not the account's.
    const strict = instances({ address: { max: 4, windowMs: 60_000 } }).limiters;
    for (const limiter of strict) await limiter.failed(attemptOf(await limiter.reserve(keys)));
    await strict[0]!.succeeded(attemptOf(await strict[0]!.reserve(keys)));
    expect(await strict[1]!.reserve(signInKeys('someone.else@example.com', '198.51.100.1'))).toMatchObject({ allowed: true });
    expect(await strict[2]!.reserve(signInKeys('someone.else@example.com', '198.51.100.1'))).toMatchObject({ allowed: false, limit: 'address' });

    // A success leaves the places of attempts still in flight: only the finished failures go.
    const other = signInKeys('hopper@example.com', '198.51.100.2');
    const { limiters: fresh } = instances();
    const pending = attemptOf(await fresh[0]!.reserve(other));
    await fresh[1]!.failed(attemptOf(await fresh[1]!.reserve(other)));
    await fresh[2]!.succeeded(attemptOf(await fresh[2]!.reserve(other)));
    const after = await Promise.all(Array.from({ length: 4 }, (_, i) => fresh[i % INSTANCES]!.reserve(other)));
    expect(after.filter(allowed)).toHaveLength(3);
    await fresh[0]!.failed(pending);
  });

  it('successes give their places back in every limit, so signing in never uses one up', async () => {
    const { limiters } = instances({ address: { max: 2, windowMs: 60_000 }, global: { max: 2, windowMs: 60_000 } });
    for (let i = 0; i < 10; i++) {
      const limiter = limiters[i % INSTANCES]!;
      await limiter.succeeded(attemptOf(await limiter.reserve(signInKeys(`member${i}@example.com`, '198.51.100.3'))));
    }
  });

  it('Redis keeps no more than the live places: every key expires with its window', async () => {
    const { limiters, prefix } = instances({ email: { max: 2, windowMs: 400 } });
    const keys = signInKeys('short@example.com', '198.51.100.4');
    for (let i = 0; i < 2; i++) await limiters[i]!.failed(attemptOf(await limiters[i]!.reserve(keys)));
    expect(await limiters[2]!.reserve(keys)).toMatchObject({ allowed: false, limit: 'email', retryAfterSeconds: 1 });
    const redis = connections[0]!;
    const stored = await redis.keys(`${prefix}*`);
    expect(stored.length).toBeGreaterThan(0);
    // No email or address in the clear: Redis counts, it need not know who tried.
    expect(stored.join(' ')).not.toMatch(/short|198\.51/);
    for (const key of stored) expect(await redis.pttl(key)).toBeGreaterThan(0);
    // Once the window has passed, the email may try again.
    await within(2_000, 'the email window passes', async () => (await limiters[2]!.reserve(keys)).allowed);
  });

  it('Redis down: sign-in attempts are refused (fail closed), and allowed again once it is back', async () => {
    const { limiters } = instances();
    const keys = signInKeys('outage@example.com', '198.51.100.5');
    const before = attemptOf(await limiters[0]!.reserve(keys));
    await server.stop();
    try {
      const started = Date.now();
      const error = await limiters[1]!.reserve(keys).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isSharedStoreUnavailable(error), String(error)).toBe(true);
      // Refused within about one command timeout, not left hanging.
      expect(Date.now() - started).toBeLessThan(3_000);
      // Recording an outcome does not throw: a place that stays is only stricter.
      await limiters[0]!.failed(before);
    } finally {
      await server.start();
    }
    // The connections come back by themselves; the wiped counts start again.
    await within(8_000, 'sign-in allowed again after Redis restarted', async () => {
      try {
        return (await limiters[2]!.reserve(keys)).allowed;
      } catch (error) {
        if (isSharedStoreUnavailable(error)) return false;
        throw error;
      }
    });
  });
});
