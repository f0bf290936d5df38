import http from 'node:http';
import { expect, test } from '@playwright/test';
import { DEMO_APP } from '../playwright.config';
import { fuzzQueries, fuzzRefs } from '../tests/security/fuzz-inputs';
import { listedPeople } from './demo-zulip';

// Bad input over HTTP (docs/architecture.md §12): thousands of generated person references and query
// strings sent to the built app as raw request targets, through Next's router and proxy.ts.
// Nothing may answer 5xx; anything that is not a member answers 4xx, in JSON for /api and as a
// page for pages; and the demo Zulip server's request log must show only the endpoints the
// app means to call, breakdowns only for members and only by id.

const ZULIP = DEMO_APP.zulip;
const INTENDED_UPSTREAM = [
  /^GET \/api\/v1\/realm\/presence$/,
  /^GET \/api\/v1\/users\/\d+\/presence$/,
  /^POST \/api\/v1\/register$/,
  /^GET \/api\/v1\/events\?queue_id=[0-9a-f-]+&last_event_id=-?\d+(&dont_block=true)?$/,
  /^DELETE \/api\/v1\/events$/,
];

type Answer = { status: number; type: string; body: string; location?: string };

/**
 * One GET with the request target as given: no URL normalization by a client library, so "%2e",
 * "%2F", "\\", broken escapes and quotes reach the server as written. Only what cannot be on an
 * HTTP request line at all (controls, spaces, non-ASCII) is percent-encoded, as browsers do.
 */
function rawGet(target: string): Promise<Answer> {
  const { hostname, port } = new URL(DEMO_APP.url);
  const path = target.toWellFormed().replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method: 'GET', agent: false, headers: { accept: '*/*' } });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 20_000) body += chunk;
        // An event stream never ends; the first bytes are enough.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) res.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

test('fuzz: thousands of odd addresses get 4xx (never 5xx), and Zulip only sees intended calls', async ({ request }) => {
  test.setTimeout(240_000);
  const people = (await listedPeople(request, ZULIP)).slice(0, 6);
  // By id and by Zulip API email (the address the directory's bot sees for everyone).
  const members = { ids: people.map((p) => p.user_id), emails: people.map((p) => p.email) };
  const start = ((await (await request.get(`${ZULIP}/demo/requests?limit=1`)).json()) as { lastSeq: number }).lastSeq;

  const cases: Array<{ target: string; expect: 'ok' | 'refused' | 'any'; api: boolean }> = [];
  for (const { segment, kind } of fuzzRefs(101, 700, members)) {
    const expectation = kind === 'member' ? 'ok' : 'refused';
    cases.push({ target: `/api/people/${segment}`, expect: expectation, api: true });
    cases.push({ target: `/api/people/${segment}/presence`, expect: expectation, api: true });
    cases.push({ target: `/people/${segment}`, expect: expectation, api: false });
  }
  for (const query of fuzzQueries(102, 500)) {
    cases.push({ target: `/api/people?${query}`, expect: 'any', api: true });
    cases.push({ target: `/api/presence?${query}`, expect: 'any', api: true });
    cases.push({ target: `/?${query}`, expect: 'any', api: false });
  }
  expect(cases.length).toBeGreaterThan(3000);

  const failures: string[] = [];
  await pool(cases, 6, async ({ target, expect: expected, api }) => {
    let answer = await rawGet(target);
    // Next answers a raw "\" in a path (which browsers never send: they turn it into "/") with a
    // redirect to the "/" form; what counts is the answer there.
    for (let hops = 0; hops < 3 && answer.status === 308 && target.includes('\\') && answer.location; hops++) {
      const next = new URL(answer.location, DEMO_APP.url);
      if (next.origin !== DEMO_APP.url) break;
      answer = await rawGet(next.pathname + next.search);
    }
    const { status, type, body } = answer;
    const where = `${status} ${target.slice(0, 120)}`;
    // Paths the URL standard folds away ("/people/..", "/api/people/%2e%2e/presence") reach another route.
    const folded = /(^|\/)(\.|%2e){1,2}(\/|$|\?)/i.test(target.split('?')[0]!);
    if (status >= 500 || status === 0) failures.push(`5xx: ${where}`);
    else if (expected === 'ok' && status !== 200) failures.push(`member refused: ${where}`);
    else if (expected === 'refused' && !folded && (status < 400 || status >= 500)) failures.push(`not refused: ${where}`);
    else if (status >= 400 && status < 500) {
      if (api && !(type.startsWith('application/json') && /"error":\{"code":"/.test(body))) failures.push(`API 4xx not JSON: ${where} ${type}`);
      if (!api && !type.startsWith('text/html')) failures.push(`page 4xx not a page: ${where} ${type}`);
    }
  });
  expect(failures.slice(0, 20)).toEqual([]);

  const log = (await (await request.get(`${ZULIP}/demo/requests?after=${start}`)).json()) as { requests: Array<{ method: string; path: string }>; complete: boolean };
  expect(log.complete, 'the request log overflowed').toBe(true);
  const unexpected = log.requests.map((r) => `${r.method} ${r.path}`).filter((line) => !INTENDED_UPSTREAM.some((re) => re.test(line)));
  expect(unexpected).toEqual([]);
  for (const r of log.requests) {
    const id = /^\/api\/v1\/users\/(\d+)\/presence$/.exec(r.path)?.[1];
    if (id) expect(members.ids).toContain(Number(id));
  }
});
