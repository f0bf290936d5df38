// A crowd opening one person's breakdown on three instances costs the real (demo) Zulip one
// GET /users/{id}/presence (docs/architecture.md §3): three clients, three RedisDetailCaches on
// three connections to one real Redis, the per-person endpoint over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoZulip, type DemoZulip } from '@/lib/demo-zulip/server';
import { RedisDetailCache } from '@/lib/server/cluster/redis-detail-cache';
import { createZulipClient, type ZulipClient } from '@/lib/zulip/client';
import { RateBudget } from '@/lib/zulip/rate-budget';
import type { UserPresenceDetail } from '@/lib/zulip/records';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { demoStats, instances, resetDemoStats, type Instances } from './cluster-support';
import { readPresenceDetail } from '@/lib/server/cluster/redis-records';

let redisServer: RedisServer;
let demo: DemoZulip;
let group: Instances;
let clients: ZulipClient[];
beforeAll(async () => {
  [redisServer, demo] = await Promise.all([startRedisServer(), startDemoZulip({ port: 0, users: 20, simulation: false })]);
  group = instances(redisServer.url, 3);
  await group.ready();
  const config = { site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  clients = group.stores.map(() => createZulipClient(config, { budget: new RateBudget(), timeoutMs: 2_000 }));
});
afterAll(async () => {
  group.close();
  await Promise.all([demo.close(), redisServer.stop()]);
});

/** Someone who has just reported presence from the web app, so Zulip has a breakdown for them. */
async function someoneOnline(): Promise<number> {
  const person = demo.org.users.find((u) => !u.is_bot && u.is_active)!;
  const response = await fetch(`${demo.site}/api/v1/users/me/presence`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${person.delivery_email}:${person.api_key}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
    },
    body: new URLSearchParams({ status: 'active', ping_only: 'true' }),
  });
  expect(response.status).toBe(200);
  return person.user_id;
}

describe('the shared detail cache against Zulip', () => {
  it('60 viewers of one person on three instances: Zulip answers GET /users/{id}/presence once', async () => {
    const userId = await someoneOnline();
    const caches = group.stores.map((store) => new RedisDetailCache<number, UserPresenceDetail>({ store, name: 'presence-detail-test', ttlMs: 10_000, parse: readPresenceDetail, logger: group.logger }));
    await resetDemoStats(demo);

    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => caches[i % 3]!.get(userId, () => clients[i % 3]!.getUserPresence(userId))));

    const stats = await demoStats(demo);
    expect(stats.byEndpoint['GET /api/v1/users/{user_id_or_email}/presence']).toBe(1);
    expect(stats.total).toBe(1);
    // What the other instances read back from Redis is what the loading one got from Zulip.
    expect(results[0]!.value.clients.length).toBeGreaterThan(0);
    for (const result of results) expect(result.value).toEqual(results[0]!.value);
  });
});
