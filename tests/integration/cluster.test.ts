import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoZulip, type DemoZulip } from '@/lib/demo-zulip/server';
import { DirectoryRuntime } from '@/lib/server/runtime';
import { clusterKeys } from '@/lib/server/cluster/keys';
import { deploymentIdentity, sealer } from '@/lib/server/cluster/deployment';
import { Reachability } from '@/lib/server/cluster/reachability';
import { RedisFeedWriter } from '@/lib/server/cluster/redis-feed-writer';
import type { PresenceDiff } from '@/lib/directory/domain/types';
import { startRedisServer, type RedisServer } from '@/tests/support/redis-server';
import { redisClients } from '@/tests/support/redis-clients';
import { activeHumans, clusterRuntime, reportPresence, waitFor } from './support';

// Three instances of the directory's server side, one demo Zulip and one real Redis
// (docs/architecture.md §10): one leader talks to Zulip, the others follow its feed, and every
// instance serves the same presence versions. The browser suite (e2e/cluster.spec.ts) runs the
// same with three `next start` processes, killing the leader's process outright.

const LEASE_SECONDS = 3;
const PREFIX = 'cluster-test:';

let redis: RedisServer;
const clients = redisClients(() => redis);
let demo: DemoZulip;
const instances: Array<{ name: string; runtime: DirectoryRuntime; diffs: PresenceDiff[]; log: Array<Record<string, unknown>> }> = [];

function startInstance(name: string, prefix = PREFIX) {
  const settings = { url: redis.url, keyPrefix: prefix, deployment: deploymentIdentity(demo.site, demo.bot.email), sharedSecret: null };
  const { runtime, log } = clusterRuntime(name, demo, settings, LEASE_SECONDS);
  const diffs: PresenceDiff[] = [];
  runtime.view.fanOut.subscribe((message) => {
    // Presence diffs only; the stream also says when people changed (docs/architecture.md §17).
    if (message.includes('event: presence\n')) diffs.push(JSON.parse(message.slice(message.indexOf('data: ') + 6)) as PresenceDiff);
  });
  runtime.start();
  const instance = { name, runtime, diffs, log };
  instances.push(instance);
  return instance;
}

const live = () => instances.filter((i) => i.runtime.cluster().role !== undefined && !closed.has(i.name));
const closed = new Set<string>();
const leaders = () => live().filter((i) => i.runtime.cluster().role === 'leader');
const demoGet = async (path: string) => (await (await fetch(`${demo.site}${path}`)).json()) as Record<string, unknown>;

beforeAll(async () => {
  redis = await startRedisServer();
  demo = await startDemoZulip({ port: 0, seed: 5, users: 60, simulation: false });
  for (const name of ['a', 'b', 'c']) startInstance(name);
  await waitFor(() => leaders().length === 1 && instances.every((i) => i.runtime.loaded), 15_000);
}, 30_000);

afterAll(async () => {
  clients.closeAll();
  for (const i of instances) await i.runtime.close();
  await demo?.close();
  await redis?.stop();
});

/** Someone the directory lists who is not active now, and the instances agree on it. */
function someoneOffline() {
  return activeHumans(demo).find((u) => u.presence_enabled && instances.every((i) => i.runtime.view.presence.get(u.user_id)?.state !== 'active'))!;
}

describe('three instances through Redis', () => {
  it('one of them talks to Zulip: one event queue, one presence poller', async () => {
    expect(leaders()).toHaveLength(1);
    expect(await demoGet('/demo/queues')).toMatchObject({ queues: 1 });
    await fetch(`${demo.site}/demo/stats`, { method: 'DELETE' });
    await new Promise((r) => setTimeout(r, 3_500));
    const stats = (await demoGet('/demo/stats')) as { byEndpoint: Record<string, number> };
    // One poller at PRESENCE_REFRESH_SECONDS=1: about 3 polls in 3.5 s, where three pollers would make about 10.
    expect(stats.byEndpoint['GET /api/v1/realm/presence']).toBeGreaterThanOrEqual(2);
    expect(stats.byEndpoint['GET /api/v1/realm/presence']).toBeLessThanOrEqual(4);
    expect(stats.byEndpoint['POST /api/v1/register'] ?? 0).toBe(0);
    for (const i of instances) expect(i.runtime.view.people.list().length).toBe(activeHumans(demo).length);
  });

  it('a presence change reaches the streams of all three, with the same version everywhere', async () => {
    const person = someoneOffline();
    const before = instances.map((i) => i.runtime.view.log.current);
    await reportPresence(demo, person, 'active');
    for (const i of instances) {
      await waitFor(() => i.diffs.some((d) => d.changes.some((c) => c.id === person.user_id && c.presence?.state === 'active')));
      expect(i.runtime.view.presence.get(person.user_id)?.state).toBe('active');
    }
    const versions = (i: (typeof instances)[number]) => i.diffs.filter((d) => d.changes.some((c) => c.id === person.user_id)).map((d) => d.version);
    expect(versions(instances[1]!)).toEqual(versions(instances[0]!));
    expect(versions(instances[2]!)).toEqual(versions(instances[0]!));
    // ?since= from one instance, answered by another.
    const follower = instances.find((i) => i.runtime.cluster().role === 'follower')!;
    expect(follower.runtime.view.log.since(before[0]!)?.some((c) => c.id === person.user_id)).toBe(true);
  });

  it('a profile change (an event) reaches every instance, with the same people revision everywhere', async () => {
    const person = activeHumans(demo)[3]!;
    const before = instances[0]!.runtime.view.peopleRevision();
    const response = await fetch(`${demo.site}/api/v1/users/me/status`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${person.delivery_email}:${person.api_key}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ status_text: 'On the cluster' }),
    });
    expect(response.status).toBe(200);
    for (const i of instances) await waitFor(() => i.runtime.view.people.get(person.user_id)?.status?.text === 'On the cluster');
    // The number a browser compares to tell an instance behind (docs/architecture.md §17).
    const revisions = instances.map((i) => i.runtime.view.peopleRevision());
    expect(new Set(revisions).size).toBe(1);
    expect(revisions[0]).toBeGreaterThan(before);
  });

  it("a follower's per-person answer reaches the leader and every instance's badge", async () => {
    const person = someoneOffline();
    const follower = live().find((i) => i.runtime.cluster().role === 'follower')!;
    const now = Math.floor(follower.runtime.zulipNow());
    // What GET /users/{id}/presence would answer right after the person became active.
    const record = { activeTimestamp: now, idleTimestamp: now };
    follower.runtime.absorbPresenceDetail(person.user_id, { clients: [], aggregated: null, modern: record, record, serverTimestamp: now });
    // Every instance's stream says so (the next poll puts Zulip's own, older row back: this answer was made up).
    for (const i of live()) await waitFor(() => i.diffs.some((d) => d.changes.some((c) => c.id === person.user_id && c.presence?.state === 'active')));
  });

  it('an instance started later catches up from what Redis holds', async () => {
    const person = someoneOffline();
    await reportPresence(demo, person, 'active');
    await waitFor(() => instances.every((i) => i.runtime.view.presence.get(person.user_id)?.state === 'active'));
    const late = startInstance('d');
    await late.runtime.ready();
    expect(late.runtime.cluster().role).toBe('follower');
    expect(late.runtime.view.presence.get(person.user_id)?.state).toBe('active');
    expect(late.runtime.view.people.list().length).toBe(activeHumans(demo).length);
    expect(late.runtime.view.teams.list()).toEqual(instances[0]!.runtime.view.teams.list());
    expect(late.runtime.view.peopleRevision()).toBe(instances[0]!.runtime.view.peopleRevision());
    await waitFor(() => late.runtime.view.log.current === instances[0]!.runtime.view.log.current);
    // Its log starts at the snapshot: an older version gets everything, a current one nothing.
    expect(late.runtime.view.log.since(0)).toBeNull();
    expect(late.runtime.view.log.since(late.runtime.view.log.current)).toEqual([]);
  });

  it('a former leader cannot write once another has been elected (fencing)', async () => {
    const { logger } = clients;
    const connection = await clients.open('fencing-test');
    const keys = clusterKeys(PREFIX);
    const [deployment, leader, fence] = (await connection.get(keys.lease))!.split(' ');
    expect(Number(fence)).toBeGreaterThan(0);
    let fenced = false;
    const writer = new RedisFeedWriter({
      redis: connection,
      keys,
      // The leader as it was before the last election.
      lease: `${deployment} ${leader} ${Number(fence) - 1}`,
      deployment: deployment!,
      sealer: sealer(deployment!, null),
      snapshot: () => {
        throw new Error('not reached');
      },
      onFenced: () => (fenced = true),
      reachability: new Reachability(logger),
      logger,
    });
    const seqBefore = await connection.get(keys.seq);
    writer.publish({ meta: {} as never, people: [], teams: [], presence: null });
    await writer.flushed();
    expect(fenced).toBe(true);
    expect(await connection.get(keys.seq)).toBe(seqBefore);
  });

  it("a new leader that cannot register yet keeps everyone's badges as they were", async () => {
    const shown = live()[0]!.runtime.view.presence.all().filter((c) => c.presence !== null);
    expect(shown.length).toBeGreaterThan(0);
    const faults = (body: object) => fetch(`${demo.site}/demo/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    await faults({ errorRate: 1, errorStatus: 500, pathPrefix: '/api/v1/register' });
    const leader = leaders()[0]!;
    closed.add(leader.name);
    await leader.runtime.close();
    await waitFor(() => leaders().length === 1, (LEASE_SECONDS + 3) * 1000);
    // Several of its presence ticks (1 s) go by without a register.
    await new Promise((r) => setTimeout(r, 2_500));
    for (const i of live()) for (const { id, presence } of shown) expect(i.runtime.view.presence.get(id)?.state).toBe(presence!.state);
    await fetch(`${demo.site}/demo/faults`, { method: 'DELETE' });
    await waitFor(() => live().every((i) => !i.runtime.freshness().stale), 10_000);
  }, 20_000);

  it('the leader leaving hands over within the lease time, and no change is missed', async () => {
    const leader = leaders()[0]!;
    const startedAt = Date.now();
    closed.add(leader.name);
    await leader.runtime.close();
    const person = someoneOffline();
    // A change while nobody talks to Zulip: the new leader's register brings it.
    await reportPresence(demo, person, 'active');
    await waitFor(() => leaders().length === 1, (LEASE_SECONDS + 3) * 1000);
    const takeover = Date.now() - startedAt;
    expect(takeover).toBeLessThan(LEASE_SECONDS * 1000 + 1_000);
    for (const i of live()) await waitFor(() => i.runtime.view.presence.get(person.user_id)?.state === 'active');
    const [x, y] = live();
    await waitFor(() => x!.runtime.view.log.current === y!.runtime.view.log.current);
    expect(await demoGet('/demo/queues')).toMatchObject({ queues: 1 });
  });

  it('with Redis gone every instance serves its last data marked stale, and recovers by itself', async () => {
    const person = someoneOffline();
    const versionBefore = live()[0]!.runtime.view.log.current;
    await redis.stop();
    for (const i of live()) {
      await waitFor(() => i.runtime.freshness().stale, 5_000);
      expect(i.runtime.cluster().redis).toBe('unreachable');
      expect(i.runtime.view.people.list().length).toBe(activeHumans(demo).length);
      await waitFor(() => i.log.some((l) => l.event === 'redis_unreachable'));
    }
    await redis.start();
    await reportPresence(demo, person, 'active');
    for (const i of live()) {
      await waitFor(() => !i.runtime.freshness().stale && i.runtime.cluster().redis === 'ok', (LEASE_SECONDS + 5) * 1000);
      await waitFor(() => i.runtime.view.presence.get(person.user_id)?.state === 'active', (LEASE_SECONDS + 5) * 1000);
      expect(i.log.some((l) => l.event === 'redis_recovered')).toBe(true);
    }
    expect(leaders()).toHaveLength(1);
    // Redis came back empty: numbering went on above every version served before, never back to 1.
    for (const i of live()) expect(i.runtime.view.log.current).toBeGreaterThan(versionBefore);
  }, 30_000);

  it('a leader with nothing yet (Zulip refuses its register) writes nothing that would empty the others', async () => {
    const faults = (init: RequestInit) => fetch(`${demo.site}/demo/faults`, { headers: { 'Content-Type': 'application/json' }, ...init });
    await faults({ method: 'POST', body: JSON.stringify({ errorRate: 1, errorStatus: 500, pathPrefix: '/api/v1/register' }) });
    const lonely = startInstance('e', 'empty:');
    await waitFor(() => lonely.runtime.cluster().role === 'leader');
    await waitFor(() => lonely.runtime.freshness().stale, 5_000);
    // A follower asks for a snapshot (as every instance does when it starts, itself included,
    // before it wins the lease): it gets none, not an empty one that would replace what it holds.
    const connection = await clients.open('empty-feed');
    await connection.publish(clusterKeys('empty:').snapshotWanted, '0');
    // Several presence ticks and a failure later, the feed is as empty as the instance.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await connection.xlen(clusterKeys('empty:').feed)).toBe(0);
    expect(await connection.exists(clusterKeys('empty:').snapshot)).toBe(0);
    await faults({ method: 'DELETE' });
    await waitFor(() => lonely.runtime.loaded, 10_000);
    // Then its register's snapshot is the first thing it writes.
    for (let tries = 0; (await connection.exists(clusterKeys('empty:').snapshot)) === 0; tries++) {
      expect(tries).toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 20_000);

  it('followers say so when no leader has written for a while (the lease held by one that is silent)', async () => {
    const first = startInstance('f', 'silent:');
    const second = startInstance('g', 'silent:');
    await waitFor(() => first.runtime.loaded && second.runtime.loaded && [first, second].some((i) => i.runtime.cluster().role === 'leader'), 10_000);
    // A leader that holds the lease but writes nothing (hung, or cut off from Zulip and Redis alike).
    const connection = await clients.open('silent-lease');
    await connection.set(clusterKeys('silent:').lease, `${deploymentIdentity(demo.site, demo.bot.email)} ghost 999`, 'PX', 60_000);
    await waitFor(() => [first, second].every((i) => i.runtime.cluster().role === 'follower'), LEASE_SECONDS * 2_000);
    expect([first, second].every((i) => !i.runtime.freshness().stale)).toBe(true);
    // Three refreshes and two leases (6 s here) without a word.
    for (const i of [first, second]) {
      await waitFor(() => i.runtime.freshness().problem === 'No directory instance is talking to Zulip right now', 10_000);
      expect(i.runtime.view.people.list().length).toBe(activeHumans(demo).length);
      // The open streams are told too.
      await waitFor(() => i.diffs.some((d) => d.freshness.problem === 'No directory instance is talking to Zulip right now'));
    }
    await connection.del(clusterKeys('silent:').lease);
    for (const i of [first, second]) await waitFor(() => !i.runtime.freshness().stale, 10_000);
  }, 30_000);
});
