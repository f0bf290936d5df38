// Bad input (docs/architecture.md §12), fuzzed in-process: thousands of generated person references
// and query strings against the real route handlers and proxy.ts. Every answer must be below
// 500, a 4xx (JSON in the API's error shape) for anything that is not a member, and afterwards
// the demo Zulip server's request log must show that the app only ever called the endpoints it
// means to: never a path built from the input. (e2e/fuzz.spec.ts does the same over HTTP.)
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as healthRoute } from '@/app/api/health/route';
import { GET as peopleRoute } from '@/app/api/people/route';
import { GET as personRoute } from '@/app/api/people/[ref]/route';
import { GET as detailRoute } from '@/app/api/people/[ref]/presence/route';
import { GET as presenceRoute } from '@/app/api/presence/route';
import { GET as streamRoute } from '@/app/api/presence/stream/route';
import { proxy } from '@/proxy';
import { startTestDirectory, type TestDirectory } from '../support/directory';
import { fuzzQueries, fuzzRefs } from './fuzz-inputs';

const ORIGIN = 'http://directory.test';

/** What the directory may ask Zulip, whatever it is asked: the endpoints of lib/zulip's client it uses. */
export const INTENDED_UPSTREAM = [
  /^GET \/api\/v1\/realm\/presence$/,
  /^GET \/api\/v1\/users\/\d+\/presence$/,
  /^POST \/api\/v1\/register$/,
  /^GET \/api\/v1\/events\?queue_id=[0-9a-f-]+&last_event_id=-?\d+(&dont_block=true)?$/,
  /^DELETE \/api\/v1\/events$/,
];

let dir: TestDirectory;
let members: { ids: number[]; emails: string[] };
let firstSeq = 0;

beforeAll(async () => {
  // A long breakdown cache: members' breakdowns are asked for again and again, and should cost
  // Zulip one call each, not a rate limit.
  dir = await startTestDirectory({ demo: { users: 30, seed: 13 }, settings: { PRESENCE_DETAIL_CACHE_SECONDS: 600, PRESENCE_REFRESH_SECONDS: 5 } });
  const listed = dir.runtime.view.people.list().slice(0, 6);
  members = { ids: listed.map((p) => p.id), emails: listed.map((p) => p.email ?? p.apiEmail) };
  firstSeq = (await dir.control('GET', '/demo/requests?limit=1')).lastSeq as number;
}, 30_000);

afterAll(() => dir?.close());

async function expectApiAnswer(res: Response, what: string): Promise<void> {
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, what).toBe('string');
    expect(typeof body.error?.message, what).toBe('string');
  } else {
    await res.body?.cancel();
  }
}

describe('fuzz: person references', () => {
  const refs = () => fuzzRefs(1, 1500, members);

  it('the profile and breakdown routes answer 200 for members and 4xx for everything else, never 5xx', async () => {
    let members200 = 0;
    for (const { segment, kind } of refs()) {
      let decoded: string | null;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        decoded = null;
      }
      // Next may hand the segment over decoded or still encoded; both must be safe.
      for (const ref of decoded === null ? [segment] : [segment, decoded]) {
        for (const [route, suffix] of [[personRoute, ''], [detailRoute, '/presence']] as const) {
          const what = `/api/people/${JSON.stringify(ref).slice(0, 80)}${suffix} (${kind})`;
          const res = await route(new Request(`${ORIGIN}/api/people/${encodeURIComponent(ref.replace(/[\ud800-\udfff]/g, ''))}${suffix}`), { params: Promise.resolve({ ref }) });
          if (kind === 'member') {
            expect(res.status, what).toBe(200);
            members200++;
          } else {
            expect([400, 404], what).toContain(res.status);
          }
          await expectApiAnswer(res, what);
        }
      }
    }
    expect(members200).toBeGreaterThan(100);
  });

  it('profile pages: proxy.ts answers a 400 page for malformed references, never a 5xx', async () => {
    for (const { segment, kind } of refs()) {
      const res = await proxy(new NextRequest(`${ORIGIN}/people/${segment}`));
      const what = `/people/${segment.slice(0, 80)} (${kind})`;
      expect(res.status, what).toBeLessThan(500);
      if (kind !== 'malformed') expect(res.headers.get('x-middleware-next'), what).toBe('1');
      if (res.status === 400) expect(res.headers.get('content-type'), what).toMatch(/^text\/html/);
    }
  });
});

describe('fuzz: query strings', () => {
  const queries = () => fuzzQueries(2, 1500);

  it('/api/people, /api/presence, the stream and /api/health: 200 or a JSON 4xx, never 5xx', async () => {
    let refused = 0;
    for (const query of queries()) {
      const url = (p: string) => `${ORIGIN}${p}?${query}`;
      for (const [name, call] of [
        ['/api/people', () => peopleRoute(new NextRequest(url('/api/people')))],
        ['/api/presence', () => presenceRoute(new NextRequest(url('/api/presence')))],
        ['/api/presence/stream', () => streamRoute(new NextRequest(url('/api/presence/stream')))],
        ['/api/health', () => healthRoute(new Request(url('/api/health')))],
        ['/api/people/{id}', () => personRoute(new Request(url(`/api/people/${members.ids[0]}`)), { params: Promise.resolve({ ref: String(members.ids[0]) }) })],
      ] as const) {
        const res = await call();
        if (res.status >= 400) refused++;
        await expectApiAnswer(res, `${name}?${query.slice(0, 100)}`);
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it('the directory page: proxy.ts answers a 400 page for what the page cannot read', async () => {
    let refused = 0;
    for (const query of queries()) {
      const res = await proxy(new NextRequest(`${ORIGIN}/?${query}`));
      expect(res.status, query).toBeLessThan(500);
      if (res.status === 400) {
        refused++;
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        // The reason is shown, escaped.
        expect(await res.text()).not.toMatch(/<script>/);
      }
    }
    expect(refused).toBeGreaterThan(500);
  });
});

describe('fuzz: what reached Zulip', () => {
  it('only the intended endpoints, and breakdowns only for members, by id', async () => {
    const log = (await dir.control('GET', `/demo/requests?after=${firstSeq}`)) as { requests: Array<{ method: string; path: string }>; complete: boolean };
    expect(log.complete).toBe(true);
    expect(log.requests.length).toBeGreaterThan(0);
    const unexpected = log.requests.map((r) => `${r.method} ${r.path}`).filter((line) => !INTENDED_UPSTREAM.some((re) => re.test(line)));
    expect(unexpected).toEqual([]);
    const asked = new Set(log.requests.map((r) => /^\/api\/v1\/users\/(\d+)\/presence$/.exec(r.path)?.[1]).filter(Boolean).map(Number));
    for (const id of asked) expect(members.ids).toContain(id);
  });
});
