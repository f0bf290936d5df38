// The org chart at 20,000 people: the first view and a deep link rendered by the server, a
// level opened (GET /api/org), the tree index, and what the browser holds.
//
//   npm run bench:org [-- --quick]
//
// One demo organization of 20,000 people (simulation paused: a real Zulip does not share this
// machine) and one built app on it, polling presence every 15 s.
//   1. The index (lib/directory/domain/org-chart.ts) built in this process from the same people, as
//      the server builds it once per people-store version; and its shape (depth, widest level).
//   2. Server render, whole body read: /org (the first view), /org?focus={the deepest person},
//      and the directory's / for reference, requests alternating one at a time.
//   3. Opening a level: GET /api/org?parent={a manager picked at random}, and the way down to
//      the deepest person (GET /api/org?focus=…); then the first level opened after a change in
//      Zulip, which pays for rebuilding the index.
//   4. Chromium: rows and DOM elements on the first view and the deep link, and Right arrow on a
//      closed row to its reports on screen.
import { ensureBuilt, startApp } from './lib/app';
import { launchBrowser } from './lib/browser';
import { startDemo } from './lib/demo';
import { loadDirectory } from './lib/directory';
import { seeded, timedGet, type Timed } from './lib/http';
import { log, run, sleep } from './lib/proc';
import { distributionRow, fmt, percentile, printTable, verdict } from './lib/stats';
import { buildOrgChart, type OrgChart } from '../lib/directory/domain/org-chart';

const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 20 : 80;
const WARMUP = 10;
const EXPANDS = QUICK ? 100 : 400;
const BUILDS = QUICK ? 10 : 30;
const CHANGES = QUICK ? 5 : 15;
const BROWSER_OPENS = QUICK ? 10 : 30;
const TITLE_FIELD = '1';

const summary = (name: string, values: number[]) => distributionRow(name, values, 'ms');

/** The deepest person (the last found at the greatest depth), and the chart's shape. */
function shape(chart: OrgChart, ids: number[]) {
  let deepest = ids[0]!;
  let depth = 0;
  let widest = chart.children(null).length;
  const managers: number[] = [];
  for (const id of ids) {
    const d = chart.path(id)!.length;
    if (d >= depth) [deepest, depth] = [id, d];
    const reports = chart.children(id).length;
    if (reports > 0) managers.push(id);
    widest = Math.max(widest, reports);
  }
  return { deepest, depth, widest, managers };
}

async function get(url: string): Promise<Timed> {
  const t = await timedGet(url);
  if (t.status !== 200) throw new Error(`${url}: ${t.status} ${t.body.slice(0, 200)}`);
  return t;
}

run('bench:org', (QUICK ? 6 : 12) * 60_000, async () => {
  await ensureBuilt();
  log('starting a demo Zulip server with 20,000 people, and the app on it');
  const demo = await startDemo({ port: 9660, users: 20_000, seed: 1, paused: true });
  const app = await startApp({ port: 4160, zuliprc: demo.zuliprc });

  log(`building the index ${BUILDS} times in this process`);
  const dir = await loadDirectory(demo);
  const listed = dir.people.list();
  const builds: number[] = [];
  let chart!: OrgChart;
  for (let i = 0; i < BUILDS; i++) {
    const started = performance.now();
    chart = buildOrgChart(listed, (id) => dir.people.former(id));
    builds.push(performance.now() - started);
  }
  const { deepest, depth, widest, managers } = shape(chart, listed.map((p) => p.id));

  log(`${ROUNDS} alternating requests for /, /org and /org?focus=${deepest}`);
  const views = [
    ['directory page / (reference)', '/'],
    ['org chart, first view /org', '/org'],
    [`org chart, deep link /org?focus=… (depth ${depth})`, `/org?focus=${deepest}`],
  ] as const;
  const pages: Timed[][] = views.map(() => []);
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    for (let i = 0; i < views.length; i++) {
      const k = r % 2 === 0 ? i : views.length - 1 - i;
      const t = await get(`${app.url}${views[k]![1]}`);
      if (r >= WARMUP) pages[k]!.push(t);
    }
  }
  if (!pages[2]![0]!.body.includes(`data-key="p-${deepest}"`)) throw new Error('the deep link does not show the person');

  log(`${EXPANDS} levels opened at random, and the way down to the deepest person`);
  const random = seeded(7);
  const expands: Timed[] = [];
  for (let i = 0; i < WARMUP + EXPANDS; i++) {
    const manager = managers[Math.floor(random() * managers.length)]!;
    const t = await get(`${app.url}/api/org?parent=${manager}`);
    if (i >= WARMUP) expands.push(t);
  }
  const paths: Timed[] = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const t = await get(`${app.url}/api/org?focus=${deepest}`);
    if (i >= WARMUP) paths.push(t);
  }

  log(`${CHANGES} changes in Zulip, each followed by a level opened (the index is rebuilt)`);
  const afterChange: number[] = [];
  const accounts = (await demo.accounts()).filter((a) => !a.is_bot && a.is_active);
  for (let i = 0; i < CHANGES; i++) {
    const who = accounts[Math.floor(random() * accounts.length)]!;
    const title = `Benchmark title ${i}`;
    const response = await fetch(`${demo.site}/demo/users/${who.user_id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile_data: { [TITLE_FIELD]: title } }),
    });
    if (!response.ok) throw new Error(`PATCH /demo/users/${who.user_id}: ${response.status}`);
    // Until the app has the event (a person's page does not touch the org chart's index).
    for (let tries = 0; ; tries++) {
      const person = (await (await fetch(`${app.url}/api/people/${who.user_id}`)).json()) as { person?: { title?: string } };
      if (person.person?.title === title) break;
      if (tries > 200) throw new Error('the app did not get the change');
      await sleep(25);
    }
    const manager = managers[Math.floor(random() * managers.length)]!;
    afterChange.push((await get(`${app.url}/api/org?parent=${manager}`)).totalMs);
  }

  log('Chromium: the first view, the deep link, and opening a level with the keyboard');
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const count = () =>
    page.evaluate(() => ({ rows: document.querySelectorAll('[role="treeitem"]').length, dom: document.getElementsByTagName('*').length }));
  await page.goto(`${app.url}/org`);
  await page.getByText(/^Live/).waitFor({ timeout: 30_000 });
  const first = await count();
  await page.goto(`${app.url}/org?focus=${deepest}`);
  await page.getByText(/^Live/).waitFor({ timeout: 30_000 });
  const focused = await count();
  // Right arrow on closed rows with reports, from the key press to their reports on screen.
  const opens: number[] = [];
  await page.goto(`${app.url}/org`);
  await page.getByText(/^Live/).waitFor({ timeout: 30_000 });
  for (let i = 0; i < BROWSER_OPENS; i++) {
    const ms = await page.evaluate(async () => {
      const row = [...document.querySelectorAll<HTMLElement>('[role="treeitem"][aria-expanded="false"]')][0];
      if (!row) return null;
      row.focus();
      const started = performance.now();
      row.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      for (;;) {
        if (row.querySelector(':scope > [role="group"] > [role="treeitem"]')) return performance.now() - started;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        if (performance.now() - started > 10_000) return null;
      }
    });
    if (ms !== null) opens.push(ms);
  }
  const opened = await count();
  await browser.close();

  const total = (ts: Timed[]) => ts.map((t) => t.totalMs);
  const memory = app.memory();
  const rows = views.map(([view], i) => ({
    view,
    'p50 ms': fmt(percentile(total(pages[i]!), 0.5)),
    'p95 ms': fmt(percentile(total(pages[i]!), 0.95)),
    'HTML kB': fmt(pages[i]![0]!.bytes / 1000),
  }));
  printTable('Pages at 20,000 people (server render, whole body, from this machine)', rows);
  printTable('Opening a level and the index', [
    summary(`GET /api/org?parent={random manager} (${fmt(expands.reduce((s, t) => s + t.bytes, 0) / expands.length / 1000)} kB average)`, total(expands)),
    summary(`GET /api/org?focus={deepest} (${depth} levels, ${fmt(paths[0]!.bytes / 1000)} kB)`, total(paths)),
    summary('GET /api/org?parent=… first after a change in Zulip (index rebuilt)', afterChange),
    summary('buildOrgChart() alone, the same 20,000 people, in this process', builds),
  ]);
  printTable('The chart', [
    { people: chart.size.toLocaleString('en-US'), 'at the top': chart.children(null).length, managers: managers.length.toLocaleString('en-US'), depth, 'widest level': widest },
  ]);
  printTable('What the browser holds', [
    { view: '/org', 'rows rendered': first.rows, 'DOM elements': first.dom },
    { view: `/org?focus=… (depth ${depth})`, 'rows rendered': focused.rows, 'DOM elements': focused.dom },
    { view: `/org after opening ${opens.length} levels`, 'rows rendered': opened.rows, 'DOM elements': opened.dom },
  ]);
  if (opens.length > 0) printTable('Right arrow → reports on screen (Chromium)', [summary('key press → first report in the DOM', opens)]);
  printTable('Server memory after the run', [{ 'RSS MB': fmt(memory.rssMb, 0), 'peak RSS MB': fmt(memory.peakMb, 0) }]);

  const p50 = (i: number) => percentile(total(pages[i]!), 0.5);
  const expandP95 = percentile(total(expands), 0.95);
  printTable('Targets', [
    { target: 'first view /org within 1.5× of the directory page (p50)', measured: `${fmt(p50(1))} vs ${fmt(p50(0))} ms: ${fmt(p50(1) / p50(0), 2)}×`, result: verdict(p50(1) <= 1.5 * p50(0)) },
    { target: 'deep link within 1.5× of the directory page (p50)', measured: `${fmt(p50(2))} vs ${fmt(p50(0))} ms: ${fmt(p50(2) / p50(0), 2)}×`, result: verdict(p50(2) <= 1.5 * p50(0)) },
    { target: 'opening a level p95 ≤ 50 ms over HTTP', measured: `${fmt(expandP95)} ms`, result: verdict(expandP95 <= 50) },
    { target: 'index rebuilt p95 ≤ 50 ms', measured: `${fmt(percentile(builds, 0.95))} ms`, result: verdict(percentile(builds, 0.95) <= 50) },
    {
      target: 'the page holds only what is open, never the whole tree',
      measured: `${first.rows} rows on /org, ${focused.rows} on the deep link, ${opened.rows} after ${opens.length} opens, of ${chart.size.toLocaleString('en-US')}`,
      result: verdict(first.rows <= 300 && focused.rows <= 300 + depth * 100 && opened.rows < chart.size / 10),
    },
  ]);
});
