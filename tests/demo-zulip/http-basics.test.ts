// Routing, authentication, rate limiting and parameter handling of the demo Zulip server,
// checked over real HTTP against Zulip's documented behaviour (docs/zulip.md §g, §h).
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { zuliprcText } from '@/lib/demo-zulip/server';
import { zulipVersionFor } from '@/lib/demo-zulip/core/versions';
import { activeHuman, call, credsOf, expectShape, findUser, fixture, startTestServer, type TestServer } from './helpers';

const UNAUTHORIZED = { result: 'error', code: 'UNAUTHORIZED' };

describe.each([150, 372, 497])('server_settings at feature level %i', (featureLevel) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel, users: 10 });
  });
  afterAll(() => server.close());

  it('answers without auth with the version of that level, in the shape of Zulip\'s example', async () => {
    const res = await call(server, 'server_settings', { auth: null });
    expect(res.status).toBe(200);
    expect(res.body.zulip_feature_level).toBe(featureLevel);
    const expected = { 150: /^6\.0-dev-\d+-g[0-9a-f]{10}$/, 372: /^10\.2$/, 497: /^12\.0-dev-\d+-g[0-9a-f]{10}$/ }[featureLevel]!;
    expect(res.body.zulip_version).toMatch(expected);
    expect(res.body.zulip_merge_base).toBe(res.body.zulip_version);
    expect(res.body.realm_uri).toBe(server.site);
    expectShape(res.body, fixture('server-settings-200.json'), {
      absent: featureLevel < 257 ? { '$.realm_url': 'realm_url is new in FL 257' } : {},
      extra: { '$.zulip_feature_level': "always sent since FL 1; the spec's example omits it" },
    });
  });
});

describe('versions', () => {
  // The API changelog's release headings (docs/zulip.md §m): a level a release shipped with is
  // reported as that release, every other level as a development version of the next one.
  it.each([
    [25, '3.0'],
    [27, '3.4'],
    [65, '4.11'],
    [122, '5.7'],
    [156, '6.1'],
    [157, '6.2'],
    [185, '7.0'],
    [237, '8.0'],
    [277, '9.0'],
    [278, '9.2'],
    [371, '10.0'],
    [372, '10.2'],
    [421, '11.0'],
  ])('names feature level %i Zulip %s', (level, version) => {
    expect(zulipVersionFor(level)).toEqual({ version, mergeBase: version });
  });

  it.each([
    [40, '4.0'],
    [150, '6.0'],
    [160, '7.0'],
    [300, '10.0'],
    [490, '12.0'],
    [497, '12.0'],
  ])('names feature level %i a %s development version', (level, major) => {
    expect(zulipVersionFor(level).version).toMatch(new RegExp(`^${major.replace('.', '\\.')}-dev-\\d+-g[0-9a-f]{10}$`));
  });
});

describe('routing, auth, rate limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel: 372, users: 30 });
  });
  afterAll(() => server.close());

  it('prints the bot credentials as a zuliprc', () => {
    expect(zuliprcText(server)).toBe(`[api]\nemail=${server.bot.email}\nkey=${server.bot.apiKey}\nsite=${server.site}\n`);
    expect(server.bot.apiKey).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('answers unknown /api/v1 paths with a JSON 404', async () => {
    for (const path of ['nonexistent', 'users/', 'users/5/nothing', 'realm']) {
      const res = await call(server, path, { auth: null });
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ result: 'error', msg: 'Not Found', code: 'BAD_REQUEST' });
    }
  });

  it('answers a wrong method with 405 and the allowed methods, before checking auth', async () => {
    const res = await call(server, 'users/me/presence', { auth: null });
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ result: 'error', msg: 'Method Not Allowed', allowed_methods: ['POST'] });
    const del = await call(server, 'users', { method: 'DELETE', auth: null });
    expect(del.status).toBe(405);
    expect(del.body.allowed_methods).toEqual(['GET']);
  });

  it('answers OPTIONS with the allowed methods', async () => {
    const res = await fetch(`${server.site}/api/v1/events`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, DELETE');
  });

  it('decodes the path once and survives malformed percent-encoding', async () => {
    // %2F decodes to "/", so this is users/a/b/presence: no such route.
    expect((await call(server, '/api/v1/users/a%2Fb/presence')).status).toBe(404);
    for (const raw of ['/api/v1/users/%E0%A4%A/presence', '/api/v1/users/%zz/presence', '/api/v1/users/%/presence', '/api/v1/users/%C3%28']) {
      const res = await call(server, raw);
      expect(res.status, raw).toBe(400);
      expect(res.body).toMatchObject({ result: 'error', msg: 'No such user', code: 'BAD_REQUEST' });
    }
    // A percent-encoded id is an id.
    const id = findUser(server, activeHuman).user_id;
    const res = await call(server, `/api/v1/users/${encodeURIComponent(String(id)).replace(/\d/, (d) => `%3${d}`)}`);
    expect(res.status).toBe(200);
    expect((res.body.user as { user_id: number }).user_id).toBe(id);
  });

  it('sends 401 UNAUTHORIZED with WWW-Authenticate for each documented auth failure', async () => {
    const deactivated = findUser(server, (u) => !u.is_active && !u.is_bot, 'deactivated human');
    const webhookBot = findUser(server, (u) => u.is_bot && u.bot_type === 2 && u.is_active, 'incoming webhook bot');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const cases: Array<[string, Record<string, string>, string]> = [
      ['no header', {}, 'Not logged in: API authentication or user session required'],
      ['not base64', { authorization: 'Basic !!!abcde' }, 'Invalid authorization header for basic auth'],
      ['no colon', { authorization: `Basic ${b64('justtext')}` }, 'Invalid authorization header for basic auth'],
      ['two colons', { authorization: `Basic ${b64(`a:b:${server.bot.apiKey}`)}` }, 'Invalid authorization header for basic auth'],
      ['scheme only', { authorization: 'Basic' }, 'Invalid authorization header for basic auth'],
      ['wrong key', { authorization: `Basic ${b64(`${server.bot.email}:${'x'.repeat(32)}`)}` }, 'Invalid API key'],
      ['key of another user', { authorization: `Basic ${b64(`someone@acme.example:${server.bot.apiKey}`)}` }, 'Invalid API key'],
      ['malformed key', { authorization: `Basic ${b64(`${server.bot.email}:short-key`)}` }, 'Malformed API key'],
      ['deactivated account', { authorization: `Basic ${b64(`${deactivated.delivery_email}:${deactivated.api_key}`)}` }, 'Account is deactivated'],
      ['webhook bot', { authorization: `Basic ${b64(`${webhookBot.delivery_email}:${webhookBot.api_key}`)}` }, 'This API is not available to incoming webhook bots.'],
    ];
    for (const [name, headers, msg] of cases) {
      const res = await call(server, 'realm/profile_fields', { auth: null, headers });
      expect(res.status, name).toBe(401);
      expect(res.body, name).toEqual({ ...UNAUTHORIZED, msg });
      expect(res.headers.get('www-authenticate'), name).toBe('Basic realm="zulip"');
    }
  });

  it('refuses other schemes with 400', async () => {
    const res = await call(server, 'users', { auth: null, headers: { authorization: 'Bearer abcdef' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ result: 'error', msg: 'This endpoint requires HTTP basic authentication.', code: 'BAD_REQUEST' });
  });

  it('matches the email case-insensitively with whitespace stripped', async () => {
    const email = `  ${server.bot.email.toUpperCase()} `;
    const res = await call(server, 'realm/profile_fields', { auth: { email, apiKey: ` ${server.bot.apiKey}` } });
    expect(res.status).toBe(200);
  });

  it('rate-limits per user with X-RateLimit headers and a fractional Retry-After', async () => {
    const server = await startTestServer({ users: 10, rateLimit: { requests: 5, windowSeconds: 60 } });
    onTestFinished(() => server.close());
    const human = findUser(server, activeHuman);
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(server, 'realm/profile_fields', { auth: credsOf(human) });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('5');
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    server.advance(0.25);
    const limited = await call(server, 'users/me', { auth: credsOf(human) });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT' });
    const retryAfter = limited.body['retry-after'] as number;
    expect(retryAfter).toBeCloseTo(59.75, 5);
    expect(Number.isInteger(retryAfter)).toBe(false);
    expect(Number(limited.headers.get('retry-after'))).toBeCloseTo(retryAfter, 5);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBe(Math.floor(server.nowMs() / 1000 + retryAfter));
    expectShape(limited.body, fixture('error-rate-limited.json'));
    // Other users have their own budget (the bot here).
    expect((await call(server, 'realm/profile_fields')).status).toBe(200);
    // The window slides: a minute later the user may call again.
    server.advance(60);
    expect((await call(server, 'users/me', { auth: credsOf(human) })).status).toBe(200);
  });

  it('counts calls that fail validation, and not unauthenticated ones', async () => {
    const fresh = await startTestServer({ users: 10, rateLimit: { requests: 2, windowSeconds: 60 } });
    onTestFinished(() => fresh.close());
    await call(fresh, 'server_settings', { auth: null });
    await call(fresh, 'users', { auth: { email: fresh.bot.email, apiKey: 'x'.repeat(32) } });
    await call(fresh, 'users/999999');
    const second = await call(fresh, 'users/999999');
    expect(second.status).toBe(400);
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await call(fresh, 'users')).status).toBe(429);
  });
});

describe('parameters', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel: 372, users: 10 });
  });
  afterAll(() => server.close());

  it('reports unknown parameters in ignored_parameters_unsupported, sorted', async () => {
    const res = await call(server, 'realm/profile_fields', { params: { zeta: 'x', alpha: 1, client: 'test-client' } });
    expect(res.status).toBe(200);
    expect(res.body.ignored_parameters_unsupported).toEqual(['alpha', 'zeta']);
    const bare = await call(server, 'realm/profile_fields');
    expect(bare.body).not.toHaveProperty('ignored_parameters_unsupported');
    expectShape({ result: res.body.result, msg: res.body.msg, ignored_parameters_unsupported: res.body.ignored_parameters_unsupported }, fixture('success-ignored-parameters.json'));
  });

  it("rejects badly encoded JSON values with Zulip's messages", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ client_gravatar: 'yes' }, 'client_gravatar is not valid JSON'],
      [{ client_gravatar: '1' }, 'client_gravatar is not a boolean'],
      [{ include_custom_profile_fields: '"true"' }, 'include_custom_profile_fields is not a boolean'],
    ];
    for (const [params, msg] of cases) {
      const res = await call(server, 'users', { params });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ result: 'error', msg, code: 'BAD_REQUEST' });
    }
    const reg = await call(server, 'register', { method: 'POST', params: { event_types: '"presence"' } });
    expect(reg.body.msg).toBe('event_types is not a list');
    const reg2 = await call(server, 'register', { method: 'POST', params: { event_types: [1] } });
    expect(reg2.body.msg).toBe('event_types[0] is not a string');
    const reg3 = await call(server, 'register', { method: 'POST', params: { queue_lifespan_secs: '1.5' } });
    expect(reg3.body.msg).toBe('queue_lifespan_secs is not an integer');
  });

  it('reads POST parameters only from form bodies, as Django does', async () => {
    const human = findUser(server, activeHuman);
    const res = await fetch(`${server.site}/api/v1/users/me/presence`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${human.delivery_email}:${human.api_key}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'active' }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expectShape(body, fixture('error-missing-argument.json'));
    expect(body).toEqual({ result: 'error', msg: "Missing 'status' argument", code: 'REQUEST_VARIABLE_MISSING', var_name: 'status' });
  });

  it('has no ignored_parameters_unsupported before feature level 167', async () => {
    const old = await startTestServer({ featureLevel: 150, users: 10 });
    onTestFinished(() => old.close());
    const res = await call(old, 'realm/profile_fields', { params: { zeta: 'x' } });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('ignored_parameters_unsupported');
  });
});
