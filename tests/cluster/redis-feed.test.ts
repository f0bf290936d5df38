import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterKeys } from '@/lib/server/cluster/keys';
import { Reachability } from '@/lib/server/cluster/reachability';
import { RedisFeedWriter } from '@/lib/server/cluster/redis-feed-writer';
import { RedisFeedReader, type Replica } from '@/lib/server/cluster/redis-feed-reader';
import type { FeedEntry, ViewMeta, ViewSnapshot } from '@/lib/server/cluster/feed';
import { sealer } from '@/lib/server/cluster/deployment';
import type { RecordIssue } from '@/lib/zulip/record-issues';
import { startRedisServer, type RedisServer } from '@/tests/support/redis-server';
import { redisClients } from '@/tests/support/redis-clients';
import { waitFor } from '@/tests/integration/support';

// The leader's feed and a follower's reading of it (lib/server/cluster/redis-feed-*.ts,
// docs/architecture.md §10), against a real Redis, with a made-up view: a counter.

const freshness = { presenceUpdatedAt: null, stale: false, problem: null, presenceDisabled: false };
const meta: ViewMeta = {
  org: { name: 'Test', realmUrl: 'https://zulip.example.com', zulipVersion: '10.2', featureLevel: 372, demo: false },
  presenceDisabled: false,
  thresholdSeconds: 140,
  zulipOffsetMs: 0,
  upstream: { state: 'ok', lastSuccessAt: 1, presenceUpdatedAt: 1, lastError: null },
  skipped: {},
};

let server: RedisServer;
const clients = redisClients(() => server);
const { logger } = clients;
const readers: RedisFeedReader[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  for (const reader of readers) reader.close();
  clients.closeAll();
  await server.stop();
});


const DEPLOYMENT = 'feed-test';
const SITE = 'https://zulip.example.com';

/** A leader whose whole view is `version`; each entry moves it on by one. */
async function leader(prefix: string, snapshotEvery: number, options: { deployment?: string; secret?: string | null } = {}) {
  const redis = await clients.open('test');
  const keys = clusterKeys(prefix);
  const deployment = options.deployment ?? DEPLOYMENT;
  await redis.set(keys.lease, `${deployment} leader 1`);
  let version = 0;
  const snapshot = (): ViewSnapshot => ({ meta, people: { fields: [], records: [] }, teams: [], presence: { version, full: true, changes: [], freshness } });
  const writer = new RedisFeedWriter({
    redis,
    keys,
    lease: `${deployment} leader 1`,
    deployment,
    sealer: sealer(deployment, options.secret ?? null),
    snapshot,
    onFenced: () => {},
    reachability: new Reachability(logger),
    logger,
    snapshotEvery,
  });
  writer.reset();
  return {
    redis,
    keys,
    writer,
    publish() {
      version++;
      writer.publish({ meta, people: [], teams: [], presence: { version, full: false, changes: [], freshness } });
    },
  };
}

async function follower(prefix: string, options: { secret?: string | null } = {}) {
  const seen = { snapshots: [] as number[], entries: [] as number[], caughtUp: false, foreign: null as string | null, skipped: [] as string[] };
  const replica: Replica = {
    adoptSnapshot: (s) => seen.snapshots.push(s.presence.version),
    adoptEntry: (e: FeedEntry) => seen.entries.push(e.presence?.version ?? -1),
    caughtUp: () => (seen.caughtUp = true),
    onForeign: (deployment) => (seen.foreign = deployment),
  };
  const context = { deployment: DEPLOYMENT, sealer: sealer(DEPLOYMENT, options.secret ?? null), site: SITE, report: (issue: RecordIssue) => seen.skipped.push(issue.reason) };
  const reader = new RedisFeedReader({ redis: await clients.open('feed-test', true), commands: await clients.open('feed-commands'), keys: clusterKeys(prefix), context, replica, reachability: new Reachability(logger), logger });
  readers.push(reader);
  reader.start();
  return seen;
}

describe('the feed', () => {
  it('a follower reads every entry in order, through the checkpoints, without being sent back to the snapshot', async () => {
    const lead = await leader('checkpoints:', 3);
    const early = await follower('checkpoints:');
    for (let i = 0; i < 7; i++) lead.publish();
    await lead.writer.flushed();
    await waitFor(() => early.entries.length === 7);
    expect(early.snapshots).toEqual([0]);
    expect(early.entries).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(early.caughtUp).toBe(true);
    // One that starts now begins at the last checkpoint (after entry 6), then reads entry 7.
    const late = await follower('checkpoints:');
    await waitFor(() => late.caughtUp);
    expect(late.snapshots).toEqual([6]);
    expect(late.entries).toEqual([7]);
  });

  it('after Redis lost its data, a follower waits for the new leader and starts again from its snapshot', async () => {
    const lead = await leader('wipe:', 100);
    const seen = await follower('wipe:');
    lead.publish();
    await lead.writer.flushed();
    await waitFor(() => seen.entries.length === 1);
    await server.stop();
    await server.start();
    const next = await leader('wipe:', 100);
    next.publish();
    next.publish();
    await next.writer.flushed();
    await waitFor(() => seen.snapshots.length === 2 && seen.entries.length === 3);
    expect(seen.snapshots).toEqual([0, 0]);
    expect(seen.entries).toEqual([1, 1, 2]);
  }, 15_000);
});
