// Who may view the directory (docs/architecture.md §11), at the level of the app's own code: every
// page and route found under app/ is asked for anonymously in each closed mode, through
// proxy.ts and (for routes) through the route handler itself, and must refuse; then members get
// in, non-members do not, and signing in with Zulip credentials behaves. Over HTTP against a
// built app the same is checked by e2e/access.spec.ts.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxy } from '@/proxy';
import { startTestDirectory, until, withEnv, type TestDirectory } from '../support/directory';
import { discoverRoutes, ROUTES } from '../support/routes';

const SECRET = 'test-secret-test-secret-test-secret-42';
const ORIGIN = 'http://directory.test';
type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

const CLOSED_MODES: Array<[string, Record<string, string | undefined>, number[]]> = [
  ['zulip', { DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET }, [401, 303]],
  ['proxy', { DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET }, [401]],
  ['unconfigured (a real Zulip, no mode)', { ZULIP_SITE: 'https://chat.example.com', ZULIP_EMAIL: 'bot@example.com', ZULIP_API_KEY: 'k'.repeat(32) }, [403]],
  ['invalid (zulip without a secret)', { DIRECTORY_ACCESS: 'zulip' }, [503]],
];

let dir: TestDirectory;
let member: { id: number; name: string; email: string; password: string; apiKey: string };
let outsider: { email: string; apiKey: string };

beforeAll(async () => {
  dir = await startTestDirectory({ demo: { users: 30, seed: 9 } });
  const credentials = (await dir.control('GET', '/demo/credentials')) as {
    users: Array<{ user_id: number; delivery_email: string; full_name: string; password: string | null; api_key: string; is_bot: boolean; is_active: boolean }>;
  };
  const m = credentials.users.find((u) => !u.is_bot && u.is_active && dir.runtime.view.people.get(u.user_id))!;
  member = { id: m.user_id, name: m.full_name, email: m.delivery_email, password: m.password!, apiKey: m.api_key };
  const bot = credentials.users.find((u) => u.is_bot && u.user_id === dir.demo.org.directoryBotId)!;
  outsider = { email: bot.delivery_email, apiKey: bot.api_key };
}, 30_000);

afterAll(() => dir?.close());

async function handlerFor(template: string, method: string): Promise<Handler> {
  const mod = (await import(`@/app${template}/route`)) as Record<string, Handler>;
  return mod[method]!;
}

async function callRoute(template: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  const route = ROUTES[template]!;
  const handler = await handlerFor(template, route.method);
  const request = new NextRequest(`${ORIGIN}${route.path(member.id)}`, { method: route.method, headers: init.headers, body: init.body });
  return handler(request, { params: Promise.resolve(route.params?.(member.id) ?? {}) });
}

async function throughProxy(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return proxy(new NextRequest(`${ORIGIN}${pathname}`, { method, headers }));
}

const passedThrough = (res: Response) => res.headers.get('x-middleware-next') === '1';

describe('access: every route', () => {
  it('knows every page and route under app/', () => {
    expect(discoverRoutes().map((r) => r.template).sort()).toEqual(Object.keys(ROUTES).sort());
  });

  for (const [name, env, statuses] of CLOSED_MODES) {
    it(`refuses anonymous viewers everywhere in the ${name} mode`, async () => {
      await withEnv(env, async () => {
        for (const { template, kind } of discoverRoutes()) {
          const route = ROUTES[template]!;
          if (route.public) continue;
          const edge = await throughProxy(route.path(member.id), {}, route.method);
          expect(passedThrough(edge), `${template} passed proxy.ts`).toBe(false);
          expect(statuses, `${template} via proxy.ts`).toContain(edge.status);
          expect(await edge.text()).not.toContain(member.name);
          if (kind === 'route') {
            const res = await callRoute(template);
            expect(statuses.filter((s) => s !== 303), `${template} handler`).toContain(res.status);
            const body = (await res.json()) as { error?: { code: string } };
            expect(body.error?.code, template).toBeTruthy();
            expect(JSON.stringify(body)).not.toContain(member.name);
          }
        }
      });
    });
  }

  it('lets everyone in when the mode is open (the demo default)', async () => {
    await withEnv({}, async () => {
      for (const { template } of discoverRoutes()) {
        const route = ROUTES[template]!;
        expect(passedThrough(await throughProxy(route.path(member.id), {}, route.method)), template).toBe(true);
      }
      expect((await callRoute('/api/people/[ref]')).status).toBe(200);
    });
  });
});

describe('access: proxy mode', () => {
  const env = { DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET, DIRECTORY_PROXY_HEADER: 'X-Forwarded-Email' };
  const as = (email: string, secret = SECRET) => ({ 'x-forwarded-email': email, 'x-directory-proxy-secret': secret });

  it('admits active members named by the proxy, refuses others', async () => {
    await withEnv(env, async () => {
      expect(passedThrough(await throughProxy('/', as(member.email)))).toBe(true);
      const ok = await callRoute('/api/people/[ref]', { headers: as(member.email.toUpperCase()) });
      expect(ok.status).toBe(200);
      // The identity header without the proxy's secret is anyone's to write.
      expect((await callRoute('/api/people/[ref]', { headers: as(member.email, 'wrong-secret') })).status).toBe(401);
      expect((await callRoute('/api/people/[ref]', { headers: { 'x-forwarded-email': member.email } })).status).toBe(401);
      // Known to Zulip but not an active human member: the bot, a stranger, a user id.
      for (const who of [outsider.email, 'stranger@example.com']) {
        const res = await callRoute('/api/people', { headers: as(who) });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_a_member');
      }
      expect((await callRoute('/api/people', { headers: as(String(member.id)) })).status).toBe(401);
    });
  });
});

describe('access: zulip sign-in', () => {
  // Each test counts sign-in attempts from none: withEnv builds it a new app, whose attempts they are.
  const env = { DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET };

  async function signIn(fields: Record<string, string>, headers: Record<string, string> = {}) {
    const handler = await handlerFor('/api/auth/sign-in', 'POST');
    const request = new NextRequest(`${ORIGIN}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
    return handler(request, { params: Promise.resolve({}) });
  }
  const cookieOf = (res: Response) => /directory_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

  it('signs a member in with email and password: redirect to `next`, an HttpOnly SameSite cookie, access', async () => {
    await withEnv(env, async () => {
      const res = await signIn({ email: member.email, secret: member.password, next: `/people/${member.id}` });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/people/${member.id}`);
      // A `next` beyond Latin-1 is sent %-escaped (raw, the header could not be set: a 500 after a good password).
      const named = await signIn({ email: member.email, secret: member.password, next: '/people/Łukasz?q=李' });
      expect(named.status).toBe(303);
      expect(named.headers.get('location')).toBe('/people/%C5%81ukasz?q=%E6%9D%8E');
      const setCookie = res.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      expect(setCookie).not.toContain(member.password);
      const cookie = cookieOf(res)!;
      expect(passedThrough(await throughProxy('/', { cookie: `directory_session=${cookie}` }))).toBe(true);
      expect((await callRoute('/api/people', { headers: { cookie: `directory_session=${cookie}` } })).status).toBe(200);
      // Nothing of the password or the key Zulip returned is in the session.
      const payload = Buffer.from(cookie.split('.')[0]!, 'base64url').toString();
      expect(payload).not.toContain(member.password);
      expect(payload).not.toContain(member.apiKey);
    });
  });

  it('signs a member in with their API key (JSON client), and refuses a bot’s key', async () => {
    await withEnv(env, async () => {
      const res = await signIn({ email: member.email, method: 'api_key', secret: member.apiKey }, { accept: 'application/json' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ viewer: { id: member.id, name: member.name } });
      const bot = await signIn({ email: outsider.email, method: 'api_key', secret: outsider.apiKey }, { accept: 'application/json' });
      expect(bot.status).toBe(403);
      expect(cookieOf(bot)).toBeUndefined();
    });
  });

  it('refuses wrong credentials with one message, and rate-limits attempts per email', async () => {
    await withEnv(env, async () => {
      const json = { accept: 'application/json' };
      const wrong = await signIn({ email: member.email, secret: 'not the password' }, json);
      expect(wrong.status).toBe(401);
      const body = await wrong.text();
      expect(body).not.toContain('not the password');
      expect(JSON.parse(body)).toEqual({ error: { code: 'invalid_credentials', message: 'Zulip did not accept that email and password (or API key).' } });
      const badKey = await signIn({ email: member.email, method: 'api_key', secret: 'x'.repeat(32) }, json);
      expect(badKey.status).toBe(401);
      // Two more make 4 failures, the per-email limit (4 in 30 minutes): then even the right password waits.
      for (let i = 0; i < 2; i++) expect((await signIn({ email: member.email, secret: `guess ${i}` }, json)).status).toBe(401);
      const limited = await signIn({ email: member.email, secret: member.password }, json);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // A browser form is sent back to the page with the reason.
      const form = await signIn({ email: member.email, secret: member.password });
      expect(form.status).toBe(303);
      expect(form.headers.get('location')).toMatch(/^\/sign-in\?error=rate_limited&retry=\d+$/);
    });
  });

  it('refuses posts from other sites, open redirects and malformed forms', async () => {
    await withEnv(env, async () => {
      expect((await signIn({ email: member.email, secret: member.password }, { origin: 'https://evil.example' })).status).toBe(403);
      // And paths that become "//evil.example" once their dot segments are resolved.
      for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/.//evil.example/phish', '/..//evil.example/', '/%2e//evil.example/', '/./%2e//evil.example']) {
        const res = await signIn({ email: member.email, secret: member.password, next });
        expect(res.headers.get('location')).toBe('/sign-in?error=invalid_input');
      }
      expect((await signIn({ email: 'not-an-email', secret: 'x' }, { accept: 'application/json' })).status).toBe(400);
      expect((await signIn({ email: member.email }, { accept: 'application/json' })).status).toBe(400);
    });
  });

  it('drops a signed-in viewer who is deactivated in Zulip at their next request', async () => {
    await withEnv(env, async () => {
      const cookie = cookieOf(await signIn({ email: member.email, secret: member.password }))!;
      const ask = async () => (await callRoute('/api/people', { headers: { cookie: `directory_session=${cookie}` } })).status;
      expect(await ask()).toBe(200);
      await dir.control('PATCH', `/demo/users/${member.id}`, { is_active: false });
      try {
        await until(() => dir.runtime.view.people.get(member.id) === undefined, 'the deactivation event');
        expect(await ask()).toBe(403);
      } finally {
        await dir.control('PATCH', `/demo/users/${member.id}`, { is_active: true });
        await until(() => dir.runtime.view.people.get(member.id) !== undefined, 'the reactivation event');
      }
      // A tampered cookie is nobody.
      expect((await callRoute('/api/people', { headers: { cookie: `directory_session=${cookie.slice(0, -3)}abc` } })).status).toBe(401);
    });
  });

  it('signs out: the cookie is cleared', async () => {
    await withEnv(env, async () => {
      const handler = await handlerFor('/api/auth/sign-out', 'POST');
      const res = await handler(new NextRequest(`${ORIGIN}/api/auth/sign-out`, { method: 'POST' }), { params: Promise.resolve({}) });
      expect(res.status).toBe(303);
      expect(res.headers.get('set-cookie')).toMatch(/directory_session=; Path=\/; Max-Age=0/);
    });
  });
});
