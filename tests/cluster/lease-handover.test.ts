// A leader that stops cleanly gives the lease up and says so (docs/architecture.md §10): a
// follower leads at once, not at its next try (every lease/5) nor when the lease would expire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCoordination } from '@/lib/server/cluster/redis-coordination';
import { deploymentIdentity } from '@/lib/server/cluster/deployment';
import type { Coordination } from '@/lib/server/cluster/coordination';
import { createLogger } from '@/lib/server/log';
import { startRedisServer, type RedisServer } from '@/tests/support/redis-server';
import { waitFor } from '@/tests/integration/support';

/** Long enough that a follower's own next try (every 6 s) or the lease's expiry cannot explain a quick takeover. */
const LEASE_MS = 30_000;
let server: RedisServer;
const started: Coordination[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const coordination of started) await coordination.close();
  await server?.stop();
});

function instance(id: string) {
  const deployment = deploymentIdentity('https://chat.example.com', 'bot@chat.example.com');
  const coordination = redisCoordination({ url: server.url, keyPrefix: `handover:${deployment}:`, deployment, sharedSecret: null }, { instanceId: id, leaseMs: LEASE_MS, logger: createLogger(undefined, 'silent') });
  started.push(coordination);
  coordination.leadership.start({ lead: () => {}, follow: () => {} });
  return coordination;
}

describe('a clean stop of the leader', () => {
  it('hands the lead to a follower within a second', async () => {
    const a = instance('a');
    await waitFor(() => a.leadership.status().role === 'leader', 3_000);
    const b = instance('b');
    // b has tried once (and found a leading) and subscribed: its next own try is 6 s away.
    await waitFor(() => b.leadership.status().leader === 'a', 3_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stoppedAt = Date.now();
    await a.close();
    await waitFor(() => b.leadership.status().role === 'leader', 5_000);
    expect(Date.now() - stoppedAt).toBeLessThan(1_000);
  });
});
