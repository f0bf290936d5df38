import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createZulipClient, type ZulipClientOptions } from '@/lib/zulip/client';
import { isZulipError } from '@/lib/zulip/errors';
import { RateBudget } from '@/lib/zulip/rate-budget';
import type { RecordIssue } from '@/lib/zulip/record-issues';
import { BASIC, caught, clientFor as baseClientFor, configFor, fixture, json, startServer, type TestServer } from './support';

// Zulip's published wire examples served by a local HTTP server and read through the client:
// this checks that our schemas and parsers accept what Zulip documents (every record read, none
// skipped), turn it into the app's records, and what we send on the wire.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

let issues: RecordIssue[] = [];
beforeEach(() => {
  issues = [];
});
/** A client whose skipped records are collected in `issues`. */
const clientFor = (srv: TestServer, options: ZulipClientOptions = {}) => baseClientFor(srv, { onRecordIssue: (issue) => issues.push(issue), ...options });

const serve = (body: unknown, status = 200, headers: Record<string, string> = {}) => server.handle((_, res) => json(res, status, body, headers));
const last = () => server.requests.at(-1)!;
const eventsOf = (...events: unknown[]) => ({ result: 'success', msg: '', queue_id: 'q', events });

describe('requests', () => {
  it('sends basic auth, a User-Agent and GET params in the query string', async () => {
    serve(fixture('get-users-200.json'));
    await clientFor(server).getUsers({ includeCustomProfileFields: true, clientGravatar: false });
    expect(last().method).toBe('GET');
    expect(last().url).toBe('/api/v1/users?include_custom_profile_fields=true&client_gravatar=false');
    expect(last().headers.authorization).toBe(`Basic ${BASIC}`);
    expect(last().headers['user-agent']).toBe('ZulipDirectory/0.1');
  });

  it('sends no credentials to /server_settings', async () => {
    serve(fixture('server-settings-200.json'));
    const settings = await clientFor(server).getServerSettings();
    expect(settings.zulip_version).toBe('5.0-dev-1650-gc3fd37755f');
    expect(settings.realm_url).toBe('http://localhost:9991');
    expect(last().headers.authorization).toBeUndefined();
  });

  it('form-encodes POST bodies with JSON-encoded lists, objects and booleans', async () => {
    serve(fixture('register-200.json'));
    await clientFor(server).register({
      event_types: ['realm_user', 'presence'],
      fetch_event_types: ['realm_user', 'presence', 'realm'],
      slim_presence: true,
      presence_history_limit_days: 365,
      client_gravatar: false,
      client_capabilities: { notification_settings_null: true, simplified_presence_events: true },
    });
    expect(last().method).toBe('POST');
    expect(last().url).toBe('/api/v1/register');
    expect(last().headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = Object.fromEntries(new URLSearchParams(last().body));
    expect(form).toEqual({
      event_types: '["realm_user","presence"]',
      fetch_event_types: '["realm_user","presence","realm"]',
      slim_presence: 'true',
      presence_history_limit_days: '365',
      client_gravatar: 'false',
      client_capabilities: '{"notification_settings_null":true,"simplified_presence_events":true}',
    });
  });

  it('puts the queue in the /events query and the DELETE body', async () => {
    serve(fixture('events-200.json'));
    await clientFor(server).getEvents({ queueId: 'fb67bf8a-c031', lastEventId: 7, dontBlock: true });
    expect(last().url).toBe('/api/v1/events?queue_id=fb67bf8a-c031&last_event_id=7&dont_block=true');
    serve({ result: 'success', msg: '' });
    await clientFor(server).deleteQueue('fb67bf8a-c031');
    expect(last().method).toBe('DELETE');
    expect(last().url).toBe('/api/v1/events');
    expect(last().body).toBe('queue_id=fb67bf8a-c031');
  });

  it('uses /users/{user_id} for ids and /users/{email} for emails', async () => {
    serve(fixture('get-user-200.json'));
    const byId = await clientFor(server).getUser(10, { includeCustomProfileFields: true });
    expect(last().url).toBe('/api/v1/users/10?include_custom_profile_fields=true');
    expect(byId.fullName).toBe('King Hamlet');
    serve(fixture('get-user-by-email-200.json'));
    await clientFor(server).getUser('hamlet@zulip.com');
    expect(last().url).toBe('/api/v1/users/hamlet%40zulip.com');
  });

  it('spends none of the request budget on GET and DELETE /events (Tornado keeps its own buckets)', async () => {
    const budget = new RateBudget();
    // Blocked by a 429 elsewhere: a budgeted call would wait; the long-poll goes out at once.
    budget.block(60);
    const limits = { 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '3', 'X-RateLimit-Reset': String(Date.now() / 1000 + 30) };
    serve(fixture('events-200.json'), 200, limits);
    await clientFor(server, { budget }).getEvents({ queueId: 'q', lastEventId: -1 });
    serve({ result: 'success', msg: '' }, 200, limits);
    await clientFor(server, { budget }).deleteQueue('q');
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'DELETE']);
    // Their rate-limit headers describe Tornado's buckets, not the budget's.
    expect(budget.snapshot()).toMatchObject({ limit: null, remaining: null });
  });
});

describe('an injected fetch', () => {
  it('is used for every call', async () => {
    const seen: string[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      seen.push(`${init?.method} ${String(input)}`);
      return new Response(JSON.stringify(fixture('get-user-status-200.json')), { status: 200 });
    };
    const client = createZulipClient(configFor('https://chat.example.com'), { fetch: fakeFetch, budget: new RateBudget() });
    expect((await client.getUserStatus(10)).text).toBe('on vacation');
    expect(seen).toEqual(['GET https://chat.example.com/api/v1/users/10/status']);
  });
});

describe("parsing Zulip's examples", () => {
  it('GET /users: members with profile data, bots and nulls', async () => {
    serve(fixture('get-users-200.json'));
    const members = await clientFor(server).getUsers();
    expect(members.length).toBeGreaterThan(1);
    expect(members).toHaveLength(fixture<{ members: unknown[] }>('get-users-200.json').members.length);
    const hamlet = members.find((m) => m.id === 10)!;
    expect(hamlet.profile['7']).toBe('[11]');
    expect(hamlet.deliveryEmail).toBeNull();
    expect(members.some((m) => m.isBot)).toBe(true);
    expect(issues).toEqual([]);
  });

  it('GET /realm/profile_fields: all eight field types (field_data may be absent)', async () => {
    serve(fixture('get-profile-fields-200.json'));
    const fields = await clientFor(server).getProfileFields();
    expect(new Set(fields.map((f) => f.type))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    const pronouns = fields.find((f) => f.type === 8)!;
    expect(pronouns.fieldData).toBe('');
    expect(issues).toEqual([]);
  });

  it('GET /users/{id}/status', async () => {
    serve(fixture('get-user-status-200.json'));
    expect(await clientFor(server).getUserStatus(10)).toEqual({
      text: 'on vacation',
      emojiName: 'car',
      emojiCode: '1f697',
      reactionType: 'unicode_emoji',
    });
    expect(last().url).toBe('/api/v1/users/10/status');
  });

  it('GET /users/{id}/status 400 "No such user"', async () => {
    serve(fixture('get-user-status-400.json'), 400);
    const err = await caught(clientFor(server).getUserStatus(999));
    expect(err).toMatchObject({ kind: 'http', status: 400, code: 'BAD_REQUEST', zulipMessage: 'No such user', endpoint: 'GET /users/{user_id}/status' });
  });

  it('GET /realm/presence: legacy per-client records keyed by email, folded into the modern pair', async () => {
    serve(fixture('realm-presence-200.json'));
    const res = await clientFor(server).getRealmPresence();
    expect(res.serverTimestamp).toBe(1656958539.6287155);
    expect(res.byApiEmail.get('iago@zulip.com')).toEqual({ activeTimestamp: 1656958485, idleTimestamp: 0 });
    expect(res.byId.size).toBe(0);
    expect(res.complete).toBe(true);
    expect(issues).toEqual([]);
  });

  it('POST /register: the minimal example', async () => {
    serve(fixture('register-200.json'));
    const state = await clientFor(server).register({});
    expect(state).toMatchObject({ queueId: 'fb67bf8a-c031-47cc-84cf-ed80accacda8', lastEventId: -1, featureLevel: 2, zulipVersion: '5.0-dev-1650-gc3fd37755f' });
    expect(state).toMatchObject({ users: [], fields: [], statuses: new Map() });
    expect(state.presence).toEqual({ byId: new Map(), byApiEmail: new Map(), complete: true, serverTimestamp: null });
    expect(state.realm).toEqual({ name: null, url: null, presenceDisabled: false, offlineThresholdSeconds: null, pingIntervalSeconds: null, longpollTimeoutSeconds: null, emailAddressVisibility: null });
    expect(state.account).toEqual({ userId: null, role: null });
  });

  it('POST /register: modern presences and realm fields', async () => {
    const modern = fixture<{ presences: object; server_timestamp: number; presence_last_update_id: number }>('update-presence-200-modern.json');
    const users = fixture<{ members: object[] }>('get-users-200.json').members;
    serve({
      ...fixture('register-200.json'),
      presences: modern.presences,
      server_timestamp: modern.server_timestamp,
      presence_last_update_id: modern.presence_last_update_id,
      realm_users: users,
      realm_non_active_users: [],
      custom_profile_fields: fixture<{ custom_fields: object[] }>('get-profile-fields-200.json').custom_fields,
      user_status: { '10': fixture<{ status: object }>('get-user-status-200.json').status },
      realm_presence_disabled: false,
      server_presence_ping_interval_seconds: 60,
      server_presence_offline_threshold_seconds: 200,
      event_queue_longpoll_timeout_seconds: 90,
      realm_url: 'http://localhost:9991',
      realm_name: 'Zulip Dev',
    });
    const state = await clientFor(server).register({ slim_presence: true });
    expect(state.presence.byId.get(10)).toEqual({ idleTimestamp: 1656958530, activeTimestamp: 1656958520 });
    expect(state.presence.serverTimestamp).toBe(1656958539.6287155);
    expect(state.users).toHaveLength(users.length);
    expect(state.fields).toHaveLength(9);
    expect(state.statuses.get(10)?.text).toBe('on vacation');
    expect(state.realm).toEqual({
      name: 'Zulip Dev',
      url: 'http://localhost:9991',
      presenceDisabled: false,
      offlineThresholdSeconds: 200,
      pingIntervalSeconds: 60,
      longpollTimeoutSeconds: 90,
      emailAddressVisibility: null,
    });
    expect(issues).toEqual([]);
  });

  // This used to be refused as a whole; servers that ignore slim_presence are now read too.
  it('POST /register: legacy presences (a server that ignores slim_presence) are folded and keyed by API email', async () => {
    const legacy = fixture<{ presences: object }>('update-presence-200-legacy.json');
    serve({ ...fixture('register-200.json'), presences: legacy.presences });
    const state = await clientFor(server).register({});
    expect(state.presence.byApiEmail.get('user@example.com')).toEqual({ activeTimestamp: 0, idleTimestamp: 1594825445 });
    expect(state.presence.byId.size).toBe(0);
    expect(issues).toEqual([]);
  });

  it('GET /events: event types the app does not use are dropped silently, their ids acknowledged', async () => {
    serve(fixture('events-200.json'));
    const batch = await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 });
    expect(batch).toEqual({ updates: [], lastEventId: 1 });
    expect(issues).toEqual([]);
  });

  it.each([
    ['event-heartbeat.json', []],
    ['event-presence.json', ['presence_changed']],
    ['event-realm-user-add.json', ['user_added']],
    ['event-realm-user-update.json', ['user_updated']],
    ['event-realm-user-remove.json', ['user_removed']],
    ['event-user-status.json', ['status_changed']],
    ['event-custom-profile-fields.json', ['fields_changed']],
    ['event-restart.json', ['restart']],
    ['event-realm-update.json', []],
  ])('GET /events: %s reads as %j', async (file, kinds) => {
    serve(eventsOf(fixture(file)));
    const { updates, lastEventId } = await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 });
    expect(updates.map((u) => u.kind)).toEqual(kinds);
    expect(lastEventId).toBe(0);
    expect(issues).toEqual([]);
  });

  it("GET /events: Zulip's event examples read into the app's updates", async () => {
    serve(eventsOf(fixture('event-realm-user-update.json'), { ...fixture('event-realm-user-remove.json'), id: 1 }, { ...fixture('event-user-status.json'), id: 2 }));
    const { updates } = await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 });
    expect(updates).toEqual([
      { kind: 'user_updated', userId: 10, changes: { avatarUrl: 'https://secure.gravatar.com/avatar/6d8cad0fd00256e7b40691d27ddfd466?d=identicon&version=3' } },
      { kind: 'user_removed', userId: 35 },
      { kind: 'status_changed', userId: 10, status: { text: 'out to lunch', emojiName: 'car', emojiCode: '1f697', reactionType: 'unicode_emoji' } },
    ]);
  });

  it('GET /events: legacy and simplified (FL 419) presence events are told apart', async () => {
    const simplified = { type: 'presence', presences: { '10': { active_timestamp: 1594825445, idle_timestamp: 1594825445 } }, id: 1 };
    serve(eventsOf(fixture('event-presence.json'), simplified));
    const { updates } = await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 });
    const [legacy, modern] = updates;
    if (legacy?.kind !== 'presence_changed' || modern?.kind !== 'presence_changed') throw new Error('expected presence updates');
    // The legacy event's one `website` record, idle: it raises the idle time only.
    expect(legacy.presence.byId.get(10)).toEqual({ activeTimestamp: 0, idleTimestamp: 1594825445 });
    expect(legacy.presence.serverTimestamp).toBe(1594825445.3200784);
    expect(modern.presence.byId.get(10)).toEqual({ activeTimestamp: 1594825445, idleTimestamp: 1594825445 });
    expect(modern.presence.complete).toBe(true);
  });

  it('GET /events: one odd entry of a simplified presence event is reported and skipped, the others apply ("several users in a single event")', async () => {
    const event = { type: 'presence', presences: { '11': { active_timestamp: 5, idle_timestamp: 6 }, '12': { active_timestamp: 'x' }, abc: { active_timestamp: 1, idle_timestamp: 1 } }, id: 1 };
    serve(eventsOf(event));
    const [update] = (await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 })).updates;
    if (update?.kind !== 'presence_changed') throw new Error('expected a presence update');
    expect([...update.presence.byId]).toEqual([[11, { activeTimestamp: 5, idleTimestamp: 6 }]]);
    expect(issues.map((i) => [i.kind, i.id])).toEqual([
      ['presence', '12'],
      ['presence', 'abc'],
    ]);
  });

  it('GET /events: a legacy presence event is a whole row only when register said the server is 7.0 (FL 178) or newer', async () => {
    const client = clientFor(server);
    const presenceOf = async () => {
      serve(eventsOf(fixture('event-presence.json')));
      const [update] = (await client.getEvents({ queueId: 'q', lastEventId: -1 })).updates;
      if (update?.kind !== 'presence_changed') throw new Error('expected a presence update');
      return update.presence;
    };
    serve({ ...fixture('register-200.json'), zulip_feature_level: 177 });
    await client.register({});
    expect((await presenceOf()).complete).toBe(false);
    serve({ ...fixture('register-200.json'), zulip_feature_level: 178 });
    await client.register({});
    expect((await presenceOf()).complete).toBe(true);
  });

  it('GET /events: a known event with a broken shape is reported and skipped, not a failed poll', async () => {
    serve(eventsOf({ type: 'realm_user', op: 'add', id: 3 }, { type: 'heartbeat', id: 4 }));
    const batch = await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 });
    expect(batch).toEqual({ updates: [], lastEventId: 4 });
    expect(issues).toEqual([{ kind: 'event', id: '3', reason: expect.stringContaining('person'), endpoint: 'GET /events' }]);
  });

  it('rejects a success response that lacks what we use', async () => {
    serve({ result: 'success', msg: '', users: [] });
    const err = await caught(clientFor(server).getUsers());
    expect(isZulipError(err)).toBe(true);
    expect(err).toMatchObject({ kind: 'invalid_response', endpoint: 'GET /users', status: 200 });
    expect((err as Error).message).toContain('members');
  });
});
