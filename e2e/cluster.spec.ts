import { expect, test } from '@playwright/test';
import { startDemoZulip, type DemoZulip } from '../lib/demo-zulip/server';
import { promtoolCheck } from '../tests/support/redis-binary';
import {
  listedAccounts,
  offlineIds,
  openPresenceStream,
  presenceState,
  reportPresence,
  sleep,
  startCluster,
  startLoadBalancer,
  type Cluster,
  type Instance,
  type PresenceAccount,
  type PresenceStream,
} from './cluster-harness';

// Three `next start` processes of the built app, one real redis-server and one demo Zulip
// (docs/architecture.md §10), as a deployment runs them: one instance (the leader) talks to Zulip,
// the others serve its feed; the leader is SIGKILLed and Redis is killed mid-run. The same with
// the server side in one process is tests/integration/cluster.test.ts.
//
// The tests run in order on one cluster: the failover test leaves two instances, which the
// later ones use.

const LEASE_S = 3;
const METRICS_TOKEN = 'cluster-e2e-metrics-token-0123456789';
const REFRESH_S = 5;
/** A change at Zulip reaches an instance within the leader's next poll, plus a margin. */
const CHANGE_MS = (REFRESH_S + 5) * 1000;

test.describe.configure({ mode: 'serial' });

let demo: DemoZulip;
let cluster: Cluster;
/** The demo Zulip's clock runs this far ahead of the real one (the failover test moves it on). */
let zulipClockAheadMs = 0;
let accounts: Map<number, PresenceAccount>;
const used = new Set<number>();
const streams: PresenceStream[] = [];

const demoGet = async <T>(path: string): Promise<T> => (await (await fetch(`${demo.site}${path}`)).json()) as T;

/** Someone whose presence Zulip records and every running instance shows offline, not used by an earlier test. */
async function offlinePerson(): Promise<PresenceAccount> {
  const shown = await Promise.all(cluster.running().map((i) => offlineIds(i.url)));
  const id = shown[0]!.find(
    (candidate) => !used.has(candidate) && accounts.get(candidate)?.presence_enabled !== false && shown.every((ids) => ids.includes(candidate)));
  if (id === undefined) throw new Error('no one offline on every instance');
  used.add(id);
  return accounts.get(id)!;
}

function openStreams(on: Instance[]): PresenceStream[] {
  const opened = on.map((i) => openPresenceStream(i.url));
  streams.push(...opened);
  return opened;
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  demo = await startDemoZulip({ port: 0, seed: 17, users: 60, simulation: false, clock: () => Date.now() + zulipClockAheadMs });
  cluster = await startCluster({ zulip: { site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey }, ids: ['a', 'b', 'c'], leaseSeconds: LEASE_S, refreshSeconds: REFRESH_S, env: { DIRECTORY_METRICS_TOKEN: METRICS_TOKEN } });
  accounts = new Map((await listedAccounts(demo.site)).map((a) => [a.user_id, a]));
});

test.afterAll(async () => {
  for (const s of streams) s.close();
  await cluster?.stop();
  await demo?.close();
});

test.afterEach(async ({}, testInfo) => {
  // The instances' logs, when something went wrong.
  if (testInfo.status !== testInfo.expectedStatus && cluster) {
    for (const i of cluster.instances) await testInfo.attach(`instance-${i.id}-${i.pid}.log`, { body: i.app.output(), contentType: 'text/plain' });
  }
});

test('three instances, one Zulip client: one event queue and one presence poller', async () => {
  const { leader } = await cluster.waitForLeader();
  const healths = await cluster.healths();
  expect(healths).toHaveLength(3);
  for (const { instance, health } of healths) {
    expect(health.httpStatus).toBe(200);
    expect(health.cluster).toEqual({ mode: 'redis', instance: instance.id, role: instance === leader ? 'leader' : 'follower', leader: leader.id, deployment: expect.stringMatching(/^[0-9a-f]{16}$/), redis: 'ok' });
    expect(health.data.people).toBe(accounts.size);
  }
  expect(await demoGet('/demo/queues')).toMatchObject({ queues: 1 });

  await fetch(`${demo.site}/demo/stats`, { method: 'DELETE' });
  const windowS = 2 * REFRESH_S + 1;
  await sleep(windowS * 1000);
  const stats = await demoGet<{ byEndpoint: Record<string, number> }>('/demo/stats');
  const polls = stats.byEndpoint['GET /api/v1/realm/presence'] ?? 0;
  // One poller: 2 or 3 polls in 11 s at a 5 s refresh; three pollers would make 6 to 9.
  expect(polls).toBeGreaterThanOrEqual(Math.floor(windowS / REFRESH_S));
  expect(polls).toBeLessThanOrEqual(Math.floor(windowS / REFRESH_S) + 1);
  expect(stats.byEndpoint['POST /api/v1/register'] ?? 0).toBe(0);
  // Every long-poll in the window was on the one queue.
  const { requests } = await demoGet<{ requests: Array<{ method: string; path: string }> }>('/demo/requests');
  const queueIds = new Set(requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/events')).map((r) => new URL(r.path, demo.site).searchParams.get('queue_id')));
  expect(queueIds.size).toBeLessThanOrEqual(1);
});

test('a presence change reaches the live streams of all three instances, with the same version id', async () => {
  const on = cluster.running();
  const opened = openStreams(on);
  await Promise.all(opened.map((s) => s.opened));
  const versionBefore = (await (await fetch(`${on[0]!.url}/api/presence?since=0`)).json()) as { version: number };
  const person = await offlinePerson();
  const reportedAt = Date.now();
  await reportPresence(demo.site, person, 'active');
  const seen = await Promise.all(opened.map((s) => s.waitFor(person.user_id, 'active', { after: reportedAt, timeoutMs: CHANGE_MS })));
  for (const event of seen) {
    expect(event.id).toBe(seen[0]!.id);
    expect(event.version).toBe(Number(seen[0]!.id));
  }
  // The versions are global: a stream that drops from one instance and resumes on another with
  // the Last-Event-ID it had (as an EventSource does) is caught up from there, not sent everything.
  const resumed = openPresenceStream(on[2]!.url, { lastEventId: String(versionBefore.version) });
  streams.push(resumed);
  await resumed.opened;
  await expect.poll(() => resumed.events.length).toBeGreaterThan(0);
  expect(resumed.events[0]!.full).toBe(false);
  expect(resumed.events[0]!.version).toBeGreaterThanOrEqual(seen[0]!.version);
  expect(resumed.events[0]!.changes).toContainEqual({ id: person.user_id, state: 'active' });
  // And ?since= taken from one instance is answered by each of the others.
  for (const instance of on.slice(1)) {
    const since = (await (await fetch(`${instance.url}/api/presence?since=${versionBefore.version}`)).json()) as { version: number; full: boolean; changes: Array<{ id: number; presence: { state: string } | null }> };
    expect(since.full).toBe(false);
    expect(since.changes.find((c) => c.id === person.user_id)?.presence?.state).toBe('active');
  }
});

test('SIGKILL the leader: another leads within the lease, a change made meanwhile is not missed', async () => {
  test.setTimeout(60_000);
  const { leader } = await cluster.waitForLeader();
  const survivors = cluster.running().filter((i) => i !== leader);
  const opened = openStreams(survivors);
  await Promise.all(opened.map((s) => s.opened));
  const person = await offlinePerson();
  const queueBefore = await demoGet<{ queues: number }>('/demo/queues');
  expect(queueBefore.queues).toBe(1);

  const killedAt = Date.now();
  await leader.kill();
  // A change while no one talks to Zulip: the next leader's fresh register must bring it.
  await reportPresence(demo.site, person, 'active');
  const { leader: next, at } = await cluster.waitForLeader({ pollMs: 50, timeoutMs: 15_000 });
  const takeoverMs = at - killedAt;
  test.info().annotations.push({ type: 'takeover', description: `${next.id} leads ${takeoverMs} ms after ${leader.id} was killed` });
  expect(survivors).toContain(next);
  // The lease runs out at most LEASE_S after the kill and a follower tries every LEASE_S / 5
  // (lib/server/cluster/redis-lease.ts): LEASE_S × 1.2, and a second for timers and our polling.
  expect(takeoverMs).toBeLessThan(LEASE_S * 1200 + 1_000);

  for (const stream of opened) await stream.waitFor(person.user_id, 'active', { after: killedAt, timeoutMs: CHANGE_MS });
  for (const instance of survivors) expect(await presenceState(instance.url, person.user_id)).toBe('active');
  const versions = opened.map((s) => s.find(person.user_id, 'active', killedAt)!.id);
  expect(versions[1]).toBe(versions[0]);

  // The killed leader's queue stays at Zulip, idle, until Zulip collects it 10 minutes later (the
  // demo server does what Zulip does: a queue with no GET waiting, idle for its lifespan).
  expect(await demoGet('/demo/queues')).toMatchObject({ queues: 2 });
  zulipClockAheadMs += 601_000;
  const collected = await (await fetch(`${demo.site}/demo/queues`, { method: 'POST' })).json();
  // Only the dead one goes: the new leader's is being long-polled.
  expect(collected).toMatchObject({ collected: 1, queues: 1 });

  // The instance comes back (same id) as a follower and catches up from the feed.
  const back = await cluster.start(leader.id);
  const settled = await cluster.waitForLeader({ timeoutMs: 20_000 });
  expect(settled.leader).toBe(next);
  expect(await presenceState(back.url, person.user_id)).toBe('active');
  // Still one queue: the returning instance did not register with Zulip.
  expect(await demoGet('/demo/queues')).toMatchObject({ queues: 1 });
});

test('GET /metrics of each instance passes promtool, and says who leads and that Redis answers', async () => {
  const { leader } = await cluster.waitForLeader();
  for (const instance of cluster.running()) {
    expect((await fetch(`${instance.url}/metrics`)).status).toBe(401);
    const body = await (await fetch(`${instance.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(promtoolCheck(body)).toEqual({ status: 0, output: '' });
    expect(body).toMatch(new RegExp(`^directory_leader ${instance === leader ? 1 : 0}$`, 'm'));
    expect(body).toMatch(/^directory_redis_reachable 1$/m);
    expect(body).toMatch(new RegExp(`^directory_people ${accounts.size}$`, 'm'));
  }
});

test('SIGTERM the leader: another leads within 2 s, its queue is deleted, its streams resume elsewhere without losing a change', async () => {
  test.setTimeout(60_000);
  const { leader } = await cluster.waitForLeader();
  const survivors = cluster.running().filter((i) => i !== leader);
  const onLeader = openStreams([leader])[0]!;
  const onSurvivors = openStreams(survivors);
  await Promise.all([onLeader, ...onSurvivors].map((s) => s.opened));
  await expect.poll(() => onLeader.events.length).toBeGreaterThan(0);
  const person = await offlinePerson();
  expect(await demoGet('/demo/queues')).toMatchObject({ queues: 1 });

  const stoppedAt = Date.now();
  const exited = leader.terminate();
  // A change during the handover: whichever instance brings it, every stream must show it.
  await reportPresence(demo.site, person, 'active');
  const { leader: next, at } = await cluster.waitForLeader({ among: survivors, pollMs: 50, timeoutMs: 15_000 });
  const takeoverMs = at - stoppedAt;
  test.info().annotations.push({ type: 'takeover', description: `${next.id} leads ${takeoverMs} ms after ${leader.id} got SIGTERM` });
  expect(takeoverMs).toBeLessThan(2_000);

  // The leader's stream was told to reconnect; as an EventSource does, it resumes on another
  // instance from the last event id it had.
  await onLeader.ended;
  const lastId = onLeader.events.at(-1)!.id!;
  const resumed = openPresenceStream(survivors[0]!.url, { lastEventId: lastId });
  streams.push(resumed);
  // (Its first event may be the whole state, as after any new leader's fresh register: nothing is lost either way.)
  for (const stream of [...onSurvivors, resumed]) await stream.waitFor(person.user_id, 'active', { timeoutMs: CHANGE_MS });

  await exited;
  const exitMs = Date.now() - stoppedAt;
  test.info().annotations.push({ type: 'exit', description: `${leader.id} exited ${exitMs} ms after SIGTERM, with a stream open` });
  expect(exitMs).toBeLessThan(10_000);
  expect(leader.app.output()).toContain('"event":"lease_released"');
  // Its Zulip event queue was deleted on the way out: only the new leader's is left.
  expect(await demoGet('/demo/queues')).toMatchObject({ queues: 1 });

  await cluster.start(leader.id);
  expect((await cluster.waitForLeader({ timeoutMs: 20_000 })).leader).toBe(next);
});

test('Redis killed: every instance says stale and still serves pages; Redis back: recovers by itself', async () => {
  test.setTimeout(60_000);
  const on = cluster.running();
  expect(on).toHaveLength(3);
  const someone = accounts.get([...used][0]!)!;
  await cluster.redis!.stop();
  for (const instance of on) {
    await expect
      .poll(async () => {
        const health = await instance.health();
        return health && { httpStatus: health.httpStatus, stale: health.data.stale, redis: health.cluster.redis };
      }, { timeout: 10_000, message: `${instance.id} says stale` })
      .toEqual({ httpStatus: 503, stale: true, redis: 'unreachable' });
    // Its last data, still served: the directory page with everyone, and a profile.
    const page = await fetch(`${instance.url}/?q=${encodeURIComponent(someone.full_name)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(someone.full_name);
    const people = (await (await fetch(`${instance.url}/api/people?limit=200`)).json()) as { total: number };
    expect(people.total).toBe(accounts.size);
  }

  await cluster.redis!.start();
  const { leader } = await cluster.waitForLeader({ timeoutMs: 20_000 });
  for (const { health } of await cluster.healths()) {
    expect(health.httpStatus).toBe(200);
    expect(health.data.stale).toBe(false);
    expect(health.cluster.redis).toBe('ok');
    expect(health.cluster.leader).toBe(leader.id);
  }
  // And it works again: a new change reaches every instance's stream.
  const opened = openStreams(on);
  await Promise.all(opened.map((s) => s.opened));
  const person = await offlinePerson();
  const reportedAt = Date.now();
  await reportPresence(demo.site, person, 'active');
  const seen = await Promise.all(opened.map((s) => s.waitFor(person.user_id, 'active', { after: reportedAt, timeoutMs: CHANGE_MS })));
  for (const event of seen) expect(event.id).toBe(seen[0]!.id);
});

test('in a browser: the page from one instance, its live stream from another, the badge changes', async ({ page }) => {
  const { leader } = await cluster.waitForLeader();
  const followers = cluster.running().filter((i) => i !== leader);
  // The page from one instance, the stream from a follower: what it shows came through Redis.
  const pageFrom = leader;
  const streamFrom = followers[0]!;
  const balancer = await startLoadBalancer((path) => (path.startsWith('/api/presence/stream') ? streamFrom : pageFrom));
  try {
    const viewersBefore = { page: (await pageFrom.health())!.viewers, stream: (await streamFrom.health())!.viewers };
    const person = await offlinePerson();
    await page.goto(`${balancer.url}/?q=${encodeURIComponent(person.full_name)}`);
    await expect(page.getByText(/^Live/)).toBeVisible();
    const row = page.locator('li[data-person-id]').filter({ has: page.getByRole('link', { name: person.full_name, exact: true }) });
    await expect(row).toBeVisible();
    await expect(row.locator('[data-presence]')).not.toHaveAttribute('data-presence', 'active');
    await reportPresence(demo.site, person, 'active');
    await expect(row.locator('[data-presence]')).toHaveAttribute('data-presence', 'active', { timeout: CHANGE_MS });
    await expect(row).toContainText('Active now');

    // The page came from one instance, its stream from the other, through the balancer.
    const streamHits = balancer.hits.filter((h) => h.path.startsWith('/api/presence/stream'));
    expect(streamHits.length).toBeGreaterThan(0);
    expect(new Set(streamHits.map((h) => `${h.target} ${h.status}`))).toEqual(new Set([`${streamFrom.id} 200`]));
    const otherHits = balancer.hits.filter((h) => !h.path.startsWith('/api/presence/stream'));
    expect(otherHits.some((h) => h.path.startsWith('/?q='))).toBe(true);
    expect(new Set(otherHits.map((h) => h.target))).toEqual(new Set([pageFrom.id]));
    // Each instance counts its own viewers: the stream is on the follower's count, not the other's.
    expect((await streamFrom.health())!.viewers).toBe(viewersBefore.stream + 1);
    expect((await pageFrom.health())!.viewers).toBe(viewersBefore.page);
  } finally {
    await page.close();
    await balancer.close();
  }
});
