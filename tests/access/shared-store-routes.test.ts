// With REDIS_URL set, the real routes and proxy.ts share the sign-in limits and the sign-outs
// through Redis (lib/access/sign-in-limiter.ts and revocations.ts choose it), and say so when it
// cannot be reached: sign-in answers 503 store_unavailable (fail closed), sign-out 503
// sign_out_incomplete. "Another instance" here is another app built with the same settings (the
// composition root, lib/server/app.ts): its own connections and memory, so only what is in Redis
// can carry over.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as signInRoute } from '@/app/api/auth/sign-in/route';
import { POST as signOutRoute } from '@/app/api/auth/sign-out/route';
import { signInMessage } from '@/lib/access/sign-in';
import { proxy } from '@/proxy';
import { startTestDirectory, withEnv, signInMembers, type SignInMember, type TestDirectory } from '../support/directory';
import { startRedisServer, type RedisServer } from '../support/redis-server';

const SECRET = 'shared-store-test-secret-shared-store-test';
const ORIGIN = 'http://directory.test';

type Member = SignInMember;
let dir: TestDirectory;
let redis: RedisServer;
let members: Member[];
let env: Record<string, string | undefined>;

beforeAll(async () => {
  [dir, redis] = await Promise.all([startTestDirectory({ demo: { users: 30, seed: 23 } }), startRedisServer()]);
  env = { DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET, REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'routes-test' };
  members = await signInMembers(dir);
}, 30_000);

/** Runs `fn` on an instance of its own: an app built for it, closed after. */
const onAnInstance = <T>(fn: () => Promise<T>): Promise<T> => withEnv(env, fn);

afterAll(async () => {
  await dir?.close();
  await redis?.stop();
});

function signIn(email: string, secret: string, json = true): Promise<Response> {
  return signInRoute(
    new NextRequest(`${ORIGIN}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(json ? { accept: 'application/json' } : {}) },
      body: new URLSearchParams({ email, secret }).toString(),
    }),
  );
}

const signOut = (cookie: string) => signOutRoute(new NextRequest(`${ORIGIN}/api/auth/sign-out`, { method: 'POST', headers: { cookie, accept: 'application/json' } }));
const sessionOf = (res: Response) => /(directory_session=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
const passesProxy = async (cookie: string) => (await proxy(new NextRequest(`${ORIGIN}/`, { headers: { cookie } }))).headers.get('x-middleware-next') === '1';

describe('REDIS_URL set: sign-in limits and sign-outs are shared', () => {
  it('the per-email limit holds on another instance', async () => {
    const victim = members[0]!;
    await onAnInstance(async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await signIn(victim.email, `guess ${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
    });
    // An instance counting in its own memory would allow 4 more here.
    await onAnInstance(async () => expect((await signIn(victim.email, victim.password)).status).toBe(429));
  });

  it('a sign-out on one instance is refused by proxy.ts on another', async () => {
    const member = members[1]!;
    const cookie = await onAnInstance(async () => {
      const signedIn = sessionOf(await signIn(member.email, member.password));
      expect(await passesProxy(signedIn)).toBe(true);
      return signedIn;
    });
    await onAnInstance(async () => expect((await signOut(cookie)).status).toBe(200));
    await onAnInstance(async () => expect(await passesProxy(cookie)).toBe(false));
  });

  it('Redis unreachable: sign-in fails closed with a 503, sign-out says it was incomplete; both work again once it is back', async () => {
    await onAnInstance(async () => {
      const member = members[2]!;
      const cookie = sessionOf(await signIn(member.email, member.password));
      await redis.stop();
      try {
        const res = await signIn(member.email, member.password);
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({ error: { code: 'store_unavailable', message: signInMessage('store_unavailable') } });
        expect(signInMessage('store_unavailable')).toMatch(/shared store cannot be reached/);
        const form = await signIn(member.email, member.password, false);
        expect(form.status).toBe(303);
        expect(form.headers.get('location')).toMatch(/\/sign-in\?error=store_unavailable$/);

        const out = await signOut(cookie);
        expect(out.status).toBe(503);
        expect(((await out.json()) as { error: { code: string } }).error.code).toBe('sign_out_incomplete');
        // The cookie goes all the same, and this instance refuses the session.
        expect(out.headers.get('set-cookie')).toMatch(/directory_session=; Path=\/; Max-Age=0/);
        expect(await passesProxy(cookie)).toBe(false);
      } finally {
        await redis.start();
      }
      const end = Date.now() + 8_000;
      let status = 0;
      while ((status = (await signIn(member.email, member.password)).status) === 503 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(status).toBe(200);
    });
  });
});
