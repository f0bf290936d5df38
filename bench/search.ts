// Search as you type at 20,000 people: the search function, the server's query path, the HTTP
// route, and keystroke-to-list in a browser.
//
//   npm run bench:search [-- --quick]
//
// The demo server's presence simulation is paused (a real Zulip does not share the machine with
// the app and the browser); the app still polls presence every 15 s.
//
//   1. search(): the index alone, on a synthetic 20,000-person organization with hard names
//      (accents, other scripts), 1,000 queries of every shape.
//   2. server-side search: PeopleQueries.run() (search, filters, presence sort, paging: what
//      GET /api/people does before JSON) on the demo server's 20,000-person organization, for
//      60 people typing a colleague's name one letter at a time (interleaved, as concurrent
//      viewers would be), plus filtered, sorted and paged views.
//   3. GET /api/people?q=… over HTTP from this machine, for the same typing.
//   4. Chromium typing into the directory once its people index is in (docs/architecture.md §17),
//      at 20,000 and at 2,000 people: key pressed → the updated list painted (bench/lib/typing.ts),
//      over names, prefixes, accents left out and a typo corrected with Backspace; beside it the
//      floor, a bare page that only redraws a 50-row list; and the index's size (raw and gzip),
//      the time from navigation until the directory answers from it, and the tab's JS heap.
import { ensureBuilt, startApp } from './lib/app';
import { launchBrowser } from './lib/browser';
import { fontCoverage } from './lib/fonts';
import { directoryTyping, floorTyping } from './lib/typing';
import { startDemo } from './lib/demo';
import { loadDirectory } from './lib/directory';
import { seeded, timedGet } from './lib/http';
import { log, run } from './lib/proc';
import { distributionRow, fmt, percentile, printTable, verdict } from './lib/stats';
import { buildSearchIndex, search, type SearchDoc } from '../lib/directory/search/search';
import { DEFAULT_PEOPLE_QUERY } from '../lib/directory/query/people-query-url';
import { PeopleQueries } from '../lib/directory/search/query-people';
import type { PeopleQuery } from '../lib/directory/domain/types';

const QUICK = process.argv.includes('--quick');
const TYPISTS = QUICK ? 20 : 60;
const BROWSER_WORDS = QUICK ? 8 : 30;

const summary = (name: string, values: number[]) => distributionRow(name, values, 'ms');

/** 1. The index alone on a synthetic organization (the original bench/search.ts). */
function pureSearch(): { build: number; times: number[]; hits: number } {
  const random = seeded(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const FIRST = ['Ana', 'José', 'Müller', 'Zoë', 'Łukasz', 'Søren', 'Chloé', 'Björn', 'Ngozi', 'Priya', 'Wei', 'Olumide',
    'François', 'Dmitri', 'Aiko', 'Mateus', 'Fatima', 'Hiroshi', 'Ingrid', 'Kwame', 'Lena', 'Omar', 'Sven', 'Yara',
    '太郎', '花子', 'Даша', 'Σοφία', 'Nguyễn', 'Ahmet', 'Brigitte', 'Carlos', 'Dana', 'Elif', 'Gustav', 'Hana'];
  const LAST = ['Souza', 'García', 'Müller', 'Ødegaard', 'Kowalski', 'Smith', 'Okafor', 'Sharma', 'Zhang', 'Dubois',
    'Ivanova', 'Tanaka', 'Silva', 'Haddad', 'Yamamoto', 'Andersen', 'Mensah', 'Fischer', 'Hassan', 'Novak',
    '山田', '佐藤', 'Петров', 'Παπαδόπουλος', 'Trần', 'Yılmaz', 'Weiß', "O'Brien", 'van der Berg', 'López'];
  const TITLES = ['Software Engineer', 'Product Manager', 'Designer', 'Data Scientist', 'Account Executive',
    'Support Specialist', 'Recruiter', 'Finance Analyst', 'Office Manager', 'Staff Engineer'];
  const DEPARTMENTS = ['Engineering', 'Design', 'Sales', 'Support', 'Finance', 'People', 'Marketing', 'Legal'];
  const OFFICES = ['Berlin', 'São Paulo', 'Kraków', 'Tokyo', 'Lagos', 'Remote', 'New York', 'Zürich'];
  const docs: SearchDoc[] = [];
  for (let id = 1; id <= 20_000; id++) {
    docs.push({ id, name: `${pick(FIRST)} ${pick(LAST)}`, fields: [`user${id}@example.com`, pick(TITLES), pick(DEPARTMENTS), pick(OFFICES)] });
  }
  const t0 = performance.now();
  const index = buildSearchIndex(docs);
  const build = performance.now() - t0;
  const SHAPES: Array<() => string> = [
    () => pick('abcdefghijklmnopqrstuvwxyz'.split('')),
    () => pick(FIRST).slice(0, 2 + Math.floor(random() * 3)),
    () => pick(['jose', 'muller', 'zoe', 'lukasz', 'soren', 'chloe', 'bjorn', 'weiss', 'odegaard', 'yilmaz']),
    () => `${pick(FIRST)} ${pick(LAST)}`,
    () => `${pick(FIRST).slice(0, 3)} ${pick(LAST).slice(0, 2)}`,
    () => pick(DEPARTMENTS).toLowerCase(),
    () => `${pick(TITLES).split(' ')[0]} ${pick(OFFICES)}`,
    () => pick(['山田', '太郎', 'дарья', 'σοφ', 'nguyen']),
    () => `user${Math.floor(random() * 20_000)}`,
    () => pick(['xyzzy', 'qqq', 'zz top']),
  ];
  const queries = Array.from({ length: 1_000 }, () => pick(SHAPES)());
  for (const q of queries.slice(0, 100)) search(index, q); // warm the JIT, as a running server is
  const times: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const start = performance.now();
    hits += search(index, q).length;
    times.push(performance.now() - start);
  }
  return { build, times, hits: hits / queries.length };
}

/** What people type: prefixes of a colleague's name (or department), one letter at a time. */
function typing(words: string[], count: number, random: () => number): string[][] {
  return Array.from({ length: count }, () => {
    const word = words[Math.floor(random() * words.length)]!.toLowerCase();
    const length = Math.min(word.length, 3 + Math.floor(random() * 6));
    return Array.from({ length }, (_, i) => word.slice(0, i + 1)).filter((q) => q.trim() !== '' && !q.endsWith(' '));
  });
}

/** Realistic typing in the browser: now and then a wrong letter, then Backspace, then on. */
function withTypos(sequences: string[][], random: () => number): string[][] {
  return sequences.map((sequence) => {
    if (sequence.length < 3 || random() < 0.6) return sequence;
    const at = 1 + Math.floor(random() * (sequence.length - 2));
    const wrong = sequence[at - 1]! + 'x';
    return [...sequence.slice(0, at), wrong, sequence[at - 1]!, ...sequence.slice(at)];
  });
}

/** Typists' keystrokes interleaved, as concurrent viewers' requests reach one server. */
function interleave(sequences: string[][], random: () => number): string[] {
  const queues = sequences.map((s) => [...s]);
  const out: string[] = [];
  while (queues.some((q) => q.length > 0)) {
    const open = queues.filter((q) => q.length > 0);
    out.push(open[Math.floor(random() * open.length)]!.shift()!);
  }
  return out;
}

run('bench:search', (QUICK ? 8 : 15) * 60_000, async () => {
  log('1. search() on a synthetic 20,000-person index');
  const pure = pureSearch();

  await ensureBuilt();
  log('starting the demo Zulip server (20,000 people) and the app');
  const demo = await startDemo({ port: 9640, users: 20_000, seed: 1, paused: true });
  const app = await startApp({ port: 4140, zuliprc: demo.zuliprc });

  log('2. PeopleQueries.run() in this process, on the same organization');
  const directory = await loadDirectory(demo);
  const everyone = directory.people.list();
  const random = seeded(7);
  const words = everyone.map((p) => p.name);
  const departments = directory.queries.run(DEFAULT_PEOPLE_QUERY, directory.freshness).facets.departments;
  const keystrokes = interleave(typing([...words, ...departments], TYPISTS, random), random);
  const views: Array<Partial<PeopleQuery>> = [
    {},
    { sort: 'name' },
    { status: 'reachable' },
    { status: 'active', sort: 'name' },
    { department: departments[0] ?? null },
    { department: departments[1] ?? null, status: 'reachable' },
    { offset: 5_000 },
    { offset: 19_950, sort: 'name' },
  ];
  const run1 = (q: Partial<PeopleQuery>) => directory.queries.run({ ...DEFAULT_PEOPLE_QUERY, ...q }, directory.freshness);
  for (let i = 0; i < 20; i++) run1({ q: 'warm' + i }); // warm the JIT
  const serverTyping: number[] = [];
  const serverViews: number[] = [];
  for (const q of keystrokes) {
    const t = performance.now();
    run1({ q });
    serverTyping.push(performance.now() - t);
  }
  for (let round = 0; round < (QUICK ? 10 : 30); round++) {
    for (const v of views) {
      const t = performance.now();
      run1(v);
      serverViews.push(performance.now() - t);
    }
  }
  // Searches nobody typed before (no earlier query to narrow): one- and two-letter queries are the worst case.
  const coldTimes: number[] = [];
  for (const q of 'abcdefghijklmnopqrstuvwxyz'.split('').flatMap((a) => [a, `${a}e`])) {
    const fresh = new PeopleQueries(directory.people, directory.presence);
    fresh.run({ ...DEFAULT_PEOPLE_QUERY, q: 'x' }, directory.freshness); // builds the index outside the timing
    const t = performance.now();
    fresh.run({ ...DEFAULT_PEOPLE_QUERY, q }, directory.freshness);
    coldTimes.push(performance.now() - t);
  }

  log('3. GET /api/people?q=… over HTTP');
  for (let i = 0; i < 20; i++) await timedGet(`${app.url}/api/people?q=warm${i}`);
  const http: number[] = [];
  for (const q of keystrokes.slice(0, QUICK ? 150 : 400)) {
    const t = await timedGet(`${app.url}/api/people?q=${encodeURIComponent(q)}`);
    if (t.status !== 200) throw new Error(`/api/people?q=${q}: ${t.status}`);
    http.push(t.totalMs);
  }

  log('4. Chromium typing into the directory, at 20,000 and at 2,000 people, and the floor');
  log(`   ${fontCoverage()}`);
  const browser = await launchBrowser();
  // Figures from different days compare only on the same browser build.
  log(`   browser: Chromium ${browser.version()}`);
  const sequences = withTypos(typing(words, BROWSER_WORDS, seeded(9)), seeded(11));
  const large = await directoryTyping(browser, app.url, sequences);
  // One organization at a time: the 20,000-person app and its demo server go before the 2,000
  // ones start, or their presence polls (every 15 s, tens of ms of CPU) would land in its keystrokes.
  await app.child.stop();
  await demo.child.stop();
  const small = await startDemo({ port: 9641, users: 2_000, seed: 1, paused: true });
  const smallApp = await startApp({ port: 4141, zuliprc: small.zuliprc });
  const smallNames = (await loadDirectory(small)).people.list().map((p) => p.name);
  const smallSequences = withTypos(typing(smallNames, BROWSER_WORDS, seeded(9)), seeded(11));
  const smallRun = await directoryTyping(browser, smallApp.url, smallSequences);
  const floor = await floorTyping(browser, smallNames, smallSequences);
  await browser.close();

  printTable('Search latency at 20,000 people', [
    summary(`1. search() alone, synthetic index (mean ${fmt(pure.hits, 0)} hits; built in ${fmt(pure.build, 0)} ms)`, pure.times),
    summary(`2. server-side search: PeopleQueries.run(), ${TYPISTS} people typing, interleaved`, serverTyping),
    summary('   server-side: filtered, sorted and paged views', serverViews),
    summary('   server-side: one- and two-letter searches nobody typed before', coldTimes),
    summary('3. GET /api/people?q=… over HTTP (whole response)', http),
    summary('4. browser, 20,000 people: key pressed → updated list painted (no debounce)', large.typing.keyToPaint),
    summary('   browser, 2,000 people: key pressed → updated list painted', smallRun.typing.keyToPaint),
    summary('   the floor: a bare page that only redraws a 50-row list', floor.keyToPaint),
  ]);
  const server95 = percentile([...serverTyping, ...serverViews], 0.95);
  const large95 = percentile(large.typing.keyToPaint, 0.95);
  const small95 = percentile(smallRun.typing.keyToPaint, 0.95);
  const floor95 = percentile(floor.keyToPaint, 0.95);
  const mb = (bytes: number) => `${fmt(bytes / 1024, 0)} kB`;
  printTable('The people index', [20_000, 2_000].map((people, i) => {
    const { index, typing: t } = i === 0 ? large : smallRun;
    return { people: people.toLocaleString('en-US'), raw: mb(index.rawBytes), gzip: mb(index.gzipBytes), 'navigation → answering from it': `${fmt(index.loadMs, 0)} ms`, 'JS heap (after GC)': `${fmt(index.heapMb, 1)} MB`, 'keystrokes the server answered': t.byServer };
  }));
  printTable('Targets', [
    { target: 'server-side search p95 ≤ 10 ms', measured: `${fmt(server95, 2)} ms (typing and views together); worst case of cold one/two-letter searches p95 ${fmt(percentile(coldTimes, 0.95), 2)} ms`, result: verdict(server95 <= 10) },
    { target: 'key → painted p95 ≤ 50 ms at 20,000 people', measured: `${fmt(large95, 1)} ms`, result: verdict(large95 <= 50) },
    { target: 'key → painted at 2,000 people p95 within 16 ms of the floor', measured: `${fmt(small95, 1)} ms vs ${fmt(floor95, 1)} ms (+${fmt(small95 - floor95, 1)})`, result: verdict(small95 - floor95 <= 16) },
    { target: 'people index ≤ a few hundred kB compressed at 20,000', measured: mb(large.index.gzipBytes), result: verdict(large.index.gzipBytes <= 500 * 1024) },
    { target: 'JS heap ≤ 60 MB at 20,000 with the index in', measured: `${fmt(large.index.heapMb, 1)} MB`, result: verdict(large.index.heapMb <= 60) },
  ]);
});
