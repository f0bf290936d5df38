// The demo-only control surface (/demo/…), fault injection, the simulation loop and the CLI's
// argument handling.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseArgs, UsageError } from '@/lib/demo-zulip/cli-args';
import { startDemoZulip } from '@/lib/demo-zulip/server';
import { call, control, findUser, activeHuman, credsOf, startTestServer, type TestServer } from './helpers';

describe('control surface', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ users: 30 });
  });
  afterAll(() => server.close());

  it('lists every account with its credentials, bots and deactivated ones included', async () => {
    const res = await control(server, 'GET', '/demo/credentials');
    expect(res.status).toBe(200);
    const users = res.body.users as Array<Record<string, unknown>>;
    expect(users.length).toBe(server.org.users.length);
    expect(Object.keys(users[0]!).sort()).toEqual(['api_key', 'delivery_email', 'email', 'full_name', 'is_active', 'is_bot', 'password', 'presence_enabled', 'role', 'user_id']);
    const hidden = users.find((u) => u.email !== u.delivery_email)!;
    expect(hidden.email).toBe(`user${hidden.user_id}@zulip.testserver`);
    expect(res.body.bot).toMatchObject({ email: server.bot.email, api_key: server.bot.apiKey });
    // A listed key works.
    const human = users.find((u) => u.is_active && !u.is_bot)!;
    const me = await call(server, 'users/me', { auth: { email: human.delivery_email as string, apiKey: human.api_key as string } });
    expect(me.body.user_id).toBe(human.user_id);
  });

  it('counts requests per endpoint and keeps a bounded log, resettable', async () => {
    await control(server, 'DELETE', '/demo/stats');
    await call(server, 'realm/presence');
    await call(server, 'realm/presence');
    const id = findUser(server, activeHuman).user_id;
    await call(server, `users/${id}/presence`);
    await call(server, 'nope');
    await control(server, 'POST', '/demo/faults', { force429: { retryAfter: 1.5, count: 1 } });
    expect((await call(server, 'users')).status).toBe(429);
    const stats = (await control(server, 'GET', '/demo/stats')).body;
    expect(stats.byEndpoint).toEqual({
      'GET /api/v1/realm/presence': 2,
      'GET /api/v1/users/{user_id_or_email}/presence': 1,
      'GET (not found)': 1,
      'GET /api/v1/users': 1,
    });
    expect(stats.total).toBe(5);
    expect(stats.rateLimited).toBe(1);
    const log = (await control(server, 'GET', '/demo/requests?limit=2')).body.requests as Array<Record<string, unknown>>;
    expect(log.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/api/v1/nope', 404],
      ['GET', '/api/v1/users', 429],
    ]);
    expect(typeof log[0]!.time).toBe('string');
    expect((await control(server, 'GET', '/demo/requests?limit=0')).status).toBe(400);
    await control(server, 'DELETE', '/demo/stats');
    expect((await control(server, 'GET', '/demo/stats')).body.total).toBe(0);
  });

  it('injects faults on /api/v1 and clears them', async () => {
    // forced 429 with a fractional Retry-After
    await control(server, 'POST', '/demo/faults', { force429: { retryAfter: 2.5 } });
    const limited = await call(server, 'users');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 2.5 });
    expect(limited.headers.get('retry-after')).toBe('2.5');
    // errors, like a proxy in front of a dead Zulip
    await control(server, 'POST', '/demo/faults', { errorRate: 1, errorStatus: 502 });
    const bad = await call(server, 'users');
    expect(bad.status).toBe(502);
    expect(bad.text).toContain('502 Bad Gateway');
    // malformed JSON
    await control(server, 'POST', '/demo/faults', { malformedJson: true });
    const broken = await call(server, 'realm/profile_fields');
    expect(broken.status).toBe(200);
    expect(() => JSON.parse(broken.text)).toThrow();
    // latency, only on a path prefix
    await control(server, 'POST', '/demo/faults', { latencyMs: 300, pathPrefix: '/api/v1/realm' });
    let started = Date.now();
    await call(server, 'realm/profile_fields');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    started = Date.now();
    await call(server, 'users/me');
    expect(Date.now() - started).toBeLessThan(250);
    // dropped connections
    await control(server, 'POST', '/demo/faults', { dropConnections: true });
    await expect(call(server, 'users/me')).rejects.toThrow();
    // expiring every queue at once
    await control(server, 'DELETE', '/demo/faults');
    const reg = await call(server, 'register', { method: 'POST' });
    const expired = await control(server, 'POST', '/demo/faults', { expireQueues: true });
    expect(expired.body.expiredQueues).toBeGreaterThanOrEqual(1);
    const gone = await call(server, 'events', { params: { queue_id: reg.body.queue_id as string, last_event_id: -1, dont_block: true } });
    expect(gone.body.code).toBe('BAD_EVENT_QUEUE_ID');
    // cleared
    expect((await control(server, 'DELETE', '/demo/faults')).body.faults).toEqual({});
    expect((await call(server, 'users/me')).status).toBe(200);
    // control routes are never faulty
    await control(server, 'POST', '/demo/faults', { errorRate: 1 });
    expect((await control(server, 'GET', '/demo/faults')).status).toBe(200);
    await control(server, 'DELETE', '/demo/faults');
  });

  it('rejects bad control bodies with a clear 400', async () => {
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/demo/faults', 'not json', /valid JSON/],
      ['POST', '/demo/faults', [1], /JSON object/],
      ['POST', '/demo/faults', { latency: 5 }, /Unknown fault "latency"/],
      ['POST', '/demo/faults', { errorRate: 2 }, /"errorRate" must be a number from 0 to 1/],
      ['POST', '/demo/faults', { errorStatus: 200 }, /"errorStatus"/],
      ['POST', '/demo/faults', { force429: { retryAfter: 'soon' } }, /retryAfter/],
      ['POST', '/demo/faults', { dropConnections: 'yes' }, /true or false/],
      ['POST', '/demo/simulation', { action: 'stop' }, /"action" must be one of/],
      ['POST', '/demo/simulation', {}, /"action" is required/],
      ['POST', '/demo/realm', { presence_disabled: 'no' }, /true or false/],
      ['POST', '/demo/users', {}, /"full_name" is required/],
      ['PATCH', `/demo/users/${server.org.users[0]!.user_id}`, { role: 7 }, /"role" must be one of/],
      ['PATCH', `/demo/users/${server.org.users[0]!.user_id}`, { profile_data: { 999: 'x' } }, /Unknown profile field/],
    ];
    for (const [method, path, body, msg] of cases) {
      const res = await control(server, method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.msg).toMatch(msg);
    }
    expect((await control(server, 'PUT', '/demo/faults', {})).status).toBe(405);
    expect((await control(server, 'GET', '/demo/nothing')).status).toBe(404);
    expect((await control(server, 'PATCH', '/demo/users/999999', { full_name: 'X' })).status).toBe(404);
  });

  it('pauses, resumes and ticks the simulation', async () => {
    expect((await control(server, 'GET', '/demo/simulation')).body.simulation).toMatchObject({ running: false, tickSeconds: 10 });
    expect((await control(server, 'POST', '/demo/simulation', { action: 'resume' })).body.simulation).toMatchObject({ running: true });
    expect((await control(server, 'POST', '/demo/simulation', { action: 'pause' })).body.simulation).toMatchObject({ running: false });
    const ticked = (await control(server, 'POST', '/demo/simulation', { action: 'tick' })).body.simulation as Record<string, number>;
    expect(ticked.ticks).toBe(1);
  });
});

describe('simulation loop', () => {
  it('makes working people report presence through the usual rules', async () => {
    // 09:30 UTC on a Wednesday: most offices of the demo company are at work.
    const wednesday = Date.UTC(2026, 5, 10, 9, 30);
    let now = wednesday;
    const demo = await startDemoZulip({ port: 0, users: 120, simulation: false, clock: () => now });
    onTestFinished(() => demo.close());
    const reports = (await control(demo, 'POST', '/demo/simulation', { action: 'tick' })).body.simulation as { lastTickReports: number };
    expect(reports.lastTickReports).toBeGreaterThan(0);
    const presences = (await call(demo, 'realm/presence')).body.presences as Record<string, { aggregated: { timestamp: number } }>;
    const nowSec = Math.floor(now / 1000);
    const fresh = Object.values(presences).filter((p) => nowSec - p.aggregated.timestamp < 200);
    expect(fresh.length).toBeGreaterThan(0);
    // Nobody invisible, deactivated or a bot reports.
    const quiet = demo.org.users.filter((u) => !u.presence_enabled || !u.is_active || u.is_bot);
    for (const u of quiet) {
      const email = u.email_visibility === 'everyone' || u.is_bot ? u.delivery_email : `user${u.user_id}@zulip.testserver`;
      const entry = presences[email];
      if (entry) expect(nowSec - entry.aggregated.timestamp).toBeGreaterThan(200);
    }
    // A running loop ticks on its own timer (here every 50 ms).
    now += 60_000;
    const running = await startDemoZulip({ port: 0, users: 20, tickSeconds: 0.05, clock: () => now });
    onTestFinished(() => running.close());
    await new Promise((r) => setTimeout(r, 200));
    expect(((await control(running, 'GET', '/demo/simulation')).body.simulation as { ticks: number }).ticks).toBeGreaterThan(1);
  });

  it('keeps presence_enabled=false users out of the stored presence', async () => {
    const server = await startTestServer({ users: 40 });
    onTestFinished(() => server.close());
    const human = findUser(server, activeHuman);
    await control(server, 'PATCH', `/demo/users/${human.user_id}`, { presence_enabled: false });
    await call(server, 'users/me/presence', { method: 'POST', auth: credsOf(human), params: { status: 'active' } });
    const res = await call(server, `users/${human.user_id}/presence`);
    if (res.status === 200) expect((res.body.presence as { aggregated: { status: string } }).aggregated.status).toBe('offline');
    else expect(res.body.msg).toBe(`No presence data for ${human.user_id}`);
  });
});

describe('startDemoZulip options and CLI arguments', () => {
  it('rejects invalid options clearly', async () => {
    await expect(startDemoZulip({ users: 0 })).rejects.toThrow(/users must be an integer from 1 to 50000/);
    await expect(startDemoZulip({ featureLevel: 5000 })).rejects.toThrow(/featureLevel/);
    await expect(startDemoZulip({ port: -1 })).rejects.toThrow(/port/);
    await expect(startDemoZulip({ rateLimit: { requests: 0, windowSeconds: 60 } })).rejects.toThrow(/rateLimit/);
  });

  it('parses flags, with environment defaults', () => {
    const parsed = parseArgs(['--port', '0', '--seed=7', '--users', '500', '--feature-level', '150', '--rate-limit', '50', '--paused', '--zuliprc-out', '/tmp/x'], {
      DEMO_ZULIP_USERS: '20',
      DEMO_ZULIP_FEATURE_LEVEL: '497',
    });
    expect(parsed.options).toEqual({ port: 0, seed: 7, users: 500, featureLevel: 150, rateLimit: { requests: 50, windowSeconds: 60 }, simulation: false });
    expect(parsed.zuliprcOut).toBe('/tmp/x');
    const fromEnv = parseArgs([], { DEMO_ZULIP_PORT: '9000', DEMO_ZULIP_SEED: '3', DEMO_ZULIP_USERS: '20', DEMO_ZULIP_FEATURE_LEVEL: '497' });
    expect(fromEnv.options).toEqual({ port: 9000, seed: 3, users: 20, featureLevel: 497 });
  });

  it('explains bad arguments', () => {
    const bad: Array<[string[], Record<string, string>, RegExp]> = [
      [['--users', 'many'], {}, /--users must be an integer/],
      [['--users', '60000'], {}, /--users must be from 1 to 50000/],
      [['--port'], {}, /--port needs a value/],
      [['--frobnicate'], {}, /unknown argument "--frobnicate"/],
      [[], { DEMO_ZULIP_FEATURE_LEVEL: 'ten' }, /DEMO_ZULIP_FEATURE_LEVEL must be an integer/],
      [['--tick', '0'], {}, /--tick must be a positive number/],
    ];
    for (const [argv, env, msg] of bad) {
      expect(() => parseArgs(argv, env)).toThrow(UsageError);
      expect(() => parseArgs(argv, env)).toThrow(msg);
    }
  });
});
