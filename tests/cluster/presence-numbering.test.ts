// Where a new leader numbers presence diffs on from (docs/architecture.md §10): above every
// version an instance may have served, written to Redis or not, so a browser's old `since` or
// Last-Event-ID is never taken for one of the new leader's versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCoordination } from '@/lib/server/cluster/redis-coordination';
import { clusterKeys } from '@/lib/server/cluster/keys';
import { deploymentIdentity } from '@/lib/server/cluster/deployment';
import type { Coordination } from '@/lib/server/cluster/coordination';
import { createLogger } from '@/lib/server/log';
import { FakeClock } from '@/tests/support/fake-clock';
import { startRedisServer, type RedisServer } from '@/tests/support/redis-server';
import { redisClients } from '@/tests/support/redis-clients';

let server: RedisServer;
const clients = redisClients(() => server);
const started: Coordination[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const coordination of started) await coordination.close();
  clients.closeAll();
  await server?.stop();
});

const deployment = deploymentIdentity('https://chat.example.com', 'bot@chat.example.com');

function instance(prefix: string, clock: FakeClock) {
  const coordination = redisCoordination({ url: server.url, keyPrefix: prefix, deployment, sharedSecret: null }, { instanceId: 'b', leaseMs: 10_000, logger: createLogger(undefined, 'silent'), clock });
  started.push(coordination);
  return coordination;
}

describe('a new leader numbers presence diffs on', () => {
  it('above the versions the leader before served but never wrote (Redis was away from it), not from the last one written', async () => {
    const redis = await clients.open('numbering');
    const prefix = `numbering:${deployment}:`;
    // The last version that reached Redis is 42; the old leader went on to serve 43, 44... to its
    // own streams while its writes failed, then lost the lease.
    await redis.set(clusterKeys(prefix).presenceVersion, '42');
    const clock = new FakeClock(Date.UTC(2026, 11, 7, 12));
    expect(await instance(prefix, clock).presenceVersionFloor()).toBe(clock.now());
  });

  it('above the newest version written when the clock is behind it (set back, or a busy term)', async () => {
    const redis = await clients.open('numbering-ahead');
    const prefix = `numbering-ahead:${deployment}:`;
    const clock = new FakeClock(Date.UTC(2026, 11, 7, 12));
    await redis.set(clusterKeys(prefix).presenceVersion, String(clock.now() + 5_000));
    expect(await instance(prefix, clock).presenceVersionFloor()).toBe(clock.now() + 5_000);
  });

  it('from the time when Redis holds a version no instance wrote, near 2^53 (each diff would get the same number, and browsers could not send it back)', async () => {
    const redis = await clients.open('numbering-forged');
    const prefix = `numbering-forged:${deployment}:`;
    const clock = new FakeClock(Date.UTC(2026, 11, 7, 12));
    await redis.set(clusterKeys(prefix).presenceVersion, String(Number.MAX_SAFE_INTEGER));
    expect(await instance(prefix, clock).presenceVersionFloor()).toBe(clock.now());
  });
});
