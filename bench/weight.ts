// Weight: first-load JavaScript of the directory page, and the server's memory at 20,000 people.
//
//   npm run bench:weight [-- --quick]
//
// First load: every <script src> the HTML of `/` references (module scripts only: the
// `noModule` polyfill chunk is never fetched by the browsers Next supports), read from the
// build and gzipped at level 9 (what Next's own size report used), summed.
//
// Memory: a 20,000-person demo organization and the built app; RSS of the app's whole process
// group (/proc), sampled every 250 ms through: start-up, 200 viewers opening the presence
// stream, then those viewers browsing for a minute (each: the directory, three searches as they
// type, a page, a profile with its breakdown; ~20 requests a second), and a quiet minute after.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureBuilt, startApp } from './lib/app';
import { startDemo } from './lib/demo';
import { Limiter, seeded } from './lib/http';
import { log, ROOT, run, sleep } from './lib/proc';
import { openSse, type SseClient, type SseEvent } from './lib/sse';
import { fmt, printTable, verdict } from './lib/stats';

const QUICK = process.argv.includes('--quick');
/** `--people 250`: the same run on a small organization, to see what the 20,000 people themselves cost. */
const PEOPLE_ARG = process.argv.indexOf('--people');
const PEOPLE = PEOPLE_ARG >= 0 ? Number(process.argv[PEOPLE_ARG + 1]) : 20_000;
const VIEWERS = 200;
const BROWSE_S = QUICK ? 30 : 60;
const QUIET_S = QUICK ? 20 : 60;
const JS_TARGET_KB = 150;
const RSS_TARGET_MB = 400;

run('bench:weight', (QUICK ? 6 : 10) * 60_000, async () => {
  await ensureBuilt();
  log(`starting the demo Zulip server (${PEOPLE.toLocaleString('en-US')} people) and the app`);
  const demo = await startDemo({ port: 9650, users: PEOPLE, seed: 1 });
  const app = await startApp({ port: 4150, zuliprc: demo.zuliprc });

  // --- First-load JavaScript -----------------------------------------------------------------
  const html = await (await fetch(`${app.url}/`)).text();
  const chunks: Array<{ src: string; raw: number; gzip: number }> = [];
  for (const tag of html.match(/<script\b[^>]*\bsrc="[^"]+"[^>]*>/g) ?? []) {
    if (/\bnoModule\b/i.test(tag)) continue;
    const src = /\bsrc="([^"]+)"/.exec(tag)![1]!;
    if (!src.startsWith('/_next/') || chunks.some((c) => c.src === src)) continue;
    const bytes = readFileSync(join(ROOT, '.next', src.slice('/_next/'.length).split('?')[0]!));
    chunks.push({ src, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  chunks.sort((a, b) => b.gzip - a.gzip);
  const totalGzip = chunks.reduce((s, c) => s + c.gzip, 0);
  const totalRaw = chunks.reduce((s, c) => s + c.raw, 0);

  // --- Server memory -------------------------------------------------------------------------
  const samples: Array<{ phase: string; rss: number }> = [];
  let phase = 'started, idle';
  const sampler = setInterval(() => samples.push({ phase, rss: app.memory().rssMb }), 250);
  await sleep(QUICK ? 10_000 : 20_000);

  phase = `${VIEWERS} streams open`;
  log(phase);
  const version = ((await (await fetch(`${app.url}/api/people`)).json()) as { presenceVersion: number }).presenceVersion;
  const streams: SseClient[] = [];
  // What one viewer's stream carries, from after its first answer until the streams close.
  const carried = { bytes: 0, changes: 0, since: 0 };
  const count = (event: SseEvent) => {
    if (carried.since === 0) return void (carried.since = Date.now());
    carried.bytes += event.data.length;
    if (event.event === 'presence') carried.changes += (JSON.parse(event.data) as { changes: unknown[] }).changes.length;
  };
  // Each browser's stream continues from the version its page was rendered at.
  for (let v = 0; v < VIEWERS; v++) streams.push(openSse(`${app.url}/api/presence/stream?since=${version}`, v === 0 ? count : () => {}));
  await Promise.all(streams.map((s) => s.opened));
  await sleep(QUICK ? 10_000 : 20_000);

  phase = `${VIEWERS} viewers browsing`;
  log(`${phase} for ${BROWSE_S} s`);
  const names = ((await (await fetch(`${app.url}/api/people?sort=name&limit=200`)).json()) as { items: Array<{ id: number; name: string }> }).items;
  const random = seeded(5);
  const limiter = new Limiter(16);
  let requests = 0;
  let failures = 0;
  const get = (path: string) =>
    limiter.run(async () => {
      requests++;
      const response = await fetch(`${app.url}${path}`);
      await response.arrayBuffer();
      if (!response.ok) failures++;
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: VIEWERS }, async () => {
      await sleep(random() * BROWSE_S * 1000 * 0.8);
      const person = names[Math.floor(random() * names.length)]!;
      const typed = person.name.toLowerCase();
      await get('/');
      for (let n = 1; n <= 3; n++) await get(`/api/people?q=${encodeURIComponent(typed.slice(0, n))}`);
      await get('/api/people?offset=50');
      await get(`/people/${person.id}`);
      await get(`/api/people/${person.id}/presence`);
    }),
  );
  const browsed = (Date.now() - started) / 1000;

  phase = 'quiet, streams still open';
  log(`${phase} for ${QUIET_S} s`);
  await sleep(QUIET_S * 1000);
  clearInterval(sampler);
  const final = app.memory();
  for (const s of streams) s.close();
  const streamedMinutes = (Date.now() - carried.since) / 60_000;

  const phases = [...new Set(samples.map((s) => s.phase))];
  const memoryRows = phases.map((p) => {
    const rss = samples.filter((s) => s.phase === p).map((s) => s.rss);
    return { phase: p, 'RSS at end MB': fmt(rss[rss.length - 1]!, 0), 'max RSS MB': fmt(Math.max(...rss), 0) };
  });
  printTable('First-load JavaScript of / (module scripts the HTML references, gzip -9)', [
    ...chunks.map((c) => ({ chunk: c.src.replace('/_next/static/chunks/', ''), 'raw kB': fmt(c.raw / 1000), 'gzip kB': fmt(c.gzip / 1000) })),
    { chunk: `total (${chunks.length} chunks)`, 'raw kB': fmt(totalRaw / 1000), 'gzip kB': fmt(totalGzip / 1000) },
  ]);
  printTable(`App server memory, ${PEOPLE.toLocaleString('en-US')} people (RSS of the process group, sampled every 250 ms)`, memoryRows);
  const maxRss = Math.max(...samples.map((s) => s.rss));
  console.log(`\nbrowsing: ${requests} requests in ${fmt(browsed)} s (${failures} not 2xx); peak RSS since start (VmHWM) ${fmt(final.peakMb, 0)} MB`);
  console.log(`one viewer's presence stream after its first answer: ${fmt(carried.bytes / 1000 / streamedMinutes)} kB and ${fmt(carried.changes / streamedMinutes, 0)} changes a minute (${fmt(streamedMinutes, 1)} min)`);
  printTable('Targets', [
    { target: `first-load JS for / ≤ ${JS_TARGET_KB} kB gzipped`, measured: `${fmt(totalGzip / 1000)} kB`, result: verdict(totalGzip / 1000 <= JS_TARGET_KB) },
    { target: `server RSS with ${PEOPLE.toLocaleString('en-US')} people ≤ ${RSS_TARGET_MB} MB`, measured: `${fmt(maxRss, 0)} MB at most while sampled (${fmt(final.rssMb, 0)} MB at the end)`, result: verdict(maxRss <= RSS_TARGET_MB) },
  ]);
});
