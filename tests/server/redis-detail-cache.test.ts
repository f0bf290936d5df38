// The detail cache shared by instances (docs/architecture.md §3, §10): three RedisDetailCaches,
// each on its own connection to one real Redis, as three app instances would be.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { RedisDetailCache, type RedisDetailCacheOptions } from '@/lib/server/cluster/redis-detail-cache';
import { sealer } from '@/lib/server/cluster/deployment';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { events, instances, pause, type Instances } from './cluster-support';

let redisServer: RedisServer;
beforeAll(async () => {
  redisServer = await startRedisServer();
});
afterAll(() => redisServer.stop());

const asString = (value: unknown) => (typeof value === 'string' ? value : null);

type Options = Partial<Omit<RedisDetailCacheOptions<string>, 'store'>>;

async function caches(options: Options = {}): Promise<{ group: Instances; caches: Array<RedisDetailCache<number, string>> }> {
  const group = instances(redisServer.url, 3);
  onTestFinished(() => group.close());
  await group.ready();
  const made = group.stores.map((store) => new RedisDetailCache<number, string>({ store, name: 'test', ttlMs: 10_000, parse: asString, logger: group.logger, ...options }));
  return { group, caches: made };
}

/** A loader that counts its calls and answers after `ms`. */
function loader(value: string | Error, ms = 50) {
  const counter = {
    calls: 0,
    load: async () => {
      counter.calls++;
      await pause(ms);
      if (value instanceof Error) throw value;
      return value;
    },
  };
  return counter;
}

describe('RedisDetailCache: one load for all instances', () => {
  it('100 concurrent gets spread over three instances within the TTL cost one load', async () => {
    const { caches: [a, b, c] } = await caches();
    const counter = loader('alice');
    const spread = [a!, b!, c!];
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => spread[i % 3]!.get(7, counter.load)));
    expect(counter.calls).toBe(1);
    expect(results.every((r) => r.value === 'alice' && !r.stale)).toBe(true);
    // Every instance serves one fetch time (measured on Redis's clock), give or take a millisecond or two.
    const times = results.map((r) => r.fetchedAt);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(50);

    await Promise.all(spread.map((cache) => cache.get(7, counter.load)));
    expect(counter.calls).toBe(1);
  });

  it('reloads once the TTL has passed, once for everyone', async () => {
    const { caches: [a, b, c] } = await caches({ ttlMs: 150 });
    const first = loader('v1');
    await a!.get(1, first.load);
    await pause(200);
    const second = loader('v2');
    const results = await Promise.all([a!, b!, c!, a!, b!, c!].map((cache) => cache.get(1, second.load)));
    expect(second.calls).toBe(1);
    expect(results.map((r) => r.value)).toEqual(Array(6).fill('v2'));
  });

  it('a caller that needs a younger value than the TTL gets one, and it is shared', async () => {
    const { caches: [a, b] } = await caches();
    const first = loader('v1');
    await a!.get(1, first.load);
    await pause(60);
    const second = loader('v2');
    // Within the TTL: the stored value for an ordinary caller, a new load for one asking for a younger one.
    expect((await b!.get(1, second.load)).value).toBe('v1');
    expect((await b!.get(1, second.load, { maxAgeMs: 50 })).value).toBe('v2');
    expect(second.calls).toBe(1);
    expect((await a!.get(1, second.load)).value).toBe('v2');
    expect(second.calls).toBe(1);
  });

  it("serves another instance's last value, marked stale, when the refresh fails: one failed call, not one per instance", async () => {
    const { caches: [a, b, c] } = await caches({ ttlMs: 150 });
    const fetched = await a!.get(1, loader('v1').load);
    await pause(200);
    const failing = loader(new Error('Zulip is down'), 100);
    // b and c never loaded this key themselves: what they serve can only have come through Redis.
    const results = await Promise.all([b!.get(1, failing.load), c!.get(1, failing.load)]);
    expect(failing.calls).toBe(1);
    for (const result of results) {
      expect(result).toMatchObject({ value: 'v1', stale: true });
      expect(Math.abs(result.fetchedAt - fetched.fetchedAt)).toBeLessThan(50);
    }
  });

  it('throws only when there is no value at all, on every instance', async () => {
    const { caches: [a, b] } = await caches();
    const failing = loader(new Error('Zulip is down'));
    const results = await Promise.allSettled([a!.get(3, failing.load), b!.get(3, failing.load)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('the others wait for the loading instance only so long, then load themselves', async () => {
    // The lock lasts the load timeout plus a second: 1.2 s here.
    const { caches: [a, b] } = await caches({ loadTimeoutMs: 200 });
    const hanging = loader('slow', 1_600);
    const slow = a!.get(5, hanging.load);
    await pause(20);
    const started = Date.now();
    const quick = loader('quick', 0);
    expect(await b!.get(5, quick.load)).toMatchObject({ value: 'quick', stale: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(quick.calls).toBe(1);
    await slow;
  });

  it('with waitedOut: a load that hung (ran half the timeout or more) is not made again by those who waited, however late they came; one that failed at once is', async () => {
    const timedOut = new Error('waited out');
    const { group, caches: [a, b] } = await caches({ loadTimeoutMs: 1_000, waitedOut: () => timedOut });
    const { redis, prefix } = group.stores[0]!;
    const loading = async (key: number) => {
      while (!(await redis.exists(`${prefix}detail:test:${key}:loading`))) await pause(5);
    };
    // Zulip hangs until the call's timeout; the second instance comes when the load is well under way.
    const hanging = loader(new Error('timeout'), 1_000);
    const first = a!.get(8, hanging.load).catch((e: unknown) => e);
    await loading(8);
    await pause(600);
    const started = Date.now();
    const again = loader('never asked', 0);
    await expect(b!.get(8, again.load)).rejects.toBe(timedOut);
    expect(again.calls).toBe(0);
    // It waited for the load under way, not a timeout of its own.
    expect(Date.now() - started).toBeLessThan(1_000);
    await first;
    // Zulip answered an error at once: the one who waited asks again itself.
    const quickFailure = loader(new Error('500'), 100);
    const second = a!.get(9, quickFailure.load).catch((e: unknown) => e);
    await loading(9);
    const retried = loader('answer', 0);
    expect(await b!.get(9, retried.load)).toMatchObject({ value: 'answer' });
    expect(retried.calls).toBe(1);
    await second;
  });

  it('Redis down: every instance caches on its own and never fails because of Redis (logged once); back: shared again', async () => {
    const { group, caches: [a, b, c] } = await caches({ ttlMs: 300 });
    await a!.get(1, loader('before').load);
    await redisServer.stop();
    try {
      // Its own value, fresh, then stale when Zulip fails too.
      const none = loader('unused');
      expect(await a!.get(1, none.load)).toMatchObject({ value: 'before', stale: false });
      expect(none.calls).toBe(0);
      await pause(350);
      expect(await a!.get(1, loader(new Error('Zulip is down')).load)).toMatchObject({ value: 'before', stale: true });
      // Each instance loads for itself.
      const own = loader('own');
      await Promise.all([a!, b!, c!].map((cache) => cache.get(2, own.load)));
      expect(own.calls).toBe(3);
      expect(events(group.logLines, 'detail_cache_redis_unreachable')).toHaveLength(3);
      expect(events(group.logLines, 'detail_cache_redis_unreachable')[0]).toMatchObject({ cache: 'test' });
    } finally {
      await redisServer.start();
    }
    await group.ready();
    await pause(1_100);
    const shared = loader('shared');
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => [a!, b!, c!][i % 3]!.get(9, shared.load)));
    expect(shared.calls).toBe(1);
    expect(results.every((r) => r.value === 'shared')).toBe(true);
    expect(events(group.logLines, 'detail_cache_redis_recovered')).toHaveLength(3);
  });
});

describe('RedisDetailCache: what Redis holds is not trusted (docs/architecture.md §10)', () => {
  it('a value stamped ahead of Redis\'s clock (no instance writes one) is not fresh for ever: it is loaded again', async () => {
    const { group, caches: [a] } = await caches({ ttlMs: 150 });
    await a!.get(1, loader('v1').load);
    const [store] = group.stores;
    const key = `${store!.prefix}detail:test:1`;
    await store!.redis.hset(key, 'at', String(Date.now() + 365 * 24 * 3600 * 1000));
    await pause(200);
    const again = loader('v2');
    expect(await a!.get(1, again.load)).toMatchObject({ value: 'v2', stale: false });
    expect(again.calls).toBe(1);
  });

  it("with REDIS_SHARED_SECRET, one person's signed answer copied under another's key is not served as theirs", async () => {
    const group = instances(redisServer.url, 1);
    onTestFinished(() => group.close());
    await group.ready();
    const store = { ...group.stores[0]!, sealer: sealer('test-deployment', 's'.repeat(40)) };
    const cache = new RedisDetailCache<number, string>({ store, name: 'test', ttlMs: 10_000, parse: asString, logger: group.logger });
    await cache.get(1, loader('answer for person 1').load);
    const one = `${store.prefix}detail:test:1`;
    const two = `${store.prefix}detail:test:2`;
    const [value, at] = await store.redis.hmget(one, 'value', 'at');
    await store.redis.hset(two, 'value', value!, 'at', at!);
    // A new instance, so nothing is answered from this process's own copy.
    const other = new RedisDetailCache<number, string>({ store, name: 'test', ttlMs: 10_000, parse: asString, logger: group.logger });
    const own = loader('answer for person 2');
    expect(await other.get(2, own.load)).toMatchObject({ value: 'answer for person 2' });
    expect(own.calls).toBe(1);
    // The copy under its own key is still served.
    expect(await other.get(1, loader('unused').load)).toMatchObject({ value: 'answer for person 1' });
  });
});
