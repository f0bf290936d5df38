// POST /fetch_api_key (password sign-in), key rotation through the control surface, and the
// request log's `after` cursor: what the directory's sign-in and fault tests rely on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, control, credsOf, findUser, startTestServer, type TestServer } from './helpers';

describe('POST /fetch_api_key', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ users: 30, featureLevel: 372 });
  });
  afterAll(() => server.close());

  const accounts = async () =>
    (await control(server, 'GET', '/demo/credentials')).body.users as Array<{
      user_id: number;
      delivery_email: string;
      api_key: string;
      password: string | null;
      is_bot: boolean;
      is_active: boolean;
    }>;
  const signIn = (username: string, password: string) => call(server, 'fetch_api_key', { method: 'POST', auth: null, params: { username, password } });

  it('gives a human their key, delivery email and id for the right password', async () => {
    const human = (await accounts()).find((u) => !u.is_bot && u.is_active)!;
    expect(human.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const res = await signIn(human.delivery_email.toUpperCase(), human.password!);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'success', msg: '', api_key: human.api_key, email: human.delivery_email, user_id: human.user_id });
  });

  it("answers Zulip's errors: bad email, wrong password, deactivated, bots, missing arguments, GET", async () => {
    const users = await accounts();
    const human = users.find((u) => !u.is_bot && u.is_active)!;
    const bot = users.find((u) => u.is_bot)!;
    const former = users.find((u) => !u.is_bot && !u.is_active)!;
    expect(bot.password).toBeNull();

    expect((await signIn('not-an-email', 'x')).body).toEqual({ result: 'error', msg: 'Enter a valid email address.', code: 'BAD_REQUEST' });
    const wrong = await signIn(human.delivery_email, 'wrong password');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ result: 'error', msg: 'Your username or password is incorrect', code: 'AUTHENTICATION_FAILED' });
    expect((await signIn('nobody@acme.example', 'x')).body.code).toBe('AUTHENTICATION_FAILED');
    expect((await signIn(bot.delivery_email, '')).body.code).toBe('AUTHENTICATION_FAILED');
    const deactivated = await signIn(former.delivery_email, 'whatever');
    expect(deactivated.status).toBe(401);
    expect(deactivated.body).toEqual({ result: 'error', msg: 'Account is deactivated', code: 'USER_DEACTIVATED' });

    const missing = await call(server, 'fetch_api_key', { method: 'POST', auth: null, params: { username: human.delivery_email } });
    expect(missing.body).toEqual({ result: 'error', msg: "Missing 'password' argument", code: 'REQUEST_VARIABLE_MISSING', var_name: 'password' });
    const get = await call(server, 'fetch_api_key', { auth: null });
    expect(get.status).toBe(405);
    expect(get.body).toEqual({ result: 'error', msg: 'Method Not Allowed', allowed_methods: ['POST'] });
  });

  it('limits attempts per user name: 5 in 30 minutes, counted until a success clears them', async () => {
    const users = (await accounts()).filter((u) => !u.is_bot && u.is_active);
    const target = users[3]!;
    for (let i = 0; i < 4; i++) expect((await signIn(target.delivery_email, 'nope')).status).toBe(401);
    // A success clears the count.
    expect((await signIn(target.delivery_email, target.password!)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn(target.delivery_email, 'nope')).status).toBe(401);
    const limited = await signIn(target.delivery_email, target.password!);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(1700);
    // Another user name is not affected; the window passes after 30 minutes.
    expect((await signIn(users[4]!.delivery_email, users[4]!.password!)).status).toBe(200);
    server.advance(30 * 60 + 1);
    expect((await signIn(target.delivery_email, target.password!)).status).toBe(200);
  });

  it('has no user_id before feature level 171', async () => {
    const old = await startTestServer({ users: 10, featureLevel: 150 });
    try {
      const human = findUser(old, (u) => !u.is_bot && u.is_active);
      const password = ((await control(old, 'GET', '/demo/credentials')).body.users as Array<{ user_id: number; password: string }>).find(
        (u) => u.user_id === human.user_id,
      )!.password;
      const res = await call(old, 'fetch_api_key', { method: 'POST', auth: null, params: { username: human.delivery_email, password } });
      expect(Object.keys(res.body).sort()).toEqual(['api_key', 'email', 'msg', 'result']);
    } finally {
      await old.close();
    }
  });
});

describe('key rotation and the request log cursor', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ users: 20 });
  });
  afterAll(() => server.close());

  it('POST /demo/users/{id}/api_key revokes the old key, and can put a given key back', async () => {
    const bot = findUser(server, (u) => u.user_id === server.org.directoryBotId);
    const old = credsOf(bot);
    expect((await call(server, 'users/me', { auth: old })).status).toBe(200);
    const rotated = await control(server, 'POST', `/demo/users/${bot.user_id}/api_key`);
    const fresh = (rotated.body.user as { api_key: string }).api_key;
    expect(fresh).not.toBe(old.apiKey);
    const refused = await call(server, 'users/me', { auth: old });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ result: 'error', msg: 'Invalid API key', code: 'UNAUTHORIZED' });
    expect((await call(server, 'users/me', { auth: { email: old.email, apiKey: fresh } })).status).toBe(200);
    expect((await control(server, 'POST', `/demo/users/${bot.user_id}/api_key`, { api_key: old.apiKey })).status).toBe(200);
    expect((await call(server, 'users/me', { auth: old })).status).toBe(200);
    expect((await control(server, 'POST', `/demo/users/${bot.user_id}/api_key`, { api_key: 'short' })).status).toBe(400);
    expect((await control(server, 'GET', `/demo/users/${bot.user_id}/api_key`)).status).toBe(405);
  });

  it('GET /demo/requests?after=S returns what came later and says whether anything was dropped', async () => {
    const start = (await control(server, 'GET', '/demo/requests?limit=1')).body.lastSeq as number;
    await call(server, 'realm/presence');
    await call(server, 'users/10/presence');
    const res = await control(server, 'GET', `/demo/requests?after=${start}`);
    expect(res.body.complete).toBe(true);
    const requests = res.body.requests as Array<{ seq: number; path: string }>;
    expect(requests.map((r) => [r.seq, r.path])).toEqual([
      [start + 1, '/api/v1/realm/presence'],
      [start + 2, '/api/v1/users/10/presence'],
    ]);
    await control(server, 'DELETE', '/demo/stats');
    expect((await control(server, 'GET', `/demo/requests?after=${start}`)).body.complete).toBe(false);
    expect((await control(server, 'GET', '/demo/requests?after=-1')).status).toBe(400);
  });
});
