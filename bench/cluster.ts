// Several instances (docs/architecture.md §10): the directory run as 3 instances sharing one Redis,
// against the same run as 1 instance on its own.
//
//   npm run bench:cluster [-- --quick] [-- --people N]
//
// A 20,000-person demo organization (simulation paused: the only presence changes are ours), a
// real redis-server, and the built app as `npm run serve` starts it (e2e/cluster-harness.ts, the
// harness e2e/cluster.spec.ts uses), refresh 15 s, detail cache 10 s, lease 10 s (the defaults):
//
//   (a) Zulip calls per minute, counted by the demo server, under the same 200-viewer browsing
//       as bench:upstream (each viewer with the presence stream open), by 1 instance and then by
//       3, every request sent to the next instance in turn (a round-robin balancer, no stickiness)
//       and viewer v's stream on instance v mod 3;
//   (b) change → stream: at random moments a person shown offline reports themselves active from
//       their own Zulip client; the time until the diff arrives on each of the 200 streams, all on
//       the one instance vs spread over the three. Zulip sends no presence events in an
//       organization this big, so a change waits for the leader's next poll: "end to end" is
//       report → diff on the stream, "app-added" is the poll's answer leaving Zulip (the demo
//       server's request log) → diff on the stream, the part the instances add;
//   (c) the failover gap: SIGKILL the leader (a crash: the lease must run out), or SIGTERM it (a
//       graceful stop: it gives the lease up), at once a person reports themselves active, and
//       the time until the remaining instances' streams show it, and until another instance leads
//       (its `leader_elected` log line); then the stopped instance comes back as a follower;
//   (d) 600 streams over the 3 instances: every stream receives each change, delivery times, and
//       each instance's resident memory.
import { ensureBuilt } from './lib/app';
import { browse, browsing } from './lib/browsing';
import { RequestRecorder, startDemo, type Demo, type DemoAccount } from './lib/demo';
import { seeded } from './lib/http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, run, scratch, sleep } from './lib/proc';
import { openSse, type SseClient } from './lib/sse';
import { distributionRow, fmt, percentile, printTable, verdict, type Row } from './lib/stats';
import { startCluster, type Cluster, type Instance, type ZulipAccess } from '../e2e/cluster-harness';

const QUICK = process.argv.includes('--quick');
const PEOPLE_ARG = process.argv.indexOf('--people');
const PEOPLE = PEOPLE_ARG >= 0 ? Number(process.argv[PEOPLE_ARG + 1]) : 20_000;
const VIEWERS = 200;
const MANY_STREAMS = 600;
const PHASE_S = QUICK ? 60 : 150;
const SAMPLES = QUICK ? 10 : 30;
const MANY_CHANGES = QUICK ? 3 : 6;
const FAILOVERS = QUICK ? 2 : 5;
const REFRESH_S = 15;
const CACHE_S = 10;
const LEASE_S = 10;
const JITTER_S = 2;
const POLL_KEY = 'GET /api/v1/realm/presence';

// ---------------------------------------------------------------------------------------------
// Streams: many from this process, cheap. A diff is parsed only when it names a person we wait for.

interface Watch {
  id: number;
  reportedAt: number;
  /** When Zulip had stored it (the report answered). */
  storedAt: number;
  /** When each stream saw the person active (stream index → epoch ms). */
  seen: Map<number, number>;
}

class Streams {
  private clients: SseClient[] = [];
  readonly on: Instance[] = [];
  private watches = new Map<number, Watch>();

  open(instances: Instance[], count: number): Promise<void> {
    const start = this.clients.length;
    for (let n = 0; n < count; n++) {
      const index = start + n;
      const instance = instances[index % instances.length]!;
      this.on.push(instance);
      this.clients.push(openSse(`${instance.url}/api/presence/stream`, (event) => this.receive(index, event.data, event.receivedAt)));
    }
    return Promise.all(this.clients.slice(start).map((c) => c.opened)).then(() => {});
  }

  get size(): number {
    return this.clients.length;
  }

  watch(id: number, reportedAt: number): Watch {
    const watch: Watch = { id, reportedAt, storedAt: reportedAt, seen: new Map() };
    this.watches.set(id, watch);
    return watch;
  }

  private receive(index: number, data: string, at: number): void {
    let parsed: { changes: Array<{ id: number; presence: { state: string } | null }> } | null = null;
    for (const watch of this.watches.values()) {
      if (watch.seen.has(index) || !(data.includes(`"id":${watch.id},`) || data.includes(`"id":${watch.id}}`))) continue;
      parsed ??= JSON.parse(data) as { changes: Array<{ id: number; presence: { state: string } | null }> };
      if (parsed.changes.some((c) => c.id === watch.id && c.presence?.state === 'active')) watch.seen.set(index, at);
    }
  }

  async waitAll(watches: Watch[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && watches.some((w) => w.seen.size < this.clients.length)) await sleep(100);
  }

  close(): void {
    for (const c of this.clients) c.close();
    this.clients = [];
    this.on.length = 0;
    this.watches.clear();
  }
}

// ---------------------------------------------------------------------------------------------

/** People every instance shows offline and whose presence Zulip records, in a stable order. */
async function offlinePeople(instance: Instance, accounts: Map<number, DemoAccount>, count: number): Promise<DemoAccount[]> {
  const found: DemoAccount[] = [];
  for (let offset = 0; found.length < count && offset < 2_000; offset += 200) {
    const page = (await (await fetch(`${instance.url}/api/people?sort=name&limit=200&offset=${offset}`)).json()) as { items: Array<{ id: number; presence: { state: string } | null }> };
    for (const p of page.items) {
      const account = accounts.get(p.id);
      if ((p.presence?.state ?? 'offline') === 'offline' && account && account.presence_enabled !== false) found.push(account);
    }
  }
  if (found.length < count) throw new Error(`only ${found.length} people shown offline; need ${count}`);
  return found.slice(0, count);
}

/** Waits until the leader's presence poll has just been answered, so phases hold the same number of polls. */
async function alignToPoll(demo: Demo): Promise<void> {
  const before = (await demo.stats()).byEndpoint[POLL_KEY] ?? 0;
  const deadline = Date.now() + (REFRESH_S + 10) * 1000;
  while (Date.now() < deadline) {
    if (((await demo.stats()).byEndpoint[POLL_KEY] ?? 0) > before) return;
    await sleep(100);
  }
}

interface Cost {
  calls: number;
  perMinute: number;
  byEndpoint: Record<string, number>;
  rateLimited: number;
  requests: number;
  errors: number;
}

/** (a): the browsing, counted at Zulip over exactly PHASE_S seconds. */
async function upstreamCost(demo: Demo, cluster: Cluster, people: number[], departments: string[], random: () => number): Promise<Cost> {
  const urls = cluster.running().map((i) => i.url);
  let next = 0;
  const script = browsing(people, departments, PHASE_S);
  await alignToPoll(demo);
  const before = await demo.stats();
  const startedAt = Date.now();
  const work = browse(() => urls[next++ % urls.length]!, script, VIEWERS, startedAt, random, JITTER_S);
  await sleep(PHASE_S * 1000);
  const after = await demo.stats();
  const { errors, requests } = await work;
  const byEndpoint: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byEndpoint)) {
    const d = v - (before.byEndpoint[k] ?? 0);
    if (d > 0) byEndpoint[k.replace('/api/v1', '').replace('{user_id_or_email}', '{id}')] = d;
  }
  const calls = after.total - before.total;
  return { calls, perMinute: (calls * 60) / PHASE_S, byEndpoint, rateLimited: after.rateLimited - before.rateLimited, requests, errors };
}

interface Delivery {
  /** Report → diff on a stream, s, one per (change, stream). */
  endToEnd: number[];
  /** Poll answered at Zulip → diff on a stream, s. */
  appAdded: number[];
  /** The same, streams on the leader / on followers. */
  appAddedLeader: number[];
  appAddedFollowers: number[];
  /** Per change: how many streams received it. */
  received: number[];
}

/** (b) and (d): `changes` presence changes at random moments, each watched on every stream. */
async function deliveries(demo: Demo, streams: Streams, people: DemoAccount[], random: () => number, leaderId: string): Promise<Delivery> {
  const recorder = new RequestRecorder(demo);
  recorder.start(500);
  const watches: Watch[] = [];
  for (const person of people) {
    await sleep(2_000 + random() * 4_000);
    const reportedAt = Date.now();
    const watch = streams.watch(person.user_id, reportedAt);
    await demo.postPresence(person, 'active');
    watch.storedAt = Date.now();
    watches.push(watch);
  }
  await streams.waitAll(watches, (REFRESH_S + 10) * 1000);
  const polls = (await recorder.stop())
    .filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/realm/presence'))
    .map((r) => ({ arrived: Date.parse(r.time), answered: Date.parse(r.time) + r.durationMs }))
    .sort((a, b) => a.arrived - b.arrived);
  const result: Delivery = { endToEnd: [], appAdded: [], appAddedLeader: [], appAddedFollowers: [], received: [] };
  for (const w of watches) {
    // The first poll to arrive after the report was stored: the one that brought the change.
    const learnedAt = polls.find((p) => p.arrived >= w.storedAt)?.answered;
    result.received.push(w.seen.size);
    for (const [index, at] of w.seen) {
      result.endToEnd.push((at - w.reportedAt) / 1000);
      if (learnedAt === undefined) continue;
      const added = (at - learnedAt) / 1000;
      result.appAdded.push(added);
      (streams.on[index]!.id === leaderId ? result.appAddedLeader : result.appAddedFollowers).push(added);
    }
  }
  return result;
}

interface Failover {
  /** How the leader was stopped. */
  signal: 'SIGKILL' | 'SIGTERM';
  killed: string;
  next: string;
  /** Kill → `leader_elected` on the next leader, s. */
  electedS: number;
  /** Kill → the change seen on every remaining instance's streams (the slowest), s. */
  seenS: number;
  /** The fastest of those streams, s. */
  firstSeenS: number;
  /** Kill → every remaining instance's /api/health names the new leader, s. */
  agreedS: number;
  missed: number;
  /** Signal → the process gone, s. */
  exitS: number;
}

function electedAfter(instance: Instance, after: number): number | null {
  for (const line of instance.app.output().split('\n')) {
    if (!line.includes('"event":"leader_elected"')) continue;
    const at = Date.parse((JSON.parse(line) as { time: string }).time);
    if (at >= after) return at;
  }
  return null;
}

/** (c): one failover, measured; the stopped instance then comes back as a follower. */
async function failover(demo: Demo, cluster: Cluster, person: DemoAccount, signal: Failover['signal']): Promise<Failover> {
  const { leader } = await cluster.waitForLeader({ timeoutMs: 60_000 });
  const survivors = cluster.running().filter((i) => i !== leader);
  const streams = new Streams();
  await streams.open(survivors, survivors.length * 2);
  await sleep(1_000);
  const killedAt = Date.now();
  const exited = (signal === 'SIGKILL' ? leader.kill() : leader.terminate()).then(() => Date.now());
  const watch = streams.watch(person.user_id, killedAt);
  await demo.postPresence(person, 'active');
  const agreed = await cluster.waitForLeader({ timeoutMs: (LEASE_S * 2 + 10) * 1000, pollMs: 100, fresh: false });
  await streams.waitAll([watch], 30_000);
  streams.close();
  const exitedAt = await exited;
  const seen = [...watch.seen.values()];
  const elected = electedAfter(agreed.leader, killedAt) ?? agreed.at;
  const result: Failover = {
    signal,
    killed: leader.id,
    next: agreed.leader.id,
    electedS: (elected - killedAt) / 1000,
    seenS: seen.length > 0 ? (Math.max(...seen) - killedAt) / 1000 : Number.NaN,
    firstSeenS: seen.length > 0 ? (Math.min(...seen) - killedAt) / 1000 : Number.NaN,
    agreedS: (agreed.at - killedAt) / 1000,
    missed: survivors.length * 2 - seen.length,
    exitS: (exitedAt - killedAt) / 1000,
  };
  log(`failover: ${result.killed} got ${signal}, ${result.next} elected after ${fmt(result.electedS, 2)} s, change on every stream after ${fmt(result.seenS, 2)} s`);
  await cluster.start(leader.id);
  await cluster.waitForLeader({ timeoutMs: 120_000 });
  return result;
}

function memoryRows(cluster: Cluster, phase: string, leaderId: string): Row[] {
  return cluster.running().map((i) => {
    const m = i.memory();
    return { phase, instance: `${i.id}${i.id === leaderId ? ' (leader)' : ''}`, 'RSS now': `${fmt(m.rssMb, 0)} MB`, 'RSS peak': `${fmt(m.peakMb, 0)} MB` };
  });
}

run('bench:cluster', (QUICK ? 15 : 35) * 60_000, async () => {
  await ensureBuilt();
  log(`starting the demo Zulip server (${PEOPLE.toLocaleString('en-US')} people, simulation paused)`);
  const demo = await startDemo({ port: 9670, users: PEOPLE, seed: 1, paused: true });
  const zulip: ZulipAccess = { site: demo.site, email: demo.bot.email, apiKey: demo.bot.key };
  const accounts = new Map((await demo.accounts()).map((a) => [a.user_id, a]));
  const env: Record<string, string> = { PRESENCE_DETAIL_CACHE_SECONDS: String(CACHE_S) };
  if (process.env.BENCH_APP_NODE_OPTIONS) env.NODE_OPTIONS = process.env.BENCH_APP_NODE_OPTIONS;
  const settings = { zulip, refreshSeconds: REFRESH_S, leaseSeconds: LEASE_S, env };
  const random = seeded(4);
  const clusters: Cluster[] = [];
  try {
    await measureAll(demo, accounts, settings, random, clusters);
  } finally {
    // The instances' own logs (kept in memory by the harness), beside the demo server's.
    for (const c of clusters) for (const i of c.instances) writeFileSync(join(scratch(), `app-${i.id}-${i.pid}.log`), i.app.output());
  }
});

async function measureAll(demo: Demo, accounts: Map<number, DemoAccount>, settings: Omit<Parameters<typeof startCluster>[0], 'ids'>, random: () => number, clusters: Cluster[]): Promise<void> {

  // --- 1 instance, on its own (no Redis) ------------------------------------------------------
  log('1 instance (no Redis)');
  const solo = await startCluster({ ...settings, mode: 'single', ids: ['solo'] });
  clusters.push(solo);
  const soloInstance = solo.running()[0]!;
  const firstPage = (await (await fetch(`${soloInstance.url}/api/people?sort=name&limit=50`)).json()) as { items: Array<{ id: number }>; facets: { departments: string[] } };
  const browsed = [0, 7, 13, 21, 29, 34, 42, 49].map((i) => firstPage.items[i]!.id);
  const departments = firstPage.facets.departments;
  // Everyone the changes will use, offline now (the script's people are skipped: their breakdowns are read).
  const pool = (await offlinePeople(soloInstance, accounts, 2 * SAMPLES + MANY_CHANGES + 2 * FAILOVERS + 8 + 10)).filter((a) => !browsed.includes(a.user_id));
  const take = (n: number) => pool.splice(0, n);

  const soloStreams = new Streams();
  await soloStreams.open([soloInstance], VIEWERS);
  log(`1 instance: ${VIEWERS} viewers browsing for ${PHASE_S} s`);
  const soloCost = await upstreamCost(demo, solo, browsed, departments, random);
  log(`1 instance: ${SAMPLES} presence changes, ${VIEWERS} streams`);
  const soloDelivery = await deliveries(demo, soloStreams, take(SAMPLES), random, soloInstance.id);
  soloStreams.close();
  const soloMemory = memoryRows(solo, `${VIEWERS} streams, after browsing`, soloInstance.id);
  await solo.stop();

  // --- 3 instances through Redis ---------------------------------------------------------------
  log('3 instances through Redis');
  const cluster = await startCluster({ ...settings, ids: ['a', 'b', 'c'] });
  clusters.push(cluster);
  const idleMemory = memoryRows(cluster, 'started, idle', (await cluster.waitForLeader()).leader.id);
  const trioStreams = new Streams();
  await trioStreams.open(cluster.running(), VIEWERS);
  log(`3 instances: ${VIEWERS} viewers browsing for ${PHASE_S} s, round-robin`);
  const trioCost = await upstreamCost(demo, cluster, browsed, departments, random);
  const { leader } = await cluster.waitForLeader();
  log(`3 instances: ${SAMPLES} presence changes, ${VIEWERS} streams spread`);
  const trioDelivery = await deliveries(demo, trioStreams, take(SAMPLES), random, leader.id);
  const trioMemory = memoryRows(cluster, `${VIEWERS} streams, after browsing`, leader.id);

  log(`3 instances: ${MANY_STREAMS} streams, ${MANY_CHANGES} changes`);
  await trioStreams.open(cluster.running(), MANY_STREAMS - VIEWERS);
  const manyDelivery = await deliveries(demo, trioStreams, take(MANY_CHANGES), random, leader.id);
  const manyMemory = memoryRows(cluster, `${MANY_STREAMS} streams open`, leader.id);
  const perInstance = cluster.running().map((i) => `${i.id} ${trioStreams.on.filter((o) => o === i).length}`).join(', ');
  trioStreams.close();

  log(`${FAILOVERS} failovers by SIGKILL and ${FAILOVERS} by SIGTERM`);
  const failovers: Failover[] = [];
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) for (const person of take(FAILOVERS)) failovers.push(await failover(demo, cluster, person, signal));
  await cluster.stop();

  // --- Tables ----------------------------------------------------------------------------------
  const endpoints = (c: Cost) =>
    Object.entries(c.byEndpoint)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ');
  printTable(`(a) Zulip calls under the same browsing by ${VIEWERS} viewers (${PHASE_S} s; ${PEOPLE.toLocaleString('en-US')} people, refresh ${REFRESH_S} s, detail cache ${CACHE_S} s)`, [
    { run: '1 instance (no Redis)', calls: soloCost.calls, 'calls/min': fmt(soloCost.perMinute), 'by endpoint': endpoints(soloCost), '429s': soloCost.rateLimited, 'app requests (not 2xx)': `${soloCost.requests} (${soloCost.errors})` },
    { run: '3 instances (Redis), round-robin', calls: trioCost.calls, 'calls/min': fmt(trioCost.perMinute), 'by endpoint': endpoints(trioCost), '429s': trioCost.rateLimited, 'app requests (not 2xx)': `${trioCost.requests} (${trioCost.errors})` },
  ]);
  const row = (name: string, values: number[]) => distributionRow(name, values, 's');
  printTable(`(b) Presence change → diff on the stream, ${SAMPLES} changes × ${VIEWERS} streams`, [
    row('1 instance: end to end (report → diff on a stream)', soloDelivery.endToEnd),
    row('1 instance: app-added (poll answered → diff on a stream)', soloDelivery.appAdded),
    row('3 instances: end to end', trioDelivery.endToEnd),
    row('3 instances: app-added', trioDelivery.appAdded),
    row('  streams on the leader', trioDelivery.appAddedLeader),
    row('  streams on the followers', trioDelivery.appAddedFollowers),
  ]);
  printTable(`(d) ${MANY_STREAMS} streams over 3 instances (${perInstance}), ${MANY_CHANGES} changes`, [
    { measure: 'streams that received each change', value: manyDelivery.received.map((n) => `${n}/${MANY_STREAMS}`).join(', ') },
    { measure: 'app-added p50 / p95 / max', value: `${fmt(percentile(manyDelivery.appAdded, 0.5), 3)} / ${fmt(percentile(manyDelivery.appAdded, 0.95), 3)} / ${fmt(Math.max(...manyDelivery.appAdded), 3)} s` },
    { measure: '  on the leader / on the followers, p95', value: `${fmt(percentile(manyDelivery.appAddedLeader, 0.95), 3)} / ${fmt(percentile(manyDelivery.appAddedFollowers, 0.95), 3)} s` },
    { measure: 'end to end p50 / p95', value: `${fmt(percentile(manyDelivery.endToEnd, 0.5), 2)} / ${fmt(percentile(manyDelivery.endToEnd, 0.95), 2)} s` },
  ]);
  printTable('Resident memory per instance', [...soloMemory, ...idleMemory, ...trioMemory, ...manyMemory]);
  printTable(`(c) Failover: SIGKILL or SIGTERM the leader (lease ${LEASE_S} s), a change reported at once`, [
    ...failovers.map((f, n) => ({
      run: n + 1,
      signal: f.signal,
      stopped: f.killed,
      'new leader': f.next,
      'signal → elected': `${fmt(f.electedS, 2)} s`,
      'signal → every instance names it': `${fmt(f.agreedS, 2)} s`,
      'signal → change on the first / last stream': `${fmt(f.firstSeenS, 2)} / ${fmt(f.seenS, 2)} s`,
      'streams missed': f.missed,
      'signal → exited': `${fmt(f.exitS, 2)} s`,
    })),
  ]);

  const costDiff = Math.abs(trioCost.calls - soloCost.calls);
  const soloP95 = percentile(soloDelivery.appAdded, 0.95);
  const trioP95 = percentile(trioDelivery.appAdded, 0.95);
  const allMany = manyDelivery.received.every((n) => n === MANY_STREAMS);
  const killed = failovers.filter((f) => f.signal === 'SIGKILL');
  const terminated = failovers.filter((f) => f.signal === 'SIGTERM');
  const worstElected = Math.max(...killed.map((f) => f.electedS));
  const worstHandover = Math.max(...terminated.map((f) => f.electedS));
  const worstExit = Math.max(...terminated.map((f) => f.exitS));
  const worstSeen = Math.max(...failovers.map((f) => f.seenS));
  const missed = failovers.reduce((s, f) => s + f.missed, 0);
  const allSolo = soloDelivery.received.every((n) => n === VIEWERS) && trioDelivery.received.every((n) => n === VIEWERS);
  printTable('Targets', [
    { target: '3 instances call Zulip as 1 does: equal within one call', measured: `${soloCost.calls} vs ${trioCost.calls} calls (${fmt(soloCost.perMinute)} vs ${fmt(trioCost.perMinute)}/min)`, result: verdict(costDiff <= 1) },
    { target: 'no 429 from Zulip', measured: `${soloCost.rateLimited + trioCost.rateLimited}`, result: verdict(soloCost.rateLimited + trioCost.rateLimited === 0) },
    { target: 'app-added p95 ≤ 1 s, spread over 3 as on 1', measured: `${fmt(trioP95, 3)} s vs ${fmt(soloP95, 3)} s`, result: verdict(trioP95 <= 1 && soloP95 <= 1) },
    { target: `every stream gets every change (${VIEWERS} and ${MANY_STREAMS} streams)`, measured: `${allSolo && allMany ? 'all' : 'NOT all'}`, result: verdict(allSolo && allMany) },
    { target: `a new leader within ${LEASE_S} s × 1.2 of a SIGKILL`, measured: `worst ${fmt(worstElected, 2)} s of ${killed.length}`, result: verdict(worstElected <= LEASE_S * 1.2) },
    { target: 'a new leader within 2 s of a SIGTERM', measured: `worst ${fmt(worstHandover, 2)} s of ${terminated.length}`, result: verdict(worstHandover <= 2) },
    { target: 'a SIGTERMed instance exits within 10 s, streams open', measured: `worst ${fmt(worstExit, 2)} s`, result: verdict(worstExit <= 10) },
    { target: 'a change made right after the signal is seen everywhere', measured: `worst ${fmt(worstSeen, 2)} s after the signal; ${missed} streams missed it`, result: verdict(missed === 0) },
  ]);
}
