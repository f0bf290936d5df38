import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterKeys } from '@/lib/server/cluster/keys';
import { Reachability } from '@/lib/server/cluster/reachability';
import { RedisLease } from '@/lib/server/cluster/redis-lease';
import type { Role } from '@/lib/server/cluster/leadership';
import { startRedisServer, type RedisServer } from '@/tests/support/redis-server';
import { redisClients } from '@/tests/support/redis-clients';
import { waitFor } from '@/tests/integration/support';
import { FakeClock } from '@/tests/support/fake-clock';
import { leaseMs, loadSettings } from '@/lib/server/settings';

// The lease that picks the one instance talking to Zulip (lib/server/cluster/redis-lease.ts,
// docs/architecture.md §10), against a real Redis.

const LEASE_MS = 3_000;
let server: RedisServer;
const clients = redisClients(() => server);
const { logger } = clients;
const leases: RedisLease[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  for (const lease of leases) await lease.close();
  clients.closeAll();
  await server.stop();
});


const DEPLOYMENT = 'abcdef0123456789';

async function startLease(prefix: string, instanceId: string, clock?: FakeClock, leaseMs = LEASE_MS) {
  const reachability = new Reachability(logger);
  const lease = new RedisLease({ redis: await clients.open('test'), keys: clusterKeys(prefix), deployment: DEPLOYMENT, onForeign: () => {}, instanceId, leaseMs, reachability, logger, clock });
  leases.push(lease);
  const roles: Array<{ role: Role; fence: number | null; at: number }> = [];
  lease.start({ lead: (fence) => roles.push({ role: 'leader', fence, at: Date.now() }), follow: () => roles.push({ role: 'follower', fence: null, at: Date.now() }) });
  return { lease, roles, reachability };
}


describe('RedisLease', () => {
  it('leads with a lease setting that has decimals: Redis takes whole milliseconds only', async () => {
    // 16.1 × 1000 is 16100.000000000002, which SET … PX refuses ("value is not an integer"): no
    // instance would ever lead, and each would say it cannot reach Redis.
    const { lease, reachability } = await startLease('decimals:', 'a', undefined, leaseMs(loadSettings({ DIRECTORY_LEASE_SECONDS: '16.1' } as unknown as NodeJS.ProcessEnv)));
    await waitFor(() => lease.status().role === 'leader', 2_000);
    expect(reachability.reachable).toBe(true);
  });

  it('elects exactly one of several, with a new fence each election', async () => {
    const all = await Promise.all(['a', 'b', 'c'].map((id) => startLease('one:', id)));
    await waitFor(() => all.some((x) => x.lease.status().role === 'leader'), 2_000);
    await new Promise((r) => setTimeout(r, LEASE_MS));
    const leaders = all.filter((x) => x.lease.status().role === 'leader');
    expect(leaders).toHaveLength(1);
    const leader = leaders[0]!;
    // Renewed, not lost, across a whole lease time.
    expect(leader.roles.filter((r) => r.role === 'leader')).toHaveLength(1);
    for (const other of all.filter((x) => x !== leader)) expect(other.lease.status().leader).toBe(leader.lease.status().leader);
    const fence = leader.lease.status().fence!;
    await leader.lease.close();
    const next = all.filter((x) => x !== leader);
    await waitFor(() => next.some((x) => x.lease.status().role === 'leader'), LEASE_MS);
    expect(next.find((x) => x.lease.status().role === 'leader')!.lease.status().fence).toBe(fence + 1);
  });

  it('takes over a value no instance writes at the lease key (a hash, or a string that never expires)', async () => {
    const redis = await clients.open('test');
    const strayHash = clusterKeys('stray-hash:');
    await redis.hset(strayHash.lease, 'x', '1');
    const strayString = clusterKeys('stray-string:');
    await redis.set(strayString.lease, `${DEPLOYMENT} someone 3`);
    for (const prefix of ['stray-hash:', 'stray-string:']) {
      const { lease } = await startLease(prefix, 'taker');
      await waitFor(() => lease.status().role === 'leader', LEASE_MS);
      expect(await redis.get(clusterKeys(prefix).lease)).toMatch(new RegExp(`^${DEPLOYMENT} taker \\d+$`));
    }
  });

  it('takes over from a leader that died only once its lease has run out', async () => {
    const redis = await clients.open('test');
    const keys = clusterKeys('dead:');
    // A leader that stopped renewing (its process was killed) a moment ago.
    await redis.set(keys.fence, '7');
    await redis.set(keys.lease, `${DEPLOYMENT} ghost 7`, 'PX', LEASE_MS);
    const startedAt = Date.now();
    const successor = await startLease('dead:', 'successor');
    await waitFor(() => successor.lease.status().role === 'leader', LEASE_MS * 2);
    const waited = Date.now() - startedAt;
    expect(waited).toBeGreaterThanOrEqual(LEASE_MS - 100);
    // Within the lease time and one try (a fifth of it).
    expect(waited).toBeLessThanOrEqual(LEASE_MS * 1.2 + 300);
    expect(successor.lease.status().fence).toBe(8);
  });

  it('steps down at its deadline even while a renewal hangs (Redis holds its writes)', async () => {
    const clock = new FakeClock();
    const { lease } = await startLease('hang:', 'hung', clock);
    await waitFor(() => lease.status().role === 'leader', 2_000);
    const admin = await clients.open('test');
    // Redis holds every write and every script for 5 s: the next renewal waits (its command
    // timeout is 1.5 s of real time). Reads and CLIENT UNPAUSE still run.
    await admin.call('CLIENT', 'PAUSE', '5000', 'WRITE');
    try {
      // Our clock passes 0.8 of the lease: the renewal sent on the way is still waiting.
      await clock.advance(LEASE_MS * 0.8 + 10);
      expect(lease.status().role).toBe('follower');
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
    }
  });

  it('gives back a lease it won while stopping, so that another leads at once', async () => {
    const redis = await clients.open('test');
    const { lease } = await startLease('closing:', 'stopping');
    // Stopped while its first ACQUIRE is on its way.
    await lease.close();
    const keys = clusterKeys('closing:');
    // It did win (a fence was taken), and the lease is free again well before it would expire.
    await expect.poll(async () => [await redis.get(keys.fence), await redis.get(keys.lease)], { timeout: 1_000 }).toEqual(['1', null]);
  });

  it('steps down before its lease can expire when Redis is unreachable, and leads again once it is back', async () => {
    const { lease, roles, reachability } = await startLease('outage:', 'solo');
    await waitFor(() => lease.status().role === 'leader', 2_000);
    const stoppedAt = Date.now();
    await server.stop();
    await waitFor(() => lease.status().role === 'follower', LEASE_MS * 2);
    // It stops before anyone else could have taken the lease over.
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS);
    expect(reachability.reachable).toBe(false);
    await server.start();
    await waitFor(() => lease.status().role === 'leader', LEASE_MS * 3);
    expect(reachability.reachable).toBe(true);
    expect(roles.map((r) => r.role)).toEqual(['follower', 'leader', 'follower', 'leader']);
  }, 20_000);
});
