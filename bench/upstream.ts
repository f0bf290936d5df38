// Upstream cost: Zulip API calls per minute, counted by the demo Zulip server's /demo/stats.
//
//   npm run bench:upstream [-- --quick]
//
// A 20,000-person demo organization, the built app pointed at it, and scripted viewers:
//   1. background: 200 viewers with the presence stream open, nobody opening a profile;
//   2. the same browsing (pages, searches, paging, profiles, breakdowns) by 1 viewer, then by
//      200 concurrent viewers (each with the presence stream open, each action jittered 0–2 s);
//   3. the naive design, where each viewer's page asks Zulip for every visible person's
//      presence (and again every refresh interval while it is shown), for the same browsing by 1
//      and by 200 viewers, against a second demo server whose rate limit is lifted so the
//      demand can be counted rather than refused.
// Also checked from the demo server's request log: at most one per-person presence call per
// person per cache period, and no 60-second window above the app's request budget.
import { ensureBuilt, startApp, type App } from './lib/app';
import { RequestRecorder, startDemo, type Demo, type LoggedRequest } from './lib/demo';
import { browse, browsing, type Action } from './lib/browsing';
import { basicAuth, Limiter, seeded } from './lib/http';
import { log, run, sleep } from './lib/proc';
import { openSse, type SseClient } from './lib/sse';
import { fmt, maxWindow, printTable, verdict } from './lib/stats';

const QUICK = process.argv.includes('--quick');
const PEOPLE = 20_000;
const VIEWERS = 200;
const PHASE_S = QUICK ? 60 : 150;
const IDLE_S = QUICK ? 60 : 120;
const REFRESH_S = 15;
const CACHE_S = 10;
/** The app's request budget: 80% of the server's advertised 200 a minute (lib/zulip/rate-budget.ts). */
const BUDGET_PER_MINUTE = 160;
const JITTER_S = 2;

/** The people a view shows (for the naive design, which asks Zulip about each of them). */
async function visibleIds(app: App, action: Action): Promise<number[]> {
  if (action.kind === 'profile' || action.kind === 'breakdown') return [action.person];
  const query = action.path.includes('?') ? action.path.slice(action.path.indexOf('?') + 1) : '';
  const response = await fetch(`${app.url}/api/people${query ? `?${query}` : ''}`);
  const page = (await response.json()) as { items: Array<{ id: number }> };
  return page.items.map((p) => p.id);
}

interface PhaseResult {
  calls: number;
  perMinute: number;
  byEndpoint: Record<string, number>;
  rateLimited: number;
  appErrors: number;
  appRequests: number;
}

/** Waits until the app's presence poll has just completed, so phases contain the same number of polls. */
async function alignToPoll(demo: Demo): Promise<void> {
  const key = 'GET /api/v1/realm/presence';
  const before = (await demo.stats()).byEndpoint[key] ?? 0;
  const deadline = Date.now() + (REFRESH_S + 10) * 1000;
  while (Date.now() < deadline) {
    if (((await demo.stats()).byEndpoint[key] ?? 0) > before) return;
    await sleep(100);
  }
}

async function measure(demo: Demo, durationS: number, work: (startedAt: number) => Promise<{ errors: number; requests: number }>): Promise<PhaseResult> {
  const before = await demo.stats();
  const startedAt = Date.now();
  const done = work(startedAt);
  await sleep(durationS * 1000);
  const after = await demo.stats();
  const { errors, requests } = await done;
  const byEndpoint: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byEndpoint)) {
    const d = v - (before.byEndpoint[k] ?? 0);
    if (d > 0) byEndpoint[k] = d;
  }
  const calls = after.total - before.total;
  return { calls, perMinute: (calls * 60) / durationS, byEndpoint, rateLimited: after.rateLimited - before.rateLimited, appErrors: errors, appRequests: requests };
}

/** Runs the browsing script against the app as `viewers` viewers (jittered), until the phase ends. */
function browseApp(app: App, script: Action[], viewers: number, startedAt: number, random: () => number): Promise<{ errors: number; requests: number }> {
  return browse(() => app.url, script, viewers, startedAt, random, JITTER_S);
}

/**
 * The naive design: a page shows N people and asks Zulip for each one's presence on arrival and
 * every refresh interval after, until the viewer moves on.
 */
async function browseNaive(naive: Demo, views: Array<{ at: number; ids: number[] }>, viewers: number, durationS: number, startedAt: number, random: () => number): Promise<{ errors: number; requests: number }> {
  const limiter = new Limiter(128);
  const auth = basicAuth(naive.bot.email, naive.bot.key);
  let errors = 0;
  let requests = 0;
  const ask = async (id: number) => {
    requests++;
    try {
      const response = await limiter.run(() => fetch(`${naive.site}/api/v1/users/${id}/presence`, { headers: { Authorization: auth } }));
      await response.arrayBuffer();
      // 400 "No presence data" is an answer (the person never connected), not a failure.
      if (response.status !== 200 && response.status !== 400) errors++;
    } catch {
      errors++;
    }
  };
  const end = startedAt + durationS * 1000;
  const tasks: Promise<void>[] = [];
  for (let v = 0; v < viewers; v++) {
    const jitter = viewers > 1 ? random() * JITTER_S : 0;
    views.forEach((view, i) => {
      const from = startedAt + (view.at + jitter) * 1000;
      const until = Math.min(end, i + 1 < views.length ? startedAt + (views[i + 1]!.at + jitter) * 1000 : end);
      tasks.push(
        (async () => {
          for (let t = from; t < until; t += REFRESH_S * 1000) {
            await sleep(Math.max(0, t - Date.now()));
            await Promise.all(view.ids.map(ask));
          }
        })(),
      );
    });
  }
  await Promise.all(tasks);
  return { errors, requests };
}

function perPersonCheck(entries: LoggedRequest[]): { people: number; calls: number; minGapS: number; violations: number } {
  const byPerson = new Map<string, number[]>();
  for (const e of entries) {
    const m = /^\/api\/v1\/users\/([^/?]+)\/presence/.exec(e.path);
    if (!m || e.method !== 'GET') continue;
    const times = byPerson.get(m[1]!) ?? [];
    times.push(Date.parse(e.time));
    byPerson.set(m[1]!, times);
  }
  let minGap = Infinity;
  let violations = 0;
  let calls = 0;
  for (const times of byPerson.values()) {
    times.sort((a, b) => a - b);
    calls += times.length;
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i]! - times[i - 1]!) / 1000;
      minGap = Math.min(minGap, gap);
      // The cache keeps an answer CACHE_S from when it arrived, so the next call is at least that long after the previous one was sent.
      if (gap < CACHE_S - 0.05) violations++;
    }
  }
  return { people: byPerson.size, calls, minGapS: minGap, violations };
}

run('bench:upstream', (QUICK ? 12 : 25) * 60_000, async () => {
  await ensureBuilt();
  log(`starting two demo Zulip servers with ${PEOPLE.toLocaleString('en-US')} people (one for the app, one for the naive design)`);
  const [demo, naive] = await Promise.all([
    startDemo({ port: 9610, users: PEOPLE, seed: 1 }),
    startDemo({ port: 9611, users: PEOPLE, seed: 1, rateLimit: 1_000_000 }),
  ]);
  log('starting the app');
  const app = await startApp({ port: 4110, zuliprc: demo.zuliprc, env: { PRESENCE_REFRESH_SECONDS: String(REFRESH_S), PRESENCE_DETAIL_CACHE_SECONDS: String(CACHE_S) } });
  const random = seeded(4);

  // The people the script opens: from the first page of a name-ordered view and a search.
  const firstPage = (await (await fetch(`${app.url}/api/people?sort=name&limit=50`)).json()) as { items: Array<{ id: number }>; facets: { departments: string[] } };
  const people = [0, 7, 13, 21, 29, 34, 42, 49].map((i) => firstPage.items[i]!.id);
  const script = browsing(people, firstPage.facets.departments, PHASE_S);
  const views = await Promise.all(script.map(async (a) => ({ at: a.at, ids: await visibleIds(app, a) })));

  const recorder = new RequestRecorder(demo);
  recorder.start(1_000);

  // 1. Background: 200 viewers with the stream open, nobody opening a profile.
  log(`background: ${VIEWERS} presence streams open, no profiles, ${IDLE_S} s`);
  const streams: SseClient[] = [];
  let diffs = 0;
  for (let v = 0; v < VIEWERS; v++) streams.push(openSse(`${app.url}/api/presence/stream`, () => diffs++));
  await Promise.all(streams.map((s) => s.opened));
  await alignToPoll(demo);
  const idle = await measure(demo, IDLE_S, async () => ({ errors: 0, requests: 0 }));

  // 2. The same browsing by 1 viewer (alongside it, the naive design for 1 viewer on its own server).
  for (const s of streams.splice(1)) s.close();
  log(`1 viewer browsing (and the naive design for 1 viewer), ${PHASE_S} s`);
  await alignToPoll(demo);
  await naive.resetStats();
  const naiveOneStart = Date.now();
  const naiveOneWork = browseNaive(naive, views, 1, PHASE_S, naiveOneStart, random);
  const one = await measure(demo, PHASE_S, (startedAt) => browseApp(app, script, 1, startedAt, random));
  await naiveOneWork;
  const naiveOneStats = await naive.stats();
  const naiveOne = { calls: naiveOneStats.total, perMinute: (naiveOneStats.total * 60) / PHASE_S };

  log(`${VIEWERS} viewers browsing, ${PHASE_S} s`);
  for (let v = 1; v < VIEWERS; v++) streams.push(openSse(`${app.url}/api/presence/stream`, () => diffs++));
  await Promise.all(streams.map((s) => s.opened));
  await alignToPoll(demo);
  recorder.clear();
  await recorder.poll();
  recorder.clear();
  const many = await measure(demo, PHASE_S, (startedAt) => browseApp(app, script, VIEWERS, startedAt, random));
  const manyLog = await recorder.stop();
  for (const s of streams) s.close();

  // 3. The naive design for 200 viewers.
  log(`the naive design for ${VIEWERS} viewers, ${PHASE_S} s`);
  await naive.resetStats();
  const naiveManyStart = Date.now();
  const naiveManyWork = await browseNaive(naive, views, VIEWERS, PHASE_S, naiveManyStart, random);
  const naiveManyElapsed = (Date.now() - naiveManyStart) / 1000;
  const naiveManyStats = await naive.stats();
  const naiveMany = { calls: naiveManyStats.total, perMinute: (naiveManyStats.total * 60) / Math.max(PHASE_S, naiveManyElapsed), errors: naiveManyWork.errors };

  const health = (await (await fetch(`${app.url}/api/health`)).json()) as { upstream?: { rateLimit?: { allowance?: number } } };
  const allowance = health.upstream?.rateLimit?.allowance ?? BUDGET_PER_MINUTE;
  const perPerson = perPersonCheck(manyLog);
  const window = maxWindow(manyLog);
  const difference = Math.abs(many.perMinute - one.perMinute) / one.perMinute;

  const endpoints = (r: PhaseResult) =>
    Object.entries(r.byEndpoint)
      .map(([k, v]) => `${k.replace('/api/v1', '').replace('{user_id_or_email}', '{id}')} ${v}`)
      .join('; ');
  printTable(`Upstream Zulip API calls, ${PEOPLE.toLocaleString('en-US')}-person organization (refresh ${REFRESH_S} s, detail cache ${CACHE_S} s)`, [
    { run: `background: ${VIEWERS} streams open, no profiles (${IDLE_S} s)`, 'calls': idle.calls, 'calls/min': fmt(idle.perMinute), 'by endpoint': endpoints(idle), '429s': idle.rateLimited },
    { run: `app, 1 viewer browsing (${PHASE_S} s)`, 'calls': one.calls, 'calls/min': fmt(one.perMinute), 'by endpoint': endpoints(one), '429s': one.rateLimited },
    { run: `app, ${VIEWERS} viewers, same browsing (${PHASE_S} s)`, 'calls': many.calls, 'calls/min': fmt(many.perMinute), 'by endpoint': endpoints(many), '429s': many.rateLimited },
    { run: `naive, 1 viewer, same browsing`, 'calls': naiveOne.calls, 'calls/min': fmt(naiveOne.perMinute), 'by endpoint': 'GET /users/{id}/presence only', '429s': '(limit lifted)' },
    { run: `naive, ${VIEWERS} viewers, same browsing`, 'calls': naiveMany.calls, 'calls/min': fmt(naiveMany.perMinute), 'by endpoint': 'GET /users/{id}/presence only', '429s': '(limit lifted)' },
  ]);
  printTable('Targets', [
    { target: 'background cost ≤ 10 calls/min', measured: `${fmt(idle.perMinute)} calls/min`, result: verdict(idle.perMinute <= 10) },
    { target: `1 vs ${VIEWERS} viewers within 10%`, measured: `${fmt(one.perMinute)} vs ${fmt(many.perMinute)} calls/min (${fmt(difference * 100)}% apart)`, result: verdict(difference <= 0.1) },
    {
      target: '≤ 1 per-person call per person per cache period',
      measured: `${perPerson.calls} calls for ${perPerson.people} people; closest two for one person ${fmt(perPerson.minGapS)} s apart; ${perPerson.violations} closer than ${CACHE_S} s`,
      result: verdict(perPerson.violations === 0),
    },
    { target: `never above the request budget (${allowance}/60 s)`, measured: `busiest 60 s window: ${window} calls`, result: verdict(window <= allowance) },
    { target: 'no 429 from Zulip', measured: `${idle.rateLimited + one.rateLimited + many.rateLimited} 429s`, result: verdict(idle.rateLimited + one.rateLimited + many.rateLimited === 0) },
    { target: 'naive ÷ app, 1 viewer', measured: `${fmt(naiveOne.perMinute)} ÷ ${fmt(one.perMinute)} = ${fmt(naiveOne.perMinute / one.perMinute)}×`, result: '' },
    { target: `naive ÷ app, ${VIEWERS} viewers`, measured: `${fmt(naiveMany.perMinute)} ÷ ${fmt(many.perMinute)} = ${fmt(naiveMany.perMinute / many.perMinute)}×`, result: '' },
  ]);
  console.log(
    `\napp requests: 1 viewer ${one.appRequests} (${one.appErrors} not 2xx), ${VIEWERS} viewers ${many.appRequests} (${many.appErrors} not 2xx); ` +
      `presence diffs received by the streams: ${diffs}; naive ${VIEWERS}-viewer run took ${fmt(naiveManyElapsed)} s (${naiveMany.errors} failed calls)`,
  );
});
