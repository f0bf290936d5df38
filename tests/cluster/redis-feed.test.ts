import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { clusterKeys } from '@/lib/server/cluster/keys';
import { Reachability } from '@/lib/server/cluster/reachability';
import { RedisFeedWriter } from '@/lib/server/cluster/redis-feed-writer';
import { RedisFeedReader, type Replica } from '@/lib/server/cluster/redis-feed-reader';
import type { FeedEntry, ViewMeta, ViewSnapshot } from '@/lib/server/cluster/feed';
import { sealer } from '@/lib/server/cluster/deployment';
import type { Clock } from '@/lib/clock';
import { FakeClock } from '@/tests/support/fake-clock';
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
  peopleRevision: 1,
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

/** Moves `clock` on by `ms` in steps, letting the reads each step starts reach Redis and come back. */
async function moveOn(clock: FakeClock, ms: number): Promise<void> {
  for (let step = 0; step < ms; step += 50) {
    await clock.advance(50);
    await new Promise((r) => setTimeout(r, 5));
  }
}
/** Moves `clock` on a quarter second at a time until `done`, for at most 12 s of its time (beyond the longest backoff, 10 s). */
async function moveOnUntil(clock: FakeClock, done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 12_000; waited += 250) await moveOn(clock, 250);
}
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
    /** Publishes `count` entries and waits until they (and whatever writes they asked for) are written. */
    async published(count = 1) {
      for (let i = 0; i < count; i++) this.publish();
      await writer.flushed();
    },
  };
}

/** Deletes the entry numbered `seq` from the leader's stream, as the cap drops old ones. */
async function dropEntry(lead: { redis: Awaited<ReturnType<typeof clients.open>>; keys: ReturnType<typeof clusterKeys> }, seq: number): Promise<void> {
  const entries = (await lead.redis.xrange(lead.keys.feed, '-', '+')) as Array<[string, string[]]>;
  const [id] = entries.find(([, fields]) => fields[1] === String(seq))!;
  await lead.redis.xdel(lead.keys.feed, id);
}

async function follower(prefix: string, options: { secret?: string | null; clock?: Clock } = {}) {
  const seen = { snapshots: [] as number[], entries: [] as number[], caughtUp: false, foreign: null as string | null, skipped: [] as string[] };
  const replica: Replica = {
    adoptSnapshot: (s) => seen.snapshots.push(s.presence.version),
    adoptEntry: (e: FeedEntry) => seen.entries.push(e.presence?.version ?? -1),
    caughtUp: () => (seen.caughtUp = true),
    onForeign: (deployment) => (seen.foreign = deployment),
  };
  const context = { deployment: DEPLOYMENT, sealer: sealer(DEPLOYMENT, options.secret ?? null), site: SITE, report: (issue: RecordIssue) => seen.skipped.push(issue.reason) };
  const reader = new RedisFeedReader({ redis: await clients.open('feed-test', true), commands: await clients.open('feed-commands'), keys: clusterKeys(prefix), context, replica, reachability: new Reachability(logger), logger, clock: options.clock });
  readers.push(reader);
  reader.start();
  return seen;
}

describe('the feed', () => {
  it('a follower reads every entry in order, through the checkpoints, without being sent back to the snapshot', async () => {
    const lead = await leader('checkpoints:', 3);
    const early = await follower('checkpoints:');
    await lead.published(7);
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
    await lead.published();
    await waitFor(() => seen.entries.length === 1);
    await server.stop();
    await server.start();
    const next = await leader('wipe:', 100);
    await next.published(2);
    await waitFor(() => seen.snapshots.length === 2 && seen.entries.length === 3);
    expect(seen.snapshots).toEqual([0, 0]);
    expect(seen.entries).toEqual([1, 1, 2]);
  }, 15_000);

  it('a bad entry is skipped and reported, not taken for an outage: the follower reads on from a fresh snapshot the leader writes when asked', async () => {
    const lead = await leader('bad-entry:', 1_000);
    const seen = await follower('bad-entry:');
    await lead.published();
    await waitFor(() => seen.entries.length === 1);
    // An entry no leader of this version writes, numbered in sequence, as an attacker or a bug would put it.
    const seq = await lead.redis.incr(lead.keys.seq);
    await lead.redis.xadd(lead.keys.feed, '*', 's', String(seq), 'e', '{"v":3,"d":"feed-test","meta":{},"people":[{"id":"x"}],"teams":[],"presence":null}');
    await lead.published(2);
    // It asks; the leader (listening in the runtime, here by hand) writes a checkpoint after the bad entry.
    await waitFor(() => seen.skipped.length > 0);
    lead.writer.checkpoint();
    await lead.published();
    await waitFor(() => seen.snapshots.length === 2 && seen.entries.at(-1) === 4, 8_000);
    expect(seen.snapshots).toEqual([0, 3]);
    expect(seen.skipped).toContain('it cannot be read');
  });

  for (const [name, seq] of [
    ['numbered back', '1'],
    ['numbered far ahead', '999999999999'],
  ] as const) {
    it(`a forged entry ${name} is not read again and again: the follower waits for a snapshot taken after it`, async () => {
      const prefix = `forged-${seq}:`;
      const lead = await leader(prefix, 1_000, { secret: 's'.repeat(40) });
      const clock = new FakeClock(Date.now());
      const seen = await follower(prefix, { secret: 's'.repeat(40), clock });
      await lead.published(3);
      await waitFor(() => seen.entries.length === 3);
      // Anyone who can write to Redis, without the secret.
      await lead.redis.xadd(lead.keys.feed, '*', 's', seq, 'e', 'garbage');
      await waitFor(() => seen.skipped.length > 0);
      await moveOn(clock, 2_000);
      // The snapshot taken before the entry leads back to it: it is not taken again.
      expect(seen.snapshots).toEqual([0]);
      expect(seen.entries).toEqual([1, 2, 3]);
      // The leader writes on, and a checkpoint after the forged entry lets the follower read on.
      await lead.published();
      lead.writer.checkpoint();
      await lead.writer.flushed();
      await lead.published();
      await moveOnUntil(clock, () => seen.entries.at(-1) === 5);
      expect(seen.snapshots).toEqual([0, 4]);
      expect(seen.entries.slice(3)).toEqual([5]);
    }, 20_000);
  }

  it('a gap it cannot bridge makes it ask for a snapshot and wait with backoff, not reload the old one in a loop', async () => {
    const lead = await leader('gap:', 1_000);
    await lead.published(3);
    // Entry 2 gone from the stream (as the cap drops the oldest): the snapshot and the stream no longer meet past it.
    await dropEntry(lead, 3);
    const requests: string[] = [];
    const listener = await clients.open('gap-listener', true);
    await listener.subscribe(lead.keys.snapshotWanted);
    listener.on('message', (_channel: string, message: string) => requests.push(message));
    let snapshotReads = 0;
    const monitor = await (await clients.open('gap-monitor', true)).monitor();
    onTestFinished(() => void monitor.disconnect());
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'get' && args[1] === lead.keys.snapshot) snapshotReads++;
    });
    // The follower waits on a clock the test moves: its backoff is counted in its own time.
    const clock = new FakeClock(Date.now());
    const seen = await follower('gap:', { clock });
    await waitFor(() => seen.skipped.some((reason) => /no longer in the stream/.test(reason)));
    await moveOn(clock, 2_000);
    expect(seen.snapshots).toEqual([0]);
    expect(seen.entries).toEqual([1]);
    expect(seen.skipped.join()).toMatch(/no longer in the stream/);
    expect(requests.length).toBeGreaterThan(0);
    // Backoff: a handful of reads in 2 s, where a loop made hundreds.
    expect(snapshotReads).toBeLessThan(10);
    lead.writer.checkpoint();
    await lead.writer.flushed();
    // It looks again within its longest backoff (10 s of its time).
    await moveOnUntil(clock, () => seen.snapshots.length >= 2);
    expect(seen.snapshots).toEqual([0, 3]);
  }, 20_000);

  it('numbering that went back (Redis lost its latest writes while the leader wrote on) sends the follower to a fresh snapshot, not past the new entries', async () => {
    const lead = await leader('rewound:', 1_000);
    const seen = await follower('rewound:');
    await lead.published(3);
    await waitFor(() => seen.entries.length === 3);
    // A failover to a replica that had not yet received entries 2 to 4 (seq 1 was the reset): the
    // leader's lease was there, so it numbers on from 1. Entries 4 and 5 are new, not read before.
    await lead.redis.set(lead.keys.seq, '1');
    await lead.published(2);
    await waitFor(() => seen.skipped.length > 0);
    expect(seen.skipped).toEqual(['its number is not after the last one read: Redis lost its latest writes']);
    expect(seen.entries).toEqual([1, 2, 3]);
    // The snapshot in Redis is from before (seq 1): it waits for the one the leader writes when asked.
    lead.writer.checkpoint();
    await lead.published();
    await waitFor(() => seen.snapshots.length === 2 && seen.entries.at(-1) === 6, 8_000);
    expect(seen.snapshots).toEqual([0, 5]);
    expect(seen.entries).toEqual([1, 2, 3, 6]);
  });

  it('a leader whose write gets a number that is not the next one (Redis lost writes) sends every follower back to a fresh snapshot', async () => {
    const lead = await leader('lost-writes:', 1_000);
    await lead.published(3);
    // Restored from a state before entries 3 and 4 (seq 1 was the reset): the stream and the count lose them.
    await dropEntry(lead, 3);
    await dropEntry(lead, 4);
    await lead.redis.set(lead.keys.seq, '2');
    // A follower that had read up to entry 2 would take the next entry, numbered 3, for the lost one.
    await lead.published();
    const after = (await lead.redis.xrange(lead.keys.feed, '-', '+')) as Array<[string, string[]]>;
    expect(after.map(([, fields]) => fields.filter((_, i) => i % 2 === 0).join())).toEqual(['s,r', 's,e', 's,e', 's,r']);
    const seen = await follower('lost-writes:');
    await waitFor(() => seen.caughtUp);
    expect(seen.snapshots).toEqual([4]);
  });

  it("a follower waiting for a snapshot taken after a lost entry takes the new leader's after Redis was wiped, not one numbered past it", async () => {
    const lead = await leader('wiped-while-waiting:', 1_000);
    await lead.published(6);
    // Entry 5 gone from the stream: the follower that starts now waits for a snapshot taken at seq 6 or later.
    await dropEntry(lead, 6);
    const clock = new FakeClock(Date.now());
    const seen = await follower('wiped-while-waiting:', { clock });
    await waitFor(() => seen.skipped.some((reason) => /no longer in the stream/.test(reason)));
    // Redis wiped: a new leader's numbering starts again at 1, far below what the follower waits for.
    await lead.redis.del(lead.keys.feed, lead.keys.seq, lead.keys.snapshot);
    const next = await leader('wiped-while-waiting:', 1_000);
    await next.published();
    await moveOnUntil(clock, () => seen.snapshots.length >= 2);
    expect(seen.snapshots).toEqual([0, 0]);
    await waitFor(() => seen.entries.at(-1) === 1);
  }, 20_000);

  it('a snapshot it could not use is not read again while the count stays where it was taken (no loop of reports)', async () => {
    const lead = await leader('unusable:', 1_000);
    await lead.published();
    // The snapshot in Redis, at the current count, in a shape no leader of this version writes.
    const seq = Number(await lead.redis.get(lead.keys.seq));
    const [newest] = (await lead.redis.xrevrange(lead.keys.feed, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    const id = newest![0];
    await lead.redis.set(lead.keys.snapshot, `${seq} ${id}\n{"v":3,"d":"feed-test","meta":{}}`);
    const clock = new FakeClock(Date.now());
    const seen = await follower('unusable:', { clock });
    await waitFor(() => seen.skipped.length > 0);
    await moveOn(clock, 3_000);
    expect(seen.skipped).toEqual(['it is in a format this version cannot read (a rolling deploy?)']);
    expect(seen.snapshots).toEqual([]);
    // The leader answers the request with a checkpoint: that one is read.
    lead.writer.checkpoint();
    await lead.writer.flushed();
    await moveOnUntil(clock, () => seen.snapshots.length >= 1);
    expect(seen.snapshots).toEqual([1]);
  }, 20_000);

  it("another deployment's data is never applied, and one unsigned when a secret is set is skipped", async () => {
    const foreign = await leader('foreign:', 1_000, { deployment: 'another-deployment' });
    await foreign.published();
    const seen = await follower('foreign:');
    await waitFor(() => seen.foreign !== null);
    expect(seen.foreign).toBe('another-deployment');
    expect(seen.snapshots).toEqual([]);

    const unsigned = await leader('unsigned:', 1_000);
    await unsigned.published();
    const strict = await follower('unsigned:', { secret: 'k'.repeat(32) });
    await waitFor(() => strict.skipped.length > 0);
    expect(strict.snapshots).toEqual([]);
    expect(strict.skipped.join()).toMatch(/signature/);
    const signed = await leader('signed:', 1_000, { secret: 'k'.repeat(32) });
    await signed.published();
    const trusting = await follower('signed:', { secret: 'k'.repeat(32) });
    await waitFor(() => trusting.caughtUp);
    expect(trusting.snapshots).toEqual([0]);
    expect(trusting.entries).toEqual([1]);
  });
});
