// Big organizations: the directory page at 250 and at 20,000 people, and what the browser holds.
//
//   npm run bench:scale [-- --quick]
//
// Two demo organizations (250 and 20,000 people) and two built apps, one on each, both running
// at once; requests alternate between them one at a time, so both see the same machine load.
// Then Chromium opens the 20,000-person directory and counts what it renders and says. The demo
// servers' presence simulations are paused (a real Zulip does not share this machine); both
// apps still poll presence every 15 s.
import { ensureBuilt, startApp, type App } from './lib/app';
import { launchBrowser } from './lib/browser';
import { startDemo } from './lib/demo';
import { timedGet, type Timed } from './lib/http';
import { log, run } from './lib/proc';
import { fmt, percentile, printTable, verdict } from './lib/stats';

const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 20 : 80;
const WARMUP = 10;

async function sample(apps: App[], path: string, rounds: number): Promise<Timed[][]> {
  const out: Timed[][] = apps.map(() => []);
  for (let r = 0; r < WARMUP + rounds; r++) {
    for (let i = 0; i < apps.length; i++) {
      // Alternate which goes first, so neither always follows the other's garbage.
      const k = r % 2 === 0 ? i : apps.length - 1 - i;
      const t = await timedGet(`${apps[k]!.url}${path}`);
      if (t.status !== 200) throw new Error(`${apps[k]!.url}${path}: ${t.status}`);
      if (r >= WARMUP) out[k]!.push(t);
    }
  }
  return out;
}

run('bench:scale', (QUICK ? 6 : 12) * 60_000, async () => {
  await ensureBuilt();
  log('starting demo Zulip servers with 250 and 20,000 people, and an app on each');
  const [small, big] = await Promise.all([startDemo({ port: 9630, users: 250, seed: 1, paused: true }), startDemo({ port: 9631, users: 20_000, seed: 1, paused: true })]);
  const [smallApp, bigApp] = await Promise.all([startApp({ port: 4130, zuliprc: small.zuliprc }), startApp({ port: 4131, zuliprc: big.zuliprc })]);
  const apps = [smallApp, bigApp];

  const rows = [];
  const ratios: Array<{ view: string; p50: number; p95: number }> = [];
  for (const [view, path] of [
    ['directory page /', '/'],
    ['search view /?q=an', '/?q=an'],
    ['page 3 by name /?sort=name&offset=100', '/?sort=name&offset=100'],
  ] as const) {
    log(`${ROUNDS} alternating requests for ${path}`);
    const [s, b] = await sample(apps, path, ROUNDS);
    const total = (ts: Timed[]) => ts.map((t) => t.totalMs);
    const p50s = percentile(total(s!), 0.5);
    const p50b = percentile(total(b!), 0.5);
    const p95s = percentile(total(s!), 0.95);
    const p95b = percentile(total(b!), 0.95);
    ratios.push({ view, p50: p50b / p50s, p95: p95b / p95s });
    rows.push(
      { view, people: '250', 'p50 ms': fmt(p50s), 'p95 ms': fmt(p95s), 'HTML kB': fmt(s![0]!.bytes / 1000) },
      { view, people: '20,000', 'p50 ms': fmt(p50b), 'p95 ms': fmt(p95b), 'HTML kB': fmt(b![0]!.bytes / 1000), '20k ÷ 250 (p50 / p95)': `${fmt(p50b / p50s, 2)} / ${fmt(p95b / p95s, 2)}` },
    );
  }

  log('Chromium: the 20,000-person directory');
  const browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(bigApp.url + '/');
  await page.getByText(/^Live/).waitFor({ timeout: 30_000 });
  const read = () =>
    page.evaluate(() => ({
      rows: document.querySelectorAll('li[data-person-id]').length,
      status: document.querySelector('[data-answered-by] p[role="status"]')?.textContent?.trim() ?? '',
      pager: document.querySelector('nav[aria-label="Pages"] span')?.textContent?.trim() ?? '',
      domNodes: document.getElementsByTagName('*').length,
    }));
  const first = await read();
  const apiTotal = ((await (await fetch(`${bigApp.url}/api/people`)).json()) as { total: number }).total;
  await page.getByRole('searchbox', { name: 'Search people' }).fill('a');
  const aTotal = ((await (await fetch(`${bigApp.url}/api/people?q=a`)).json()) as { total: number }).total;
  await page.waitForFunction((n) => document.querySelector('[data-answered-by] p[role="status"]')?.textContent?.includes(n), aTotal.toLocaleString('en-US'), { timeout: 10_000 });
  const searched = await read();
  const heapMb = await page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6);
  await browser.close();

  const memory = apps.map((a) => a.memory());
  printTable('Directory page response time (server render, whole body, from this machine)', rows);
  printTable('What the browser holds at 20,000 people', [
    { view: '/', 'rows rendered': first.rows, 'DOM elements': first.domNodes, 'count line': first.status, pager: first.pager, 'people in organization': apiTotal.toLocaleString('en-US') },
    { view: 'search "a"', 'rows rendered': searched.rows, 'DOM elements': searched.domNodes, 'count line': searched.status, pager: searched.pager, 'people in organization': apiTotal.toLocaleString('en-US') },
  ]);
  printTable('Server memory after the run', [
    { app: '250 people', 'RSS MB': fmt(memory[0]!.rssMb, 0), 'peak RSS MB': fmt(memory[0]!.peakMb, 0) },
    { app: '20,000 people', 'RSS MB': fmt(memory[1]!.rssMb, 0), 'peak RSS MB': fmt(memory[1]!.peakMb, 0) },
  ]);
  const page1 = ratios[0]!;
  printTable('Targets', [
    { target: 'directory page at 20,000 within 1.5× of 250', measured: `${fmt(page1.p50, 2)}× (p50), ${fmt(page1.p95, 2)}× (p95)`, result: verdict(page1.p50 <= 1.5) },
    { target: 'the browser renders one page, never all 20,000', measured: `${first.rows} rows on /, ${searched.rows} for "a"; JS heap ${fmt(heapMb, 0)} MB`, result: verdict(first.rows <= 200 && searched.rows <= 200) },
    {
      target: 'it says how many match',
      measured: `"${first.status}" / "${first.pager}"; "a": "${searched.status}"`,
      result: verdict(first.status.includes(apiTotal.toLocaleString('en-US')) && searched.status.includes(aTotal.toLocaleString('en-US')) && first.pager.includes(apiTotal.toLocaleString('en-US'))),
    },
  ]);
});
