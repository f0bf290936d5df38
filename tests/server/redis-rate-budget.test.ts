// One request budget for the bot across instances (docs/architecture.md §3, §10; docs/zulip.md §g):
// three RedisRateBudgets, each on its own connection to one real Redis, in front of the demo
// Zulip over real HTTP.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startDemoZulip, type DemoZulip } from '@/lib/demo-zulip/server';
import { RedisRateBudget } from '@/lib/server/cluster/redis-rate-budget';
import { createZulipClient, type ZulipClient } from '@/lib/zulip/client';
import { isZulipError, type ZulipError } from '@/lib/zulip/errors';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { demoStats, events, force429, instances, pause, resetDemoStats, type Instances } from './cluster-support';

let redisServer: RedisServer;
beforeAll(async () => {
  redisServer = await startRedisServer();
});
afterAll(() => redisServer.stop());

type Cluster = { demo: DemoZulip; group: Instances; budgets: RedisRateBudget[]; clients: ZulipClient[] };

/** A demo Zulip allowing 20 calls a minute (our share: 16, a quarter of it kept for background work) and three instances. */
async function cluster(maxBackgroundWaitMs = 0): Promise<Cluster> {
  const demo = await startDemoZulip({ port: 0, users: 5, simulation: false, rateLimit: { requests: 20, windowSeconds: 60 } });
  const group = instances(redisServer.url, 3);
  const budgets = group.stores.map((store) => new RedisRateBudget({ store, logger: group.logger, maxBackgroundWaitMs }));
  const config = { site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  const clients = budgets.map((budget) => createZulipClient(config, { budget, timeoutMs: 2_000 }));
  await group.ready();
  onTestFinished(async () => {
    await Promise.all(budgets.map((b) => b.idle()));
    group.close();
    await demo.close();
  });
  return { demo, group, budgets, clients };
}

/** One interactive call (a detail fetch would be one): its error, or null when it went through. */
async function interactive(client: ZulipClient): Promise<ZulipError | null> {
  try {
    await client.getProfileFields({ priority: 'interactive' });
    return null;
  } catch (error) {
    if (isZulipError(error)) return error;
    throw error;
  }
}

const PROFILE_FIELDS = 'GET /api/v1/realm/profile_fields';

describe('RedisRateBudget: one budget for the bot across instances', () => {
  it('takes calls atomically: concurrent acquires on three instances never pass the shared headroom', async () => {
    const { budgets } = await cluster();
    await budgets[0]!.acquire('GET /users', 'background');
    budgets[0]!.update(new Headers({ 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '100', 'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 60) }));
    await budgets[0]!.idle();
    // Allowance 80 of 100, a quarter of it (20) kept for background work: interactive calls go
    // while remaining - 20 > 20, so exactly 60 of 150, however they are spread.
    const tries = Array.from({ length: 150 }, (_, i) => budgets[i % 3]!.acquire('GET /users/{user_id_or_email}/presence', 'interactive').then(() => true, () => false));
    expect((await Promise.all(tries)).filter(Boolean)).toHaveLength(60);
    await budgets[1]!.refresh();
    expect(budgets[1]!.snapshot()).toMatchObject({ limit: 100, remaining: 40, interactiveAvailable: false, backgroundAvailable: true });
  });

  it('shares `remaining`: a burst on three instances costs Zulip no more than the one share allows, and no 429', async () => {
    const { demo, budgets, clients } = await cluster();
    // Every instance has heard Zulip's limit: without a shared budget each would now allow itself ~10 more.
    for (const client of clients) expect(await interactive(client)).toBeNull();
    await Promise.all(budgets.map((b) => b.idle()));
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => interactive(clients[i % 3]!)));
    // 17 left: interactive calls go while remaining > 8, so 9 more, whichever instance asked.
    expect(burst.filter((e) => e === null)).toHaveLength(9);
    expect(burst.filter((e) => e !== null).every((e) => e!.kind === 'rate_limited' && e!.status === undefined)).toBe(true);
    const stats = await demoStats(demo);
    expect(stats.byEndpoint[PROFILE_FIELDS]).toBe(12);
    expect(stats.rateLimited).toBe(0);

    await Promise.all(budgets.map((b) => b.idle()));
    await Promise.all(budgets.map((b) => b.refresh()));
    const remaining = budgets.map((b) => b.snapshot().remaining);
    expect(remaining).toEqual([8, 8, 8]);
  });

  it("a 429's Retry-After seen by one instance refuses the others' calls without calling Zulip, until it has passed", async () => {
    const { demo, clients } = await cluster(5_000);
    await force429(demo, 1.5);
    expect(await interactive(clients[0]!)).toMatchObject({ kind: 'rate_limited', status: 429 });
    await resetDemoStats(demo);

    for (const client of clients.slice(1)) {
      const refused = await interactive(client);
      expect(refused).toMatchObject({ kind: 'rate_limited', status: undefined });
      expect(refused!.message).toContain('waiting for Retry-After');
    }
    expect((await demoStats(demo)).total).toBe(0);

    // Background work on another instance waits for the block (and the window it reported) instead.
    const started = Date.now();
    await clients[2]!.getProfileFields();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect((await demoStats(demo)).byEndpoint[PROFILE_FIELDS]).toBe(1);
  });

  it('a block or a reset in Redis further out than any instance writes (an hour) is not believed: calls go on', async () => {
    const { clients, group } = await cluster();
    const budget = `${group.stores[0]!.prefix}rate-budget`;
    const yearAhead = Date.now() + 365 * 86_400_000;
    await group.stores[0]!.redis.hset(budget, { blockedUntil: yearAhead, limit: 20, remaining: 0, resetAt: yearAhead });
    expect(await interactive(clients[1]!)).toBeNull();
  });

  it('Redis down: calls still go, each instance on its own budget (logged once); Redis back: shared again by itself', async () => {
    const { demo, group, budgets, clients } = await cluster();
    expect(await interactive(clients[0]!)).toBeNull();
    await redisServer.stop();
    try {
      for (let round = 0; round < 2; round++) for (const client of clients) expect(await interactive(client)).toBeNull();
      expect(budgets.every((b) => !b.shared)).toBe(true);
      expect(events(group.logLines, 'rate_budget_redis_unreachable')).toHaveLength(3);
      // Each stand-in knows what Zulip said last to its instance: the last call, 7th in all, was the third's.
      expect(budgets[2]!.snapshot()).toMatchObject({ limit: 20, remaining: 13 });
    } finally {
      await redisServer.start();
    }
    await group.ready();

    // The first call after the pause finds Redis again.
    await pause(1_100);
    for (const client of clients) expect(await interactive(client)).toBeNull();
    expect(budgets.every((b) => b.shared)).toBe(true);
    expect(events(group.logLines, 'rate_budget_redis_recovered')).toHaveLength(3);

    // Shared again: a block seen by one stops the others (their own stand-ins never heard of it).
    await force429(demo, 1);
    expect(await interactive(clients[0]!)).toMatchObject({ kind: 'rate_limited', status: 429 });
    await resetDemoStats(demo);
    expect((await interactive(clients[1]!))?.message).toContain('waiting for Retry-After');
    expect((await demoStats(demo)).total).toBe(0);
  });
});
