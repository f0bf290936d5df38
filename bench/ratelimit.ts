// Never rate-limited: a sustained storm of profile opens, then Zulip forcing 429s.
//
//   npm run bench:ratelimit [-- --quick]
//
// A 20,000-person demo organization (Zulip's default limit: 200 calls a minute per bot) and the
// built app.
//   1. Storm: 200 viewers each opening a different colleague's profile (the page and the
//      presence breakdown it loads) again and again, one after the other, for two minutes: far
//      more distinct people than the budget can look up. Counted at the demo server: 429s (must
//      be none), calls per 60-second window (must stay under the app's budget), and what the
//      viewers got (a breakdown from Zulip, one from the directory's snapshot once the budget is
//      spent, or "Zulip is busy, try again", which a 10.x demo server should never cause).
//   2. Forced 429s: the demo server answers every call with 429 and Retry-After: 2.5 s for 20 s,
//      then 429 with Retry-After: 12.5 s twice, while 20 viewers keep browsing. Checked from the
//      demo server's request log: no call arrives before the Retry-After it was given has passed;
//      pages and searches keep answering; the app says it is rate-limited, then recovers by itself.
import { ensureBuilt, startApp } from './lib/app';
import { RequestRecorder, startDemo, type LoggedRequest } from './lib/demo';
import { seeded, timedGet } from './lib/http';
import { log, run, sleep } from './lib/proc';
import { openSse, type SseClient } from './lib/sse';
import { fmt, maxWindow, percentile, printTable, verdict } from './lib/stats';

const QUICK = process.argv.includes('--quick');
const VIEWERS = 200;
const STORM_S = QUICK ? 60 : 120;

/**
 * Calls that arrived at Zulip before the Retry-After of an earlier 429 had passed. A call that
 * arrives within IN_FLIGHT_MS of the 429's answer was sent before the app could have read that
 * answer (two calls on their way at once): those are listed apart, not counted as waits ignored.
 */
const IN_FLIGHT_MS = 250;
/**
 * The demo server logs a call as answered when its response closes, which comes a few
 * milliseconds after the app has read the answer: a call arriving within this much of the end of
 * Retry-After (as the log reckons it) waited the full Retry-After by the app's own clock.
 */
const LOG_SLACK_MS = 20;
function retryAfterViolations(entries: LoggedRequest[], retryAfterS: number): { violations: string[]; inFlight: string[]; minGapS: number; rateLimited: number } {
  const sorted = [...entries].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const violations: string[] = [];
  const inFlight: string[] = [];
  let minGap = Infinity;
  let rateLimited = 0;
  for (const e of sorted) {
    if (e.status !== 429) continue;
    rateLimited++;
    const answered = Date.parse(e.time) + e.durationMs;
    for (const n of sorted) {
      const arrived = Date.parse(n.time);
      if (n === e || arrived < answered || arrived >= answered + retryAfterS * 1000 - LOG_SLACK_MS) continue;
      const gap = arrived - answered;
      const line = `${n.method} ${n.path.split('?')[0]} ${gap} ms after a 429 on ${e.method} ${e.path.split('?')[0]}`;
      if (gap < IN_FLIGHT_MS) inFlight.push(line);
      else {
        violations.push(line);
        minGap = Math.min(minGap, gap / 1000);
      }
    }
    const next = sorted.find((n) => Date.parse(n.time) >= answered + IN_FLIGHT_MS);
    if (next) minGap = Math.min(minGap, (Date.parse(next.time) - answered) / 1000);
  }
  return { violations, inFlight, minGapS: minGap, rateLimited };
}

run('bench:ratelimit', (QUICK ? 8 : 14) * 60_000, async () => {
  await ensureBuilt();
  log('starting the demo Zulip server (20,000 people, 200 calls/min per bot) and the app');
  const demo = await startDemo({ port: 9615, users: 20_000, seed: 1 });
  const app = await startApp({ port: 4115, zuliprc: demo.zuliprc });
  const ids = ((await (await fetch(`${app.url}/api/people?sort=name&limit=200`)).json()) as { items: Array<{ id: number }> }).items.map((p) => p.id);
  const everyone: number[] = [];
  for (let offset = 0; everyone.length < 4_000; offset += 200) {
    const page = (await (await fetch(`${app.url}/api/people?sort=name&limit=200&offset=${offset}`)).json()) as { items: Array<{ id: number }> };
    everyone.push(...page.items.map((p) => p.id));
  }
  const recorder = new RequestRecorder(demo);
  recorder.start(250);
  const streams: SseClient[] = [];
  const version = ((await (await fetch(`${app.url}/api/people`)).json()) as { presenceVersion: number }).presenceVersion;
  for (let v = 0; v < VIEWERS; v++) streams.push(openSse(`${app.url}/api/presence/stream?since=${version}`, () => {}));
  await Promise.all(streams.map((s) => s.opened));

  // 1. The storm.
  log(`storm: ${VIEWERS} viewers opening profiles for ${STORM_S} s`);
  await demo.resetStats();
  recorder.clear();
  const outcomes = { fresh: 0, stale: 0, snapshot: 0, busy: 0, other: 0, pages: 0, pageErrors: 0 };
  const random = seeded(3);
  let next = 0;
  const stormEnd = Date.now() + STORM_S * 1000;
  await Promise.all(
    Array.from({ length: VIEWERS }, async () => {
      await sleep(random() * 2_000);
      while (Date.now() < stormEnd) {
        const id = everyone[next++ % everyone.length]!;
        const pageResponse = await fetch(`${app.url}/people/${id}`);
        await pageResponse.arrayBuffer();
        outcomes.pages++;
        if (!pageResponse.ok) outcomes.pageErrors++;
        const response = await fetch(`${app.url}/api/people/${id}/presence`);
        const body = (await response.json()) as { stale?: boolean; source?: string; error?: { code?: string } };
        if (response.ok) outcomes[body.source === 'snapshot' ? 'snapshot' : body.stale ? 'stale' : 'fresh']++;
        else if (response.status === 503 && body.error?.code === 'upstream_rate_limited') outcomes.busy++;
        else outcomes.other++;
        await sleep(500 + random() * 1_000);
      }
    }),
  );
  await sleep(2_000);
  await recorder.poll();
  const stormLog = [...recorder.entries];
  const stormStats = await demo.stats();
  const health = (await (await fetch(`${app.url}/api/health`)).json()) as { upstream?: { rateLimit?: { allowance?: number } } };
  const allowance = health.upstream?.rateLimit?.allowance ?? 160;
  const stormWindow = maxWindow(stormLog);
  const perPerson = stormStats.byEndpoint['GET /api/v1/users/{user_id_or_email}/presence'] ?? 0;
  for (const s of streams.splice(20)) s.close();

  // Let the server's window empty, so the fault phase starts from a normal state.
  log('waiting 60 s for the rate-limit window to clear');
  await sleep(60_000);

  // 2. Forced 429s, with 20 viewers browsing throughout.
  recorder.clear();
  const probe = { requests: 0, failures: 0, times: [] as number[], breakdowns: { ok: 0, busy: 0, other: 0 } };
  let browsing = true;
  const viewers = Array.from({ length: 20 }, async (_, v) => {
    let i = 0;
    while (browsing) {
      const path = i % 3 === 0 ? '/' : i % 3 === 1 ? `/api/people?q=${'aeiou'[(v + i) % 5]}${'nrst'[i % 4]}` : `/api/people/${ids[(v * 7 + i) % ids.length]}/presence`;
      const t = await timedGet(`${app.url}${path}`);
      if (path.endsWith('/presence')) {
        if (t.status === 200) probe.breakdowns.ok++;
        else if (t.status === 503) probe.breakdowns.busy++;
        else probe.breakdowns.other++;
      } else {
        probe.requests++;
        probe.times.push(t.totalMs);
        if (t.status !== 200) probe.failures++;
      }
      i++;
      await sleep(700 + random() * 600);
    }
  });
  const healthTimeline: Array<{ at: number; status: string }> = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const body = (await (await fetch(`${app.url}/api/health`)).json()) as { status: string };
      healthTimeline.push({ at: Date.now(), status: body.status });
      await sleep(500);
    }
  })();
  await sleep(10_000);
  log('forcing 429 with Retry-After 2.5 s for 20 s');
  const fault1Start = Date.now();
  await demo.faults({ force429: { retryAfter: 2.5 } });
  await sleep(20_000);
  await demo.faults(null);
  const fault1End = Date.now();
  await sleep(25_000);
  log('forcing 429 with Retry-After 12.5 s, twice');
  const fault2Start = Date.now();
  await demo.faults({ force429: { retryAfter: 12.5, count: 2 } });
  // Until both 429s have been used up, then a little more.
  for (let i = 0; i < 120; i++) {
    const faults = (await (await fetch(`${demo.site}/demo/faults`)).json()) as { faults: { force429?: unknown } };
    if (!faults.faults.force429) break;
    await sleep(500);
  }
  const fault2End = Date.now();
  await sleep(35_000);
  browsing = false;
  watching = false;
  await Promise.all(viewers);
  await watcher;
  await recorder.poll();
  for (const s of streams) s.close();

  const faultLog = recorder.entries;
  const inFault1 = faultLog.filter((e) => Date.parse(e.time) >= fault1Start - 1_000 && Date.parse(e.time) <= fault1End + 15_000);
  const inFault2 = faultLog.filter((e) => Date.parse(e.time) >= fault2Start - 1_000);
  const v1 = retryAfterViolations(inFault1, 2.5);
  const v2 = retryAfterViolations(inFault2, 12.5);
  const lastFaultEnd = fault2End;
  const recovered1 = healthTimeline.find((h) => h.at > fault1End && h.status === 'ok');
  const limited1 = healthTimeline.some((h) => h.at >= fault1Start && h.at <= fault1End && h.status === 'rate_limited');
  const recovered2 = healthTimeline.find((h) => h.at > lastFaultEnd && h.status === 'ok');
  const finalStatus = healthTimeline[healthTimeline.length - 1]?.status;

  printTable(`Storm: ${VIEWERS} viewers opening profiles for ${STORM_S} s (20,000 people; Zulip allows 200 calls/min, the app budgets ${allowance})`, [
    {
      'profile pages served': `${outcomes.pages} (${outcomes.pageErrors} errors)`,
      'breakdowns: fresh / cached-stale / from the snapshot / "busy, try again" / other': `${outcomes.fresh} / ${outcomes.stale} / ${outcomes.snapshot} / ${outcomes.busy} / ${outcomes.other}`,
      'upstream calls': `${stormStats.total} (${perPerson} per-person)`,
      'busiest 60 s': stormWindow,
      '429s': stormStats.rateLimited,
    },
  ]);
  printTable('Forced 429s (demo server), 20 viewers browsing', [
    {
      fault: 'every call 429, Retry-After 2.5 s, for 20 s',
      '429s given': v1.rateLimited,
      'calls before Retry-After passed': `${v1.violations.length} (+${v1.inFlight.length} already on their way)`,
      'shortest wait after a 429': `${fmt(v1.minGapS, 2)} s`,
      'app said rate-limited': limited1 ? 'yes' : 'no',
      'healthy again after': recovered1 ? `${fmt((recovered1.at - fault1End) / 1000)} s` : 'never',
    },
    {
      fault: 'two 429s, Retry-After 12.5 s',
      '429s given': v2.rateLimited,
      'calls before Retry-After passed': `${v2.violations.length} (+${v2.inFlight.length} already on their way)`,
      'shortest wait after a 429': `${fmt(v2.minGapS, 2)} s`,
      'app said rate-limited': healthTimeline.some((h) => h.at >= fault2Start && h.status === 'rate_limited') ? 'yes' : 'no',
      'healthy again after': recovered2 ? `${fmt((recovered2.at - lastFaultEnd) / 1000)} s` : 'never',
    },
  ]);
  console.log(
    `\nwhile faulted and after: pages and searches ${probe.requests} (${probe.failures} not 200), p95 ${fmt(percentile(probe.times, 0.95))} ms; ` +
      `breakdowns ${probe.breakdowns.ok} answered, ${probe.breakdowns.busy} "busy, try again", ${probe.breakdowns.other} other; final health: ${finalStatus}`,
  );
  for (const line of [...v1.violations, ...v2.violations]) console.log(`  sent too early: ${line}`);
  for (const line of [...v1.inFlight, ...v2.inFlight]) console.log(`  already on its way: ${line}`);
  printTable('Targets', [
    { target: 'no 429 in a sustained profile storm', measured: `${stormStats.rateLimited} 429s; busiest 60 s ${stormWindow} calls (budget ${allowance}, Zulip 200)`, result: verdict(stormStats.rateLimited === 0 && stormWindow <= allowance) },
    {
      target: 'waits as Retry-After says',
      measured: `${v1.violations.length + v2.violations.length} calls sent before Retry-After passed (${v1.inFlight.length + v2.inFlight.length} were already on their way)`,
      result: verdict(v1.violations.length + v2.violations.length === 0 && v1.rateLimited > 0 && v2.rateLimited > 0),
    },
    { target: 'keeps serving while rate-limited', measured: `${probe.failures} of ${probe.requests} pages/searches failed`, result: verdict(probe.failures === 0) },
    { target: 'recovers by itself', measured: `health "${finalStatus}" at the end; ok ${recovered1 ? fmt((recovered1.at - fault1End) / 1000) : '–'} s / ${recovered2 ? fmt((recovered2.at - lastFaultEnd) / 1000) : '–'} s after the faults ended`, result: verdict(finalStatus === 'ok' && !!recovered1 && !!recovered2) },
  ]);
});
