// Freshness: from a presence change at the (demo) Zulip server to the badge changing in a browser.
//
//   npm run bench:freshness [-- --quick]
//
// A 250-person demo organization (simulation paused, so the only changes are ours), the built
// app polling presence every 15 s (the default), 199 presence streams held open by this process
// plus one real browser (Chromium) showing 200 rows sorted by name: 200 viewers. Then, at random
// moments, a person shown offline reports themselves active from their own Zulip client (their
// own API key), and the browser records when that row's badge turns "Active now".
//
//   end to end = badge changed in the browser − the person's client reported to Zulip
//   app-added  = badge changed in the browser − the app's poll answer left Zulip (the first
//                GET /realm/presence to arrive after the report, from the demo server's log)
import { ensureBuilt, startApp } from './lib/app';
import { launchBrowser } from './lib/browser';
import { RequestRecorder, startDemo } from './lib/demo';
import { seeded } from './lib/http';
import { log, run, sleep } from './lib/proc';
import { openSse, type SseClient } from './lib/sse';
import { distributionRow, fmt, percentile, printTable, verdict } from './lib/stats';

const QUICK = process.argv.includes('--quick');
const REFRESH_S = 15;
const VIEWERS = 200;
const SAMPLES = QUICK ? 12 : 40;

interface Sample {
  id: number;
  reportedAt: number;
  storedAt: number;
  shownAt?: number;
  learnedAt?: number;
  streamedAt?: number;
}

run('bench:freshness', (QUICK ? 6 : 12) * 60_000, async () => {
  await ensureBuilt();
  log('starting the demo Zulip server (250 people, simulation paused) and the app');
  const demo = await startDemo({ port: 9620, users: 250, seed: 1, paused: true });
  const app = await startApp({ port: 4120, zuliprc: demo.zuliprc, env: { PRESENCE_REFRESH_SECONDS: String(REFRESH_S) } });
  const recorder = new RequestRecorder(demo);
  recorder.start(500);

  // 199 streams from here; the first also notes when each person's change was streamed.
  const streamed = new Map<number, number>();
  const streams: SseClient[] = [];
  for (let v = 0; v < VIEWERS - 1; v++) {
    streams.push(
      openSse(`${app.url}/api/presence/stream`, (event) => {
        if (v !== 0 || event.event !== 'presence') return;
        const diff = JSON.parse(event.data) as { changes: Array<{ id: number; presence: { state: string } | null }> };
        for (const c of diff.changes) if (c.presence?.state === 'active' && !streamed.has(c.id)) streamed.set(c.id, event.receivedAt);
      }),
    );
  }
  await Promise.all(streams.map((s) => s.opened));

  log('opening the directory in Chromium');
  const browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(`${app.url}/?sort=name&limit=200`);
  await page.getByText(/^Live/).waitFor({ timeout: 30_000 });
  await page.evaluate(() => {
    const changes: Array<{ id: number; state: string; at: number }> = [];
    (window as unknown as { __changes: typeof changes }).__changes = changes;
    const list = document.querySelector('ul[aria-label="People"]')!;
    new MutationObserver((records) => {
      const at = Date.now();
      for (const r of records) {
        const el = r.target as HTMLElement;
        if (r.type !== 'attributes' || !el.hasAttribute('data-presence')) continue;
        const id = Number(el.closest('li[data-person-id]')?.getAttribute('data-person-id'));
        changes.push({ id, state: el.getAttribute('data-presence') ?? '', at });
      }
    }).observe(list, { subtree: true, attributes: true, attributeFilter: ['data-presence'] });
  });
  const offline = await page.$$eval('li[data-person-id]', (rows) =>
    rows.filter((r) => r.querySelector('span[data-presence="offline"]')).map((r) => Number(r.getAttribute('data-person-id'))),
  );
  const accounts = new Map((await demo.accounts()).map((a) => [a.user_id, a]));
  const candidates = offline.filter((id) => accounts.get(id)?.presence_enabled !== false);
  if (candidates.length < SAMPLES) throw new Error(`only ${candidates.length} people shown offline; need ${SAMPLES}`);

  const random = seeded(11);
  const samples: Sample[] = [];
  log(`${SAMPLES} presence changes at random moments (${VIEWERS} viewers connected)`);
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(2_000 + random() * 4_000);
    const id = candidates[Math.floor((i * candidates.length) / SAMPLES)]!;
    const reportedAt = Date.now();
    await demo.postPresence(accounts.get(id)!, 'active');
    samples.push({ id, reportedAt, storedAt: Date.now() });
  }
  // Wait for the last ones: a poll interval and a margin.
  const deadline = Date.now() + (REFRESH_S + 10) * 1000;
  for (;;) {
    const changes = await page.evaluate(() => (window as unknown as { __changes: Array<{ id: number; state: string; at: number }> }).__changes);
    for (const s of samples) s.shownAt ??= changes.find((c) => c.id === s.id && c.state === 'active' && c.at >= s.reportedAt)?.at;
    if (samples.every((s) => s.shownAt !== undefined) || Date.now() > deadline) break;
    await sleep(500);
  }
  const polls = (await recorder.stop())
    .filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/realm/presence'))
    .map((r) => ({ arrived: Date.parse(r.time), answered: Date.parse(r.time) + r.durationMs }))
    .sort((a, b) => a.arrived - b.arrived);
  for (const s of samples) {
    s.learnedAt = polls.find((p) => p.arrived >= s.storedAt)?.answered;
    s.streamedAt = streamed.get(s.id);
  }
  await browser.close();
  for (const s of streams) s.close();

  const seen = samples.filter((s) => s.shownAt !== undefined);
  const endToEnd = seen.map((s) => (s.shownAt! - s.reportedAt) / 1000);
  const appAdded = seen.filter((s) => s.learnedAt !== undefined).map((s) => (s.shownAt! - s.learnedAt!) / 1000);
  const toStream = seen.filter((s) => s.learnedAt !== undefined && s.streamedAt !== undefined).map((s) => (s.streamedAt! - s.learnedAt!) / 1000);
  const waitForPoll = seen.filter((s) => s.learnedAt !== undefined).map((s) => (s.learnedAt! - s.reportedAt) / 1000);
  const row = (name: string, values: number[]) => distributionRow(name, values, 's');
  printTable(`Presence freshness, 250 people, refresh ${REFRESH_S} s, ${VIEWERS} viewers connected (1 browser + ${VIEWERS - 1} streams)`, [
    row('end to end: Zulip told → badge changed in the browser', endToEnd),
    row('  waiting for the next poll: Zulip told → poll answered', waitForPoll),
    row('  app-added: poll answered → badge changed in the browser', appAdded),
    row('    of which: poll answered → diff received on a stream', toStream),
  ]);
  const e2e95 = percentile(endToEnd, 0.95);
  const app95 = percentile(appAdded, 0.95);
  printTable('Targets', [
    { target: `end-to-end p95 ≤ refresh + 1 s = ${REFRESH_S + 1} s`, measured: `${fmt(e2e95, 2)} s`, result: verdict(e2e95 <= REFRESH_S + 1 && seen.length === samples.length) },
    { target: `app-added p95 ≤ 1 s with ${VIEWERS} viewers`, measured: `${fmt(app95, 2)} s`, result: verdict(app95 <= 1) },
    { target: 'every change reached the browser', measured: `${seen.length} of ${samples.length}`, result: verdict(seen.length === samples.length) },
  ]);
});
