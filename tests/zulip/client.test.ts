import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createZulipClient } from '@/lib/zulip/client';
import { isZulipError } from '@/lib/zulip/errors';
import { RateBudget } from '@/lib/zulip/rate-budget';
import { BASIC, caught, clientFor, configFor, fixture, json, startServer, type TestServer } from './support';

// Zulip's published wire examples served by a local HTTP server and read through the client:
// this checks that our schemas accept what Zulip documents, and what we send on the wire.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const serve = (body: unknown, status = 200) => server.handle((_, res) => json(res, status, body));
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
      client_capabilities: { simplified_presence_events: true },
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
      client_capabilities: '{"simplified_presence_events":true}',
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
    expect(byId.full_name).toBe('King Hamlet');
    serve(fixture('get-user-by-email-200.json'));
    await clientFor(server).getUser('hamlet@zulip.com');
    expect(last().url).toBe('/api/v1/users/hamlet%40zulip.com');
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
    expect((await client.getUserStatus(10)).status_text).toBe('on vacation');
    expect(seen).toEqual(['GET https://chat.example.com/api/v1/users/10/status']);
  });
});

describe("parsing Zulip's examples", () => {
  it('GET /users: members with profile data, bots and nulls', async () => {
    serve(fixture('get-users-200.json'));
    const members = await clientFor(server).getUsers();
    expect(members.length).toBeGreaterThan(1);
    const hamlet = members.find((m) => m.user_id === 10)!;
    expect(hamlet.profile_data?.['7']?.value).toBe('[11]');
    expect(hamlet.delivery_email).toBeNull();
    expect(members.some((m) => m.is_bot)).toBe(true);
  });

  it('GET /realm/profile_fields: all eight field types (field_data may be absent)', async () => {
    serve(fixture('get-profile-fields-200.json'));
    const fields = await clientFor(server).getProfileFields();
    expect(new Set(fields.map((f) => f.type))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    const pronouns = fields.find((f) => f.type === 8)!;
    expect(pronouns.field_data).toBe('');
  });

  it('GET /users/{id}/status', async () => {
    serve(fixture('get-user-status-200.json'));
    expect(await clientFor(server).getUserStatus(10)).toEqual({
      status_text: 'on vacation',
      emoji_name: 'car',
      emoji_code: '1f697',
      reaction_type: 'unicode_emoji',
    });
    expect(last().url).toBe('/api/v1/users/10/status');
  });

  it('GET /users/{id}/status 400 "No such user"', async () => {
    serve(fixture('get-user-status-400.json'), 400);
    const err = await caught(clientFor(server).getUserStatus(999));
    expect(err).toMatchObject({ kind: 'http', status: 400, code: 'BAD_REQUEST', zulipMessage: 'No such user', endpoint: 'GET /users/{user_id}/status' });
  });

  it('GET /realm/presence: legacy per-client records keyed by email', async () => {
    serve(fixture('realm-presence-200.json'));
    const res = await clientFor(server).getRealmPresence();
    expect(res.server_timestamp).toBe(1656958539.6287155);
    expect(res.presences['iago@zulip.com']?.aggregated).toMatchObject({ status: 'active', timestamp: 1656958485 });
    expect(res.presences['iago@zulip.com']?.website?.pushable).toBe(false);
  });

  it('POST /register: the minimal example', async () => {
    serve(fixture('register-200.json'));
    const state = await clientFor(server).register({});
    expect(state).toMatchObject({ queue_id: 'fb67bf8a-c031-47cc-84cf-ed80accacda8', last_event_id: -1, zulip_feature_level: 2 });
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
    expect(state.presences?.['10']).toEqual({ idle_timestamp: 1656958530, active_timestamp: 1656958520 });
    expect(state.realm_users).toHaveLength(users.length);
    expect(state.user_status?.['10']?.status_text).toBe('on vacation');
    expect(state.event_queue_longpoll_timeout_seconds).toBe(90);
  });

  it('POST /register: legacy presences (no slim_presence) are rejected with a clear issue', async () => {
    const legacy = fixture<{ presences: object }>('update-presence-200-legacy.json');
    serve({ ...fixture('register-200.json'), presences: legacy.presences });
    const err = await caught(clientFor(server).register({}));
    expect(err).toMatchObject({ kind: 'invalid_response', endpoint: 'POST /register' });
    expect((err as Error).message).toContain('presences.user@example.com');
  });

  it('GET /events: unknown event types pass through as `unknown`', async () => {
    serve(fixture('events-200.json'));
    const { events, queue_id } = await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 });
    expect(queue_id).toBe('fb67bf8a-c031-47cc-84cf-ed80accacda8');
    expect(events.map((e) => e.type)).toEqual(['unknown', 'unknown']);
    const [first] = events;
    expect(first).toMatchObject({ type: 'unknown', id: 0, originalType: 'message' });
    expect(first && 'issue' in first ? first.issue : undefined).toBeUndefined();
  });

  it.each([
    ['event-heartbeat.json', 'heartbeat'],
    ['event-presence.json', 'presence'],
    ['event-realm-user-add.json', 'realm_user'],
    ['event-realm-user-update.json', 'realm_user'],
    ['event-realm-user-remove.json', 'realm_user'],
    ['event-user-status.json', 'user_status'],
    ['event-custom-profile-fields.json', 'custom_profile_fields'],
    ['event-restart.json', 'restart'],
  ])('GET /events: %s parses as a %s event', async (file, type) => {
    serve(eventsOf(fixture(file)));
    const { events } = await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 });
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe(type);
  });

  it('GET /events: legacy and simplified (FL 419) presence events are told apart', async () => {
    const simplified = { type: 'presence', presences: { '10': { active_timestamp: 1594825445, idle_timestamp: 1594825445 } }, id: 1 };
    serve(eventsOf(fixture('event-presence.json'), simplified));
    const { events } = await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 });
    const [legacy, modern] = events;
    if (legacy?.type !== 'presence' || modern?.type !== 'presence') throw new Error('expected presence events');
    expect('presence' in legacy && legacy.presence.website?.status).toBe('idle');
    expect('presences' in modern && modern.presences['10']?.active_timestamp).toBe(1594825445);
  });

  it('GET /events: a known event with a broken shape becomes `unknown` with the issue, not a failed poll', async () => {
    serve(eventsOf({ type: 'realm_user', op: 'add', id: 3 }, { type: 'heartbeat', id: 4 }));
    const { events } = await clientFor(server).getEvents({ queueId: 'q', lastEventId: -1 });
    expect(events[0]).toMatchObject({ type: 'unknown', id: 3, originalType: 'realm_user' });
    expect(events[0]?.type === 'unknown' && events[0].issue).toContain('person');
    expect(events[1]).toEqual({ type: 'heartbeat', id: 4 });
  });

  it('rejects a success response that lacks what we use', async () => {
    serve({ result: 'success', msg: '', users: [] });
    const err = await caught(clientFor(server).getUsers());
    expect(isZulipError(err)).toBe(true);
    expect(err).toMatchObject({ kind: 'invalid_response', endpoint: 'GET /users', status: 200 });
    expect((err as Error).message).toContain('members');
  });
});
