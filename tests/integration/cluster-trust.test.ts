import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoZulip, type DemoZulip } from '@/lib/demo-zulip/server';
import { DirectoryRuntime } from '@/lib/server/runtime';
import type { RedisSettings } from '@/lib/server/cluster/redis';
import { testSettings } from '@/tests/support/directory';
import { clusterKeys } from '@/lib/server/cluster/keys';
import { healthReport } from '@/lib/server/health-report';
import { startRedisServer, type RedisServer } from '@/tests/support/redis-server';
import { redisClients } from '@/tests/support/redis-clients';
import { activeHumans, clusterRuntime, waitFor } from './support';

// Redis is shared only within one deployment, and nothing read from it is trusted further than
// Zulip is (docs/architecture.md §10, "One deployment per prefix" and "Nothing from Redis is
// trusted"): two organizations on one Redis, what the leader writes, and what an attacker who can
// write to Redis may put there (an entry, a lease, another deployment's data under our keys).

const LEASE_SECONDS = 3;

let redis: RedisServer;
const clients = redisClients(() => redis);
let orgOne: DemoZulip;
let orgTwo: DemoZulip;
const runtimes: DirectoryRuntime[] = [];
type Instance = { runtime: DirectoryRuntime; log: Array<Record<string, unknown>>; settings: RedisSettings };

/** REDIS_URL and the Zulip's own settings, read as the app reads them (testSettings). */
function settingsFor(demo: DemoZulip, more: Record<string, string> = {}): RedisSettings {
  return testSettings({ REDIS_URL: redis.url, ZULIP_SITE: demo.site, ZULIP_EMAIL: demo.bot.email, ZULIP_API_KEY: demo.bot.apiKey, ...more }).redis!;
}

function startInstance(name: string, demo: DemoZulip, settings: RedisSettings = settingsFor(demo)): Instance {
  const { runtime, log } = clusterRuntime(name, demo, settings, LEASE_SECONDS);
  runtime.start();
  runtimes.push(runtime);
  return { runtime, log, settings };
}

const ready = (...instances: Instance[]) =>
  waitFor(() => instances.every((i) => i.runtime.loaded) && instances.filter((i) => i.runtime.cluster().role === 'leader').length === 1, 15_000);

/** The entry the leader wrote last (not a marker), as stored, to forge one like it. */
async function lastEntry(settings: RedisSettings): Promise<string> {
  const connection = await clients.open('forger');
  for (;;) {
    const recent = (await connection.xrevrange(clusterKeys(settings.keyPrefix).feed, '+', '-', 'COUNT', 20)) as Array<[string, string[]]>;
    const fields = recent.map(([, f]) => f).find((f) => f.includes('e'));
    if (fields) return fields[fields.indexOf('e') + 1]!;
    // Only the register's marker so far: the leader writes an entry every refresh.
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Appends `entry` to the feed as the next one in sequence, as someone with write access to Redis could. */
async function inject(settings: RedisSettings, entry: unknown): Promise<void> {
  const connection = await clients.open('forger');
  const keys = clusterKeys(settings.keyPrefix);
  const seq = await connection.incr(keys.seq);
  await connection.xadd(keys.feed, '*', 's', String(seq), 'e', JSON.stringify(entry));
}

function fakePerson(id: number) {
  return {
    id,
    name: 'Mallory Fake',
    apiEmail: 'mallory@evil.example',
    email: 'mallory@evil.example',
    avatarUrl: 'https://evil.example/track.png',
    timezone: 'UTC',
    dateJoined: '2026-01-01T00:00:00Z',
    role: 400,
    isGuest: false,
    pronouns: null,
    title: 'CEO',
    department: null,
    office: null,
    managerIds: [],
    fields: {},
    status: null,
  };
}

beforeAll(async () => {
  redis = await startRedisServer();
  // An administrator bot reads addresses members may not see: they must still never reach Redis.
  orgOne = await startDemoZulip({ port: 0, seed: 5, users: 40, simulation: false, botRole: 200 });
  orgTwo = await startDemoZulip({ port: 0, seed: 9, users: 30, simulation: false });
}, 30_000);

afterAll(async () => {
  clients.closeAll();
  for (const runtime of runtimes) await runtime.close();
  await orgOne?.close();
  await orgTwo?.close();
  await redis?.stop();
});

describe('Redis shared by two organizations, and by someone who can write to it', () => {
  let a: Instance;
  let b: Instance;
  let c: Instance;

  beforeAll(async () => {
    a = startInstance('one-a', orgOne);
    b = startInstance('one-b', orgOne);
    c = startInstance('two-c', orgTwo);
    await ready(a, b);
    await ready(c);
  }, 30_000);

  it('with the default prefix each organization has keys of its own: each instance lists its own people', () => {
    expect(a.settings.keyPrefix).not.toBe(c.settings.keyPrefix);
    const names = (i: Instance) => new Set(i.runtime.view.people.list().map((p) => p.name));
    expect(names(a)).toEqual(new Set(activeHumans(orgOne).map((u) => u.full_name)));
    expect(names(b)).toEqual(names(a));
    expect(names(c)).toEqual(new Set(activeHumans(orgTwo).map((u) => u.full_name)));
    expect(c.runtime.cluster().role).toBe('leader');
  });

  it('only what a member may see is replicated: no hidden address, no unlisted guest; a follower still knows members by their hidden address', async () => {
    const follower = [a, b].find((i) => i.runtime.cluster().role === 'follower')!;
    const connection = await clients.open('reader');
    const snapshot = (await connection.get(clusterKeys(a.settings.keyPrefix).snapshot))!;
    const hidden = orgOne.org.users.filter((u) => !u.is_bot && u.is_active && follower.runtime.view.people.get(u.user_id)?.email === null);
    expect(hidden.length).toBeGreaterThan(0);
    for (const user of hidden) expect(snapshot).not.toContain(user.delivery_email);
    // Those the bot may read (an administrator reads all but "nobody"), as the leader knows them.
    const leader = [a, b].find((i) => i !== follower)!;
    const known = hidden.filter((u) => leader.runtime.view.people.resolveMember(u.delivery_email)?.id === u.user_id);
    expect(known.length).toBeGreaterThan(0);
    const guests = orgOne.org.users.filter((u) => u.role === 600);
    for (const guest of guests) expect(follower.runtime.view.people.get(guest.user_id)).toBeUndefined();
    // Sign-in by the real address (a proxy's header, Zulip's answer) finds the person on a follower too.
    for (const user of known) expect(follower.runtime.view.people.resolveMember(user.delivery_email)?.id).toBe(user.user_id);
    // …but a lookup a viewer makes by it does not.
    expect(follower.runtime.view.people.resolve(known[0]!.delivery_email)).toBeUndefined();
  });

  it('a forged entry cannot point links or images elsewhere: the realm and avatars stay on ZULIP_SITE', async () => {
    const follower = [a, b].find((i) => i.runtime.cluster().role === 'follower')!;
    const entry = JSON.parse(await lastEntry(a.settings)) as Record<string, unknown>;
    const meta = entry.meta as { org: Record<string, unknown> };
    await inject(a.settings, { ...entry, meta: { ...meta, org: { ...meta.org, realmUrl: 'https://evil.example' } }, people: [{ id: 990_001, person: fakePerson(990_001), former: null, memberKey: null }], presence: null });
    await waitFor(() => follower.runtime.view.people.get(990_001), 5_000);
    // Without REDIS_SHARED_SECRET the record itself cannot be told from the leader's; what it may do is bounded.
    expect(follower.runtime.view.people.get(990_001)!.avatarUrl).toBeNull();
    expect(follower.runtime.view.org.realmUrl).toBe(orgOne.site);
    expect(follower.runtime.view.people.avatarOrigins().some((o) => o.includes('evil'))).toBe(false);
  });

  it('a lease no instance wrote (no expiry, not our format) does not leave the directory without a leader', async () => {
    const connection = await clients.open('forger');
    await connection.set(clusterKeys(a.settings.keyPrefix).lease, 'nobody');
    await waitFor(() => [a, b].some((i) => i.log.some((line) => line.event === 'lease_forged')), LEASE_SECONDS * 3_000);
    await waitFor(() => [a, b].filter((i) => i.runtime.cluster().role === 'leader').length === 1, LEASE_SECONDS * 3_000);
  });

  it("an instance that finds another deployment's data under its keys neither leads nor follows it, and says so", async () => {
    // Organization two's bot, with organization one's keys (as if copied there, or forged).
    const intruder = startInstance('two-d', orgTwo, { ...settingsFor(orgTwo), keyPrefix: a.settings.keyPrefix });
    await waitFor(() => intruder.log.some((line) => line.event === 'redis_foreign_deployment'), LEASE_SECONDS * 2_000);
    expect(intruder.runtime.view.people.list()).toEqual([]);
    expect(intruder.runtime.cluster().role).toBe('follower');
    expect(intruder.runtime.freshness()).toMatchObject({ stale: true, problem: expect.stringMatching(/another directory deployment/) });
    const health = healthReport(intruder.runtime);
    expect(health.ok).toBe(false);
    expect(health.body).toMatchObject({ status: 'unhealthy', cluster: { redis: 'foreign_deployment' } });
    // Organization one carries on undisturbed.
    expect([a, b].filter((i) => i.runtime.cluster().role === 'leader')).toHaveLength(1);
  });
});

describe('with REDIS_SHARED_SECRET', () => {
  it('an entry not signed with it is skipped, reported, and never shown', async () => {
    const secret = { REDIS_KEY_PREFIX: 'signed', REDIS_SHARED_SECRET: 'a-shared-secret-of-at-least-32-chars' };
    const e = startInstance('signed-e', orgTwo, settingsFor(orgTwo, secret));
    const f = startInstance('signed-f', orgTwo, settingsFor(orgTwo, secret));
    await ready(e, f);
    const follower = [e, f].find((i) => i.runtime.cluster().role === 'follower')!;
    const text = await lastEntry(e.settings);
    const entry = JSON.parse(text.slice(text.indexOf(' ') + 1)) as Record<string, unknown>;
    await inject(e.settings, { ...entry, people: [{ id: 990_002, person: fakePerson(990_002), former: null, memberKey: null }], presence: null });
    await waitFor(() => follower.log.some((line) => line.event === 'feed_entry_skipped'), 5_000);
    expect(follower.runtime.view.people.get(990_002)).toBeUndefined();
    // It goes on following the leader.
    await waitFor(() => follower.runtime.view.log.current === [e, f].find((i) => i !== follower)!.runtime.view.log.current, 8_000);
  });
});
