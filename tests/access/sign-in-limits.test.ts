// Sign-in limits that cannot be dodged (docs/architecture.md §11), through the real route handler
// (app/api/auth/sign-in/route.ts) against the demo Zulip server. What reached Zulip is read from
// the demo server's request log (/demo/requests): every POST /api/v1/fetch_api_key in it is one
// password guess Zulip checked, and one more step towards Zulip locking that user name out.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDirectory, withEnv, signInMembers, type SignInMember, type TestDirectory } from '../support/directory';

const SECRET = 'test-secret-test-secret-test-secret-42';
const ORIGIN = 'http://directory.test';
/** The per-email limit: 4 attempts per 30 minutes, under Zulip's own 5 per 30 minutes. */
const PER_EMAIL = 4;
/** The per-address limit: 30 attempts per 15 minutes. */
const PER_ADDRESS = 30;
/** The cap across everyone: 60 attempts a minute. */
const GLOBAL = 60;

const ZULIP_MODE = { DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET };
const BEHIND_ONE_PROXY = { ...ZULIP_MODE, DIRECTORY_TRUSTED_PROXY_HOPS: '1' };

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Member = SignInMember;

let dir: TestDirectory;
let members: Member[];
let handler: Handler;

beforeAll(async () => {
  dir = await startTestDirectory({ demo: { users: 40, seed: 11 } });
  // Zulip locks a user name out after 5 failures in 30 minutes: each test guesses at its own member.
  members = await signInMembers(dir);
  handler = ((await import('@/app/api/auth/sign-in/route')) as unknown as { POST: Handler }).POST;
}, 30_000);

afterAll(() => dir?.close());

// Each test counts attempts from none: withEnv builds it a new app, whose attempts they are.
let nextMember = 0;
const aMember = () => members[nextMember++]!;

async function signIn(email: string, secret: string, headers: Record<string, string> = {}): Promise<Response> {
  const request = new NextRequest(`${ORIGIN}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams({ email, secret }).toString(),
  });
  return handler(request, { params: Promise.resolve({}) });
}

/** Runs `fn` and counts the password checks (POST /api/v1/fetch_api_key) that reached Zulip meanwhile. */
async function zulipPasswordChecks(fn: () => Promise<void>): Promise<number> {
  const start = (await dir.control('GET', '/demo/requests?limit=1')).lastSeq as number;
  await fn();
  const log = (await dir.control('GET', `/demo/requests?after=${start}`)) as { complete: boolean; requests: Array<{ method: string; path: string }> };
  expect(log.complete, 'the demo request log kept every request').toBe(true);
  return log.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v1/fetch_api_key')).length;
}

const retryAfter = (res: Response) => Number(res.headers.get('retry-after'));

describe('sign-in limits: per email, whatever the address', () => {
  for (const [name, env] of [
    ['no proxy configured', ZULIP_MODE],
    ['behind one trusted proxy', BEHIND_ONE_PROXY],
  ] as const) {
    it(`a new X-Forwarded-For on every guess buys no more than ${PER_EMAIL} guesses (${name})`, async () => {
      const victim = aMember();
      const statuses: number[] = [];
      const reached = await zulipPasswordChecks(async () => {
        await withEnv(env, async () => {
          for (let i = 0; i < 12; i++) {
            const res = await signIn(victim.email, `guess ${i}`, { 'x-forwarded-for': `203.0.113.${i + 1}` });
            statuses.push(res.status);
            if (res.status === 429) expect(retryAfter(res)).toBeGreaterThan(0);
          }
        });
      });
      expect(reached).toBeLessThanOrEqual(PER_EMAIL);
      expect(statuses.slice(0, PER_EMAIL)).toEqual(Array(PER_EMAIL).fill(401));
      expect(statuses.slice(PER_EMAIL)).toEqual(Array(12 - PER_EMAIL).fill(429));
      // Zulip has not locked the victim out: it saw fewer than its own 5-in-30-minutes limit allows.
      // (The directory still refuses them for now: that is the per-email limit.)
    });
  }

  it(`20 parallel wrong passwords for one email reach Zulip at most ${PER_EMAIL} times`, async () => {
    const victim = aMember();
    let results: Response[] = [];
    const reached = await zulipPasswordChecks(async () => {
      await withEnv(BEHIND_ONE_PROXY, async () => {
        results = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(victim.email, `parallel guess ${i}`, { 'x-forwarded-for': `192.0.2.${i + 1}` })));
      });
    });
    expect(reached).toBeLessThanOrEqual(PER_EMAIL);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(PER_EMAIL);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - PER_EMAIL);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  it('a success clears that email’s failures; failures are kept', async () => {
    const person = aMember();
    await withEnv(ZULIP_MODE, async () => {
      for (let i = 0; i < PER_EMAIL - 1; i++) expect((await signIn(person.email, `typo ${i}`)).status).toBe(401);
      expect((await signIn(person.email, person.password)).status).toBe(200);
      // A fresh allowance: the success cleared the failures and took no place itself.
      for (let i = 0; i < PER_EMAIL; i++) expect((await signIn(person.email, `later typo ${i}`)).status).toBe(401);
      const limited = await signIn(person.email, person.password);
      expect(limited.status).toBe(429);
      // The failures just made are kept for the 30-minute window (not 15).
      expect(retryAfter(limited)).toBeGreaterThan(15 * 60);
      expect(retryAfter(limited)).toBeLessThanOrEqual(30 * 60);
    });
  });
});

describe('sign-in limits: the client address is only what a trusted proxy says', () => {
  const forged = (i: number) =>
    [
      `${'9'.repeat(20_000)}.${i}`, // huge
      `not-an-address-${i}`,
      `203.0.113.${i % 250}`, // a real-looking address, from a client
      `<script>${i}</script>`,
      `999.0.0.${i % 250}`,
      `198.51.100.${i % 250}:443`,
      `fe80::${i.toString(16)}%eth0`,
    ][i % 7]!;

  it('with no proxy configured, X-Forwarded-For and X-Real-IP are ignored: one shared bucket', async () => {
    await withEnv(ZULIP_MODE, async () => {
      for (let i = 0; i < PER_ADDRESS; i++) {
        const res = await signIn(`nobody-${i}@example.com`, 'wrong', { 'x-forwarded-for': forged(i), 'x-real-ip': `203.0.113.${i + 1}` });
        expect(res.status, `attempt ${i}`).toBe(401);
      }
      const next = await signIn('somebody-else@example.com', 'wrong', { 'x-forwarded-for': '192.0.2.77', 'x-real-ip': '192.0.2.77' });
      expect(next.status).toBe(429);
      expect(retryAfter(next)).toBeGreaterThan(0);
    });
  });

  it('behind one proxy, a huge or non-IP last X-Forwarded-For entry counts as the unknown address', async () => {
    await withEnv(BEHIND_ONE_PROXY, async () => {
      for (let i = 0; i < PER_ADDRESS; i++) {
        // The client wrote the whole header: there is no proxy in front, so the last entry is forged too.
        const value = i % 7 === 2 ? `${forged(i)}, x${i}` : forged(i);
        expect((await signIn(`nobody-${i}@example.com`, 'wrong', { 'x-forwarded-for': value })).status, `attempt ${i}`).toBe(401);
      }
      expect((await signIn('somebody-else@example.com', 'wrong', { 'x-forwarded-for': 'garbage' })).status).toBe(429);
      expect((await signIn('somebody-else@example.com', 'wrong')).status).toBe(429);
      // A real address the proxy appended is its own bucket, whatever the client wrote before it.
      expect((await signIn('somebody-else@example.com', 'wrong', { 'x-forwarded-for': `${'9'.repeat(500)}, 192.0.2.10` })).status).toBe(401);
    });
  });

  it('with DIRECTORY_CLIENT_IP_HEADER, only that header counts, and only when it is an IP address', async () => {
    await withEnv({ ...ZULIP_MODE, DIRECTORY_CLIENT_IP_HEADER: 'X-Real-IP' }, async () => {
      for (let i = 0; i < PER_ADDRESS; i++) {
        const res = await signIn(`nobody-${i}@example.com`, 'wrong', { 'x-real-ip': forged(i).replace(/^203\.0\.113\.(\d+)$/, '203.0.113.$1, 10.0.0.1'), 'x-forwarded-for': `192.0.2.${i + 1}` });
        expect(res.status, `attempt ${i}`).toBe(401);
      }
      expect((await signIn('somebody-else@example.com', 'wrong', { 'x-forwarded-for': '192.0.2.200' })).status).toBe(429);
      expect((await signIn('somebody-else@example.com', 'wrong', { 'x-real-ip': '192.0.2.10' })).status).toBe(401);
    });
  });
});

describe('sign-in limits: across everyone', () => {
  it(`at most ${GLOBAL} attempts a minute in all, answered 429 with Retry-After`, async () => {
    await withEnv(BEHIND_ONE_PROXY, async () => {
      for (let i = 0; i < GLOBAL; i++) {
        const res = await signIn(`spray-${i}@example.com`, 'Summer2025!', { 'x-forwarded-for': `198.18.${i >> 8}.${(i & 255) + 1}` });
        expect(res.status, `attempt ${i}`).toBe(401);
      }
      const capped = await signIn('one-more@example.com', 'Summer2025!', { 'x-forwarded-for': '198.19.0.1' });
      expect(capped.status).toBe(429);
      expect(((await capped.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      expect(retryAfter(capped)).toBeGreaterThan(0);
      expect(retryAfter(capped)).toBeLessThanOrEqual(60);
    });
  });
});
