// Signing out ends the session on the server (docs/architecture.md §11): every session of that person
// issued before the sign-out is refused afterwards, wherever it was copied to; and session
// cookies are `__Host-` cookies over https, including behind a TLS proxy that does not say so
// when DIRECTORY_PUBLIC_URL is https (also §11).
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as signInRoute } from '@/app/api/auth/sign-in/route';
import { POST as signOutRoute } from '@/app/api/auth/sign-out/route';
import { GET as peopleRoute } from '@/app/api/people/route';
import { GET as streamRoute } from '@/app/api/presence/stream/route';
import { isHttps } from '@/lib/access/auth-response';
import { proxy } from '@/proxy';
import { accessConfig, startTestDirectory, until, withEnv, signInMembers, type SignInMember, type TestDirectory } from '../support/directory';
import { theApp } from '@/lib/server/app-handle';
import { FakeClock } from '@/tests/support/fake-clock';

const SECRET = 'sign-out-test-secret-sign-out-test-secret';
const ORIGIN = 'http://directory.test';
const PUBLIC = 'https://directory.example.com';
const ZULIP_MODE = { DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET };

type Member = SignInMember;
let dir: TestDirectory;
let members: Member[];
let address = 0;

beforeAll(async () => {
  dir = await startTestDirectory({ demo: { users: 30, seed: 17 } });
  members = await signInMembers(dir);
}, 30_000);

afterAll(() => dir?.close());

async function signIn(member: Member, headers: Record<string, string> = {}, url = `${ORIGIN}/api/auth/sign-in`): Promise<Response> {
  address++;
  return signInRoute(
    new NextRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `203.0.113.${address % 250}`, ...headers },
      body: new URLSearchParams({ email: member.email, secret: member.password, next: `/people/${member.id}` }).toString(),
    }),
  );
}

function signOut(headers: Record<string, string> = {}, url = `${ORIGIN}/api/auth/sign-out`): Promise<Response> {
  return signOutRoute(new NextRequest(url, { method: 'POST', headers }));
}

/** The `name=value` of the session cookie a response sets (either name). */
function sessionOf(res: Response): string {
  const match = /((?:__Host-)?directory_session)=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  expect(match, 'no session cookie was set').not.toBeNull();
  return `${match![1]}=${match![2]}`;
}

const askPeople = async (cookie: string, headers: Record<string, string> = {}) => (await peopleRoute(new NextRequest(`${ORIGIN}/api/people`, { headers: { cookie, ...headers } }))).status;
const passesProxy = async (cookie: string, headers: Record<string, string> = {}) =>
  (await proxy(new NextRequest(`${ORIGIN}/`, { headers: { cookie, ...headers } }))).headers.get('x-middleware-next') === '1';
const HTTPS = { 'x-forwarded-proto': 'https' };

describe('signing out', () => {
  it('revokes the session on the server: a copy of the cookie is refused afterwards, and so are that person’s other sessions', async () => {
    await withEnv(ZULIP_MODE, async () => {
      const [ada, bob] = [members[0]!, members[1]!];
      const copied = sessionOf(await signIn(ada));
      const otherDevice = sessionOf(await signIn(ada));
      const bobs = sessionOf(await signIn(bob));
      for (const cookie of [copied, otherDevice, bobs]) {
        expect(await askPeople(cookie)).toBe(200);
        expect(await passesProxy(cookie)).toBe(true);
      }

      const out = await signOut({ cookie: copied });
      expect(out.status).toBe(303);
      expect(out.headers.get('set-cookie')).toMatch(/directory_session=; Path=\/; Max-Age=0/);

      for (const cookie of [copied, otherDevice]) {
        expect(await askPeople(cookie)).toBe(401);
        expect(await passesProxy(cookie)).toBe(false);
        expect((await streamRoute(new NextRequest(`${ORIGIN}/api/presence/stream`, { headers: { cookie } }))).status).toBe(401);
      }
      // Someone else is not signed out.
      expect(await askPeople(bobs)).toBe(200);
      // Signing in again, even in the same second, gives a session that works.
      const again = sessionOf(await signIn(ada));
      expect(await askPeople(again)).toBe(200);
      expect(await passesProxy(again)).toBe(true);
    });
  });

  it('cannot be used with an old (revoked) cookie to sign the person out of their new sessions', async () => {
    await withEnv(ZULIP_MODE, async () => {
      const carol = members[2]!;
      const stolen = sessionOf(await signIn(carol));
      await signOut({ cookie: stolen });
      const current = sessionOf(await signIn(carol));
      await signOut({ cookie: stolen });
      expect(await askPeople(current)).toBe(200);
    });
  });

  it('reads its times on the app’s clock: a sign-out it records is not forgotten by it (an app handed a clock a year ahead)', async () => {
    const yearAhead = new FakeClock(Date.now() + 365 * 86_400_000);
    await withEnv(
      ZULIP_MODE,
      async () => {
        const erin = members.at(-1)!;
        const cookie = sessionOf(await signIn(erin));
        expect(await askPeople(cookie)).toBe(200);
        await signOut({ cookie });
        expect(await askPeople(cookie)).toBe(401);
      },
      { clock: yearAhead },
    );
  });

  it('closes the signed-out session’s open stream within one heartbeat', async () => {
    await withEnv({ ...ZULIP_MODE, DIRECTORY_STREAM_HEARTBEAT_SECONDS: '1' }, async () => {
      const dave = members[3]!;
      const cookie = sessionOf(await signIn(dave));
      const res = await streamRoute(new NextRequest(`${ORIGIN}/api/presence/stream`, { headers: { cookie } }));
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let ended = false;
      const reading = (async () => {
        try {
          while (!(await reader.read()).done);
        } catch {
          // cut
        }
        ended = true;
      })();
      try {
        await signOut({ cookie });
        const signedOutAt = Date.now();
        await until(() => ended, 'the stream to close', 3_000);
        expect(Date.now() - signedOutAt).toBeLessThanOrEqual(1_500);
      } finally {
        await reader.cancel().catch(() => {});
        await reading;
      }
    });
  });
});

describe('session cookies over https', () => {
  it('over plain http: the plain name, no Secure (local use)', async () => {
    await withEnv(ZULIP_MODE, async () => {
      const setCookie = (await signIn(members[4]!)).headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^directory_session=[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    });
  });

  it('behind a proxy that says https: a __Host- cookie (Secure, Path=/, no Domain), the only one accepted on read', async () => {
    await withEnv(ZULIP_MODE, async () => {
      const res = await signIn(members[4]!, { 'x-forwarded-proto': 'https' });
      const setCookie = res.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^__Host-directory_session=[^;]+; /);
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/; Path=\/;/);
      expect(setCookie).not.toMatch(/Domain/i);
      const cookie = sessionOf(res);
      expect(await askPeople(cookie, HTTPS)).toBe(200);
      expect(await passesProxy(cookie, HTTPS)).toBe(true);
      // Over https the plain name is not read: a sibling subdomain (Domain=.example.com) or a
      // plain-http page can set it, planting its own session that would outlive a sign-out.
      const planted = sessionOf(await signIn(members[6]!)); // a genuine session, under the plain name
      expect(planted).toMatch(/^directory_session=/);
      for (const plain of [planted, cookie.replace(/^__Host-/, '')]) {
        expect(await askPeople(plain, HTTPS)).toBe(401);
        expect(await passesProxy(plain, HTTPS)).toBe(false);
      }
      // Beside the genuine __Host- cookie, a planted one changes nothing: the viewer is who they signed in as.
      expect(await askPeople(`${planted}; ${cookie}`, HTTPS)).toBe(200);
      // Over plain http, the __Host- name is not read either (no browser sends it there).
      expect(await askPeople(cookie)).toBe(401);
      // Signing out over https clears both, and revokes it.
      const out = await signOut({ cookie, ...HTTPS });
      const cleared = out.headers.getSetCookie();
      expect(cleared.some((c) => /^__Host-directory_session=; Path=\/; Max-Age=0; .*Secure/.test(c))).toBe(true);
      expect(cleared.some((c) => /^directory_session=; Path=\/; Max-Age=0/.test(c))).toBe(true);
      expect(await askPeople(cookie, HTTPS)).toBe(401);
    });
  });

  it('with DIRECTORY_PUBLIC_URL on https: __Host- and Secure with no X-Forwarded-Proto, and absolute redirects on it', async () => {
    await withEnv({ ...ZULIP_MODE, DIRECTORY_PUBLIC_URL: PUBLIC }, async () => {
      const member = members[5]!;
      // A TLS proxy that forwards to http://127.0.0.1:3000 and says nothing of https.
      const res = await signIn(member, { origin: PUBLIC }, 'http://127.0.0.1:3000/api/auth/sign-in');
      expect(res.status).toBe(303);
      expect(res.headers.get('set-cookie')).toMatch(/^__Host-directory_session=[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/);
      expect(res.headers.get('location')).toBe(`${PUBLIC}/people/${member.id}`);
      expect(isHttps(new Request('http://127.0.0.1:3000/'), theApp().settings.access)).toBe(true);
      // proxy.ts sends anonymous page requests to the sign-in page on the public address.
      const redirect = await proxy(new NextRequest(`http://127.0.0.1:3000/people/${member.id}`));
      expect(redirect.status).toBe(303);
      expect(redirect.headers.get('location')).toBe(`${PUBLIC}/sign-in?next=%2Fpeople%2F${member.id}`);
      const out = await signOut({ cookie: sessionOf(res), origin: PUBLIC }, 'http://127.0.0.1:3000/api/auth/sign-out');
      expect(out.headers.get('location')).toBe(`${PUBLIC}/sign-in?error=signed_out`);
      expect(out.headers.getSetCookie().some((c) => c.startsWith('__Host-directory_session=;') && c.endsWith('; Secure'))).toBe(true);
      // Another site is still another site.
      expect((await signIn(member, { origin: 'https://evil.example' })).status).toBe(403);
    });
  });

  it('with DIRECTORY_PUBLIC_URL on http: no Secure, whatever a client writes in X-Forwarded-Proto', async () => {
    await withEnv({ ...ZULIP_MODE, DIRECTORY_PUBLIC_URL: 'http://directory.internal:8080' }, async () => {
      expect(isHttps(new Request('http://directory.internal:8080/', { headers: { 'x-forwarded-proto': 'https' } }), theApp().settings.access)).toBe(false);
      expect((await signIn(members[5]!)).headers.get('set-cookie')).toMatch(/^directory_session=[^;]+;.*SameSite=Lax$/);
    });
    await withEnv({}, async () => {
      expect(isHttps(new Request('http://127.0.0.1:3000/', { headers: { 'x-forwarded-proto': 'https' } }), theApp().settings.access)).toBe(true);
      expect(isHttps(new Request('http://127.0.0.1:3000/'), theApp().settings.access)).toBe(false);
    });
  });

  it('a malformed DIRECTORY_PUBLIC_URL is a configuration error that names it', () => {
    for (const bad of ['directory.example.com', 'ftp://directory.example.com', 'https://', 'https://user:pw@directory.example.com', 'https://directory.example.com/?a=1', 'https://directory.example.com/#x', 'https://directory.example.com/base']) {
      for (const mode of [{ DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET }, {}]) {
        const config = accessConfig({ ...mode, DIRECTORY_PUBLIC_URL: bad });
        expect(config, bad).toEqual({ mode: 'invalid', message: expect.stringMatching(/^DIRECTORY_PUBLIC_URL must be/) });
      }
    }
    for (const good of [PUBLIC, `${PUBLIC}/`, 'http://localhost:3000', ' https://directory.example.com:8443 ']) {
      expect(accessConfig({ DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET, DIRECTORY_PUBLIC_URL: good }).mode, good).toBe('zulip');
    }
  });
});
