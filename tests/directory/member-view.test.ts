// The directory never shows a viewer more than Zulip shows an ordinary member (docs/architecture.md
// §11). Per Zulip generation (docs/zulip.md §f): a real address Zulip hides from members is not
// in /api/people, /api/people/{ref}, the profile (what the page renders) or search (not even as
// something search matches), whatever the bot may read; an address Zulip shows members is shown.
// Guests are not listed, and cannot get in, unless DIRECTORY_ALLOW_GUESTS=true.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '@/lib/demo-zulip/types';
import type { PeoplePage, Person } from '@/lib/directory/domain/types';
import { getProfile } from '@/lib/server/directory-service';
import { loadSettings } from '@/lib/server/settings';
import { startTestDirectory, until, withEnv, type TestDirectory } from '../support/directory';
import { startHarness } from '../integration/support';
import { theApp } from '@/lib/server/app-handle';

const ORIGIN = 'http://directory.test';
const SECRET = 'test-secret-test-secret-test-secret-42';
const OPEN = { DIRECTORY_ACCESS: 'open' };
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function route(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const url = new URL(path, ORIGIN);
  const ref = /^\/api\/people\/([^/]+)$/.exec(url.pathname)?.[1];
  const mod = (await (ref === undefined ? import('@/app/api/people/route') : import('@/app/api/people/[ref]/route'))) as unknown as { GET: Handler };
  const params: Record<string, string> = ref === undefined ? {} : { ref: decodeURIComponent(ref) };
  return mod.GET(new NextRequest(url, { headers }), { params: Promise.resolve(params) });
}

async function everyone(): Promise<{ text: string; page: PeoplePage }> {
  const res = await route('/api/people?limit=200&sort=name');
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, page: JSON.parse(text) as PeoplePage };
}

async function search(q: string): Promise<PeoplePage> {
  const res = await route(`/api/people?${new URLSearchParams({ q, limit: '200' })}`);
  expect(res.status).toBe(200);
  return (await res.json()) as PeoplePage;
}

async function one(ref: string | number): Promise<{ status: number; text: string; person?: Person }> {
  const res = await route(`/api/people/${encodeURIComponent(String(ref))}`);
  const text = await res.text();
  return { status: res.status, text, person: res.status === 200 ? (JSON.parse(text) as { person: Person }).person : undefined };
}

/** Checks that `user`'s real address is nowhere a viewer can reach, and that search does not match on it. */
async function expectHidden(user: DemoUser) {
  const real = user.delivery_email.toLowerCase();
  const { text } = await everyone();
  expect(text.toLowerCase()).not.toContain(real);
  const single = await one(user.user_id);
  expect(single.status).toBe(200);
  expect(single.person!.email).toBeNull();
  expect(single.text.toLowerCase()).not.toContain(real);
  expect(JSON.stringify(await getProfile(theApp(), String(user.user_id))).toLowerCase()).not.toContain(real);
  expect((await search(user.delivery_email)).total).toBe(0);
  // Nor is the hidden address a way to look the person up (that would confirm who has it).
  expect((await one(user.delivery_email)).status).toBe(404);
  expect(await getProfile(theApp(), user.delivery_email)).toBeNull();
  // What every member sees still works: the API email.
  expect((await one(apiEmailOf(user))).person?.id).toBe(user.user_id);
}

async function expectShown(user: DemoUser) {
  const single = await one(user.user_id);
  expect(single.person!.email).toBe(user.delivery_email);
  expect((await getProfile(theApp(), String(user.user_id)))!.person.email).toBe(user.delivery_email);
  expect((await everyone()).page.items.find((p) => p.id === user.user_id)!.email).toBe(user.delivery_email);
  expect((await search(user.delivery_email)).items.map((p) => p.id)).toEqual([user.user_id]);
  expect((await one(user.delivery_email.toUpperCase())).person?.id).toBe(user.user_id);
}

let apiEmails = new Map<number, string>();
const apiEmailOf = (user: DemoUser) => apiEmails.get(user.user_id)!;

async function open(options: Parameters<typeof startTestDirectory>[0]): Promise<TestDirectory> {
  const dir = await startTestDirectory(options);
  const credentials = (await dir.control('GET', '/demo/credentials')) as { users: Array<{ user_id: number; email: string }> };
  apiEmails = new Map(credentials.users.map((u) => [u.user_id, u.email]));
  return dir;
}

const members = (dir: TestDirectory) => dir.demo.org.users.filter((u) => u.is_active && !u.is_bot && u.role !== 600);

/** A new person with this address setting (FL 163+), once the directory has heard of them. */
async function person(dir: TestDirectory, visibility: string): Promise<DemoUser> {
  const made = (await dir.control('POST', '/demo/users', { full_name: `Visible to ${visibility}`, email_visibility: visibility })) as { user: { user_id: number; email: string } };
  const user = dir.demo.org.users.find((u) => u.user_id === made.user.user_id)!;
  apiEmails.set(user.user_id, made.user.email);
  await until(() => dir.runtime.view.people.get(user.user_id) !== undefined, `${visibility} person listed`);
  return user;
}

describe('Zulip 4.x (FL 65): the realm says "admins only", the bot is an administrator', () => {
  let dir: TestDirectory;
  beforeAll(async () => {
    dir = await open({ demo: { featureLevel: 65, emailAddressVisibility: 'admins', botRole: 200, users: 30, seed: 4 } });
  }, 30_000);
  afterAll(() => dir?.close());

  it('shows no one’s real address, though the bot can read them all', async () => {
    await withEnv(OPEN, async () => {
      for (const user of members(dir).slice(0, 6)) await expectHidden(user);
      const { text } = await everyone();
      for (const user of members(dir)) expect(text.toLowerCase()).not.toContain(user.delivery_email.toLowerCase());
    });
  });
});

describe('Zulip 4.x (FL 65): the realm says "everyone", the bot is a member', () => {
  let dir: TestDirectory;
  beforeAll(async () => {
    dir = await open({ demo: { featureLevel: 65, emailAddressVisibility: 'everyone', users: 30, seed: 4 } });
  }, 30_000);
  afterAll(() => dir?.close());

  it('shows everyone’s address (Zulip 4.x sends it as the API email, with no delivery_email)', async () => {
    await withEnv(OPEN, async () => {
      for (const user of members(dir).slice(0, 4)) await expectShown(user);
    });
  });
});

describe('Zulip 10.x (FL 372): each person decides; the bot is an administrator', () => {
  let dir: TestDirectory;
  beforeAll(async () => {
    dir = await open({ demo: { featureLevel: 372, botRole: 200, users: 30, seed: 4 } });
  }, 30_000);
  afterAll(() => dir?.close());

  it('shows an address only where its owner lets everyone see it', async () => {
    await withEnv(OPEN, async () => {
      await expectShown(await person(dir, 'everyone'));
      // An administrator bot reads these; members would not see "moderators", "admins" or "nobody",
      // and the bot cannot tell "members" from "admins" (both are a dummy API email plus the address).
      for (const visibility of ['members', 'moderators', 'admins', 'nobody']) await expectHidden(await person(dir, visibility));
    });
  });

  it('hides an address from the moment its owner restricts it', async () => {
    await withEnv(OPEN, async () => {
      const user = await person(dir, 'everyone');
      await expectShown(user);
      await dir.control('PATCH', `/demo/users/${user.user_id}`, { email_visibility: 'admins' });
      apiEmails.set(user.user_id, `user${user.user_id}@zulip.testserver`);
      await until(() => dir.runtime.view.people.get(user.user_id)?.apiEmail === apiEmailOf(user), 'the new API email');
      await expectHidden(user);
    });
  });
});

describe('Zulip 10.x (FL 372): each person decides; the bot is a member', () => {
  let dir: TestDirectory;
  beforeAll(async () => {
    dir = await open({ demo: { featureLevel: 372, users: 30, seed: 4 } });
  }, 30_000);
  afterAll(() => dir?.close());

  it('shows what Zulip shows a member: "everyone" and "members" addresses, not the others', async () => {
    await withEnv(OPEN, async () => {
      await expectShown(await person(dir, 'everyone'));
      await expectShown(await person(dir, 'members'));
      for (const visibility of ['moderators', 'admins', 'nobody']) await expectHidden(await person(dir, visibility));
    });
  });
});

describe('guests', () => {
  let dir: TestDirectory;
  let guest: DemoUser;
  beforeAll(async () => {
    dir = await open({ demo: { featureLevel: 372, users: 40, seed: 4 } });
    guest = await newGuest(dir);
  }, 30_000);
  afterAll(() => dir?.close());

  /** A guest account (a contractor), created while the directory runs. */
  const newGuest = async (d: TestDirectory) => {
    const made = (await d.control('POST', '/demo/users', { full_name: 'Gemma Guest', role: 600 })) as { user: { user_id: number } };
    const user = d.demo.org.users.find((u) => u.user_id === made.user.user_id)!;
    // Events arrive in order: once a member created after the guest is listed, the guest's event is in too.
    const marker = (await d.control('POST', '/demo/users', { full_name: 'Mark Member' })) as { user: { user_id: number } };
    await until(() => d.runtime.view.people.get(marker.user.user_id) !== undefined, 'the events');
    return user;
  };
  const signInWithKey = async (who: DemoUser) => {
    const { POST } = (await import('@/app/api/auth/sign-in/route')) as unknown as { POST: Handler };
    return POST(
      new NextRequest(`${ORIGIN}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-forwarded-for': `203.0.113.${who.user_id % 250}` },
        body: new URLSearchParams({ email: who.delivery_email, method: 'api_key', secret: who.api_key }).toString(),
      }),
      { params: Promise.resolve({}) },
    );
  };
  const proxyHeaders = (who: DemoUser) => ({ 'x-forwarded-email': who.delivery_email, 'x-directory-proxy-secret': SECRET });

  it('are not listed, found, searched or let in by default', async () => {
    await withEnv(OPEN, async () => {
      const { page } = await everyone();
      expect(page.items.some((p) => p.isGuest || p.role === 600)).toBe(false);
      expect(page.items.some((p) => p.id === guest.user_id)).toBe(false);
      expect((await one(guest.user_id)).status).toBe(404);
      expect(await getProfile(theApp(), String(guest.user_id))).toBeNull();
      expect((await search(guest.full_name)).items.some((p) => p.id === guest.user_id)).toBe(false);
      expect(dir.runtime.view.people.list().length).toBe(members(dir).length);
    });
    await withEnv({ ...OPEN, DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET }, async () => {
      const res = await route('/api/people', proxyHeaders(guest));
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_a_member');
      const member = members(dir)[0]!;
      expect((await route('/api/people', proxyHeaders(member))).status).toBe(200);
    });
    await withEnv({ ...OPEN, DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET }, async () => {
      const res = await signInWithKey(guest);
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie') ?? '').not.toContain('directory_session=');
    });
  });

  it('drops someone who becomes a guest', async () => {
    const member = members(dir).at(-1)!;
    await dir.control('PATCH', `/demo/users/${member.user_id}`, { role: 600 });
    try {
      await until(() => dir.runtime.view.people.get(member.user_id) === undefined, 'the role change');
    } finally {
      await dir.control('PATCH', `/demo/users/${member.user_id}`, { role: 400 });
      await until(() => dir.runtime.view.people.get(member.user_id) !== undefined, 'the role change back');
    }
  });

  it('are listed and let in with DIRECTORY_ALLOW_GUESTS=true', async () => {
    const allowing = await open({ demo: { featureLevel: 372, users: 40, seed: 4 }, settings: { DIRECTORY_ALLOW_GUESTS: true } });
    try {
      const guest = await newGuest(allowing);
      await until(() => allowing.runtime.view.people.get(guest.user_id) !== undefined, 'the guest listed');
      await withEnv(OPEN, async () => {
        const { page } = await everyone();
        expect(page.items.find((p) => p.id === guest.user_id)?.isGuest).toBe(true);
        expect((await one(guest.user_id)).status).toBe(200);
        expect((await search(guest.full_name)).items.some((p) => p.id === guest.user_id)).toBe(true);
      });
      await withEnv({ ...OPEN, DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET }, async () => {
        expect((await route('/api/people', proxyHeaders(guest))).status).toBe(200);
      });
      await withEnv({ ...OPEN, DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET }, async () => {
        expect((await signInWithKey(guest)).status).toBe(200);
      });
    } finally {
      await allowing.close();
    }
  });
});

describe('DIRECTORY_ALLOW_GUESTS', () => {
  const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;
  it('is off unless set to true', () => {
    expect(loadSettings(env({})).DIRECTORY_ALLOW_GUESTS).toBe(false);
    expect(loadSettings(env({ DIRECTORY_ALLOW_GUESTS: 'true' })).DIRECTORY_ALLOW_GUESTS).toBe(true);
    expect(loadSettings(env({ DIRECTORY_ALLOW_GUESTS: 'false' })).DIRECTORY_ALLOW_GUESTS).toBe(false);
    expect(() => loadSettings(env({ DIRECTORY_ALLOW_GUESTS: 'yes please' }))).toThrow(/DIRECTORY_ALLOW_GUESTS/);
  });
});

describe('the log says when the bot can see more than a member', () => {
  it.each([
    [100, 'owner'],
    [200, 'admin'],
    [300, 'moderator'],
  ] as const)('role %i: one bot_has_more_rights_than_a_member line (%s)', async (botRole, role) => {
    const h = await startHarness({ featureLevel: 372, botRole, users: 20 });
    try {
      const lines = h.logLines.filter((l) => l.event === 'bot_has_more_rights_than_a_member');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', role });
    } finally {
      await h.close();
    }
  });

  it('says nothing for a member bot', async () => {
    const h = await startHarness({ featureLevel: 65, users: 20 });
    try {
      expect(h.logLines.some((l) => l.event === 'bot_has_more_rights_than_a_member')).toBe(false);
    } finally {
      await h.close();
    }
  });
});
