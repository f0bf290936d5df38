// POST /register, GET/DELETE /events and the events the demo sends (docs/zulip.md §e).
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { activeHuman, call, control, credsOf, expectShape, findUser, fixture, newPerson, startTestServer, UA, type Creds, type TestServer } from './helpers';

type Event = Record<string, unknown> & { id: number; type: string };

async function register(server: TestServer, params: Record<string, unknown> = {}, auth: Creds = server.bot) {
  const res = await call(server, 'register', { method: 'POST', auth, params: params as Record<string, string> });
  if (res.status !== 200) throw new Error(`register failed: ${res.text}`);
  return res.body as Record<string, unknown> & { queue_id: string; last_event_id: number };
}

/** Events after `lastEventId`, without waiting. */
async function poll(server: TestServer, queueId: string, lastEventId = -1, auth: Creds = server.bot): Promise<Event[]> {
  const res = await call(server, 'events', { auth, params: { queue_id: queueId, last_event_id: lastEventId, dont_block: true } });
  if (res.status !== 200) throw new Error(`poll failed: ${res.text}`);
  return res.body.events as Event[];
}

const post = (server: TestServer, creds: Creds, status: string, ua = UA.browser) =>
  call(server, 'users/me/presence', { method: 'POST', auth: creds, headers: { 'user-agent': ua }, params: { status, ping_only: true } });

describe.each([150, 372, 497])('POST /register at feature level %i', (featureLevel) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel, users: 40 });
  });
  afterAll(() => server.close());

  it('always names the queue and the version, in the shape of Zulip\'s example', async () => {
    const body = await register(server, { fetch_event_types: [] });
    expect(body.last_event_id).toBe(-1);
    expect(body.queue_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.zulip_feature_level).toBe(featureLevel);
    expectShape(body, fixture('register-200.json'), { absent: { '$.realm_emoji': 'only when realm_emoji is fetched' } });
  });

  it('returns the realm settings a directory needs, by feature level', async () => {
    const body = await register(server, { fetch_event_types: ['realm'] });
    expect(body.realm_presence_disabled).toBe(false);
    expect(body.realm_name).toBe(server.org.realm.name);
    expect(body.realm_uri).toBe(server.site);
    expect(body.event_queue_longpoll_timeout_seconds).toBe(90);
    if (featureLevel >= 164) {
      expect(body.server_presence_ping_interval_seconds).toBe(60);
      expect(body.server_presence_offline_threshold_seconds).toBe(200);
    } else {
      expect(body).not.toHaveProperty('server_presence_ping_interval_seconds');
      expect(body).not.toHaveProperty('server_presence_offline_threshold_seconds');
    }
    if (featureLevel >= 257) expect(body.realm_url).toBe(server.site);
    else expect(body).not.toHaveProperty('realm_url');
    expect(body).not.toHaveProperty('realm_users');
    expect(body).not.toHaveProperty('presences');
  });

  it('splits users into active, deactivated and cross-realm bots', async () => {
    const body = await register(server, { fetch_event_types: ['realm_user'], client_gravatar: false });
    const active = body.realm_users as Array<Record<string, unknown>>;
    const inactive = body.realm_non_active_users as Array<Record<string, unknown>>;
    const ids = (list: Array<Record<string, unknown>>) => list.map((u) => u.user_id);
    expect(ids(active)).toEqual(server.org.users.filter((u) => u.is_active).map((u) => u.user_id));
    expect(ids(inactive)).toEqual(server.org.users.filter((u) => !u.is_active).map((u) => u.user_id));
    for (const u of [...active, ...inactive]) expect(u).not.toHaveProperty('is_active');
    expect(active.every((u) => typeof u.avatar_url === 'string')).toBe(true);
    const bots = body.cross_realm_bots as Array<Record<string, unknown>>;
    expect(bots.map((b) => b.full_name)).toEqual(['Email Gateway', 'Notification Bot', 'Welcome Bot']);
    expect(bots.every((b) => b.is_system_bot === true && b.is_bot === true && b.bot_owner_id === null)).toBe(true);
    expect(body.user_id).toBe(server.org.directoryBotId);
    expect(body.email).toBe(server.bot.email);
    const absent: Record<string, string> = { '$.realm_users[*].is_active': 'register drops is_active', '$.realm_users[*].bot_type': 'bots only' };
    if (featureLevel < 163) absent['$.realm_users[*].delivery_email'] = 'before FL 163 only for restricted addresses';
    const extra: Record<string, string> = { '$.realm_users[*].avatar_version': 'in every User object' };
    if (featureLevel < 363) extra['$.realm_users[*].is_billing_admin'] = 'FL 73 to 363';
    if (featureLevel >= 433) extra['$.realm_users[*].is_imported_stub'] = 'FL 433';
    const members = fixture('get-users-200.json').members;
    expectShape({ realm_users: active }, { realm_users: members }, { absent, extra, nullable: ['$.realm_users[*].delivery_email', '$.realm_users[*].avatar_url'], maps: ['$.realm_users[*].profile_data'] });
  });

  it('returns presence modern or legacy, with presence_last_update_id from FL 263', async () => {
    const legacy = await register(server, { fetch_event_types: ['presence'] });
    expect(Object.keys(legacy.presences as object).every((k) => k.includes('@'))).toBe(true);
    expect(typeof legacy.server_timestamp).toBe('number');
    const modern = await register(server, { fetch_event_types: ['presence'], slim_presence: true, presence_history_limit_days: 365 });
    const presences = modern.presences as Record<string, { active_timestamp?: number; idle_timestamp?: number }>;
    expect(Object.keys(presences).length).toBeGreaterThan(0);
    for (const [id, entry] of Object.entries(presences)) {
      expect(id).toMatch(/^\d+$/);
      // Zulip 6.1 zerver/lib/presence.py get_modern_user_presence_info: before 7.0 a key no
      // client row has is left out (presence-versions.test.ts has the details).
      if (featureLevel >= 178) expect(Object.keys(entry).sort()).toEqual(['active_timestamp', 'idle_timestamp']);
      else expect(Object.keys(entry).length).toBeGreaterThan(0);
    }
    if (featureLevel >= 263) expect(typeof modern.presence_last_update_id).toBe('number');
    else expect(modern).not.toHaveProperty('presence_last_update_id');
    if (featureLevel >= 288) {
      const none = await register(server, { fetch_event_types: ['presence'], slim_presence: true, presence_history_limit_days: 0 });
      expect(none.presences).toEqual({});
    }
  });

  it('returns user statuses and custom profile fields', async () => {
    const person = await newPerson(server);
    await call(server, 'users/me/status', { method: 'POST', auth: person.creds, params: { status_text: 'Testing', emoji_name: 'car' } });
    const body = await register(server, { fetch_event_types: ['user_status', 'custom_profile_fields'] });
    const statuses = body.user_status as Record<string, Record<string, unknown>>;
    expect(statuses[String(person.user_id)]).toEqual({ status_text: 'Testing', emoji_name: 'car', emoji_code: '1f697', reaction_type: 'unicode_emoji' });
    for (const status of Object.values(statuses)) expect(Object.keys(status).length).toBeGreaterThan(0);
    const invisible = server.org.users.find((u) => u.is_active && !u.presence_enabled && Object.keys(u.status).length > 0);
    if (invisible) expect(statuses[String(invisible.user_id)]!.away).toBe(true);
    expect((body.custom_profile_fields as unknown[]).length).toBeGreaterThan(0);
    expect(body.custom_profile_field_types).toHaveProperty('SHORT_TEXT');
  });

  it('validates client_capabilities', async () => {
    const notDict = await call(server, 'register', { method: 'POST', params: { client_capabilities: [1] } });
    expect(notDict.body).toEqual({ result: 'error', msg: 'client_capabilities is not a dict', code: 'BAD_REQUEST' });
    const notBool = await call(server, 'register', { method: 'POST', params: { client_capabilities: { notification_settings_null: true, user_list_incomplete: 1 } } });
    expect(notBool.body.msg).toBe('client_capabilities["user_list_incomplete"] is not a boolean');
  });

  it('refuses client_capabilities without notification_settings_null, as every Zulip does (check_dict in events_register_backend)', async () => {
    const missing = await call(server, 'register', { method: 'POST', params: { client_capabilities: { simplified_presence_events: true } } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ result: 'error', msg: 'notification_settings_null key is missing from client_capabilities', code: 'BAD_REQUEST' });
    // Without the object at all, the server's default capabilities apply.
    expect((await call(server, 'register', { method: 'POST' })).status).toBe(200);
  });
});

describe('GET and DELETE /events', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel: 372, users: 30, heartbeatSeconds: 0.4, queueGcSeconds: 0.1 });
  });
  afterAll(() => server.close());

  it('has the documented BAD_REQUEST errors and BAD_EVENT_QUEUE_ID', async () => {
    const noQueue = await call(server, 'events');
    expect(noQueue.body).toEqual({ result: 'error', msg: "Missing 'queue_id' argument", code: 'BAD_REQUEST' });
    const { queue_id } = await register(server);
    const noLast = await call(server, 'events', { params: { queue_id } });
    expect(noLast.body).toEqual({ result: 'error', msg: "Missing 'last_event_id' argument", code: 'BAD_REQUEST' });
    const bad = await call(server, 'events', { params: { queue_id: 'nonexistent-queue', last_event_id: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ result: 'error', msg: 'Bad event queue ID: nonexistent-queue', code: 'BAD_EVENT_QUEUE_ID', queue_id: 'nonexistent-queue' });
    expectShape(bad.body, fixture('error-bad-event-queue-id.json'));
    // Zulip 9.0 zerver/tornado/event_queue.py access_client_descriptor: someone else's queue
    // is answered like an unknown one (before FL 145: events-versions.test.ts).
    const human = findUser(server, activeHuman);
    const other = await call(server, 'events', { auth: credsOf(human), params: { queue_id, last_event_id: -1 } });
    expect(other.status).toBe(400);
    expect(other.body).toEqual({ result: 'error', msg: `Bad event queue ID: ${queue_id}`, code: 'BAD_EVENT_QUEUE_ID', queue_id });
  });

  it('answers dont_block at once, naming the queue only when it made one', async () => {
    const { queue_id } = await register(server);
    const res = await call(server, 'events', { params: { queue_id, last_event_id: -1, dont_block: true } });
    expect(res.body).toEqual({ result: 'success', msg: '', events: [] });
    const made = await call(server, 'events', { params: { dont_block: true, event_types: ['presence'] } });
    expect(made.body.events).toEqual([]);
    expect(made.body.queue_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await poll(server, made.body.queue_id as string)).length).toBe(0);
  });

  it('long-polls until a heartbeat, then prunes acknowledged events', async () => {
    const { queue_id } = await register(server, { event_types: ['presence'] });
    const started = Date.now();
    const res = await call(server, 'events', { params: { queue_id, last_event_id: -1 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(res.body).toEqual({ result: 'success', msg: '', events: [{ type: 'heartbeat', id: 0 }], queue_id });
    // Envelope only: the spec's example events are messages, which the demo never sends.
    expectShape({ ...res.body, events: [] }, { ...fixture('events-200.json'), events: [] });
    expectShape((res.body.events as Event[])[0], fixture('event-heartbeat.json'));
    // Not acknowledged yet: the heartbeat is still there.
    expect(await poll(server, queue_id, -1)).toEqual([{ type: 'heartbeat', id: 0 }]);
    // Acknowledged: the next long-poll waits for the next heartbeat.
    const next = await call(server, 'events', { params: { queue_id, last_event_id: 0 } });
    expect(next.body.events).toEqual([{ type: 'heartbeat', id: 1 }]);
    await poll(server, queue_id, 1);
    const pruned = await call(server, 'events', { params: { queue_id, last_event_id: -1, dont_block: true } });
    expect(pruned.body).toEqual({ result: 'error', msg: 'An event newer than -1 has already been pruned!', code: 'BAD_REQUEST' });
    const unknown = await call(server, 'events', { params: { queue_id, last_event_id: 7, dont_block: true } });
    expect(unknown.body).toEqual({ result: 'error', msg: 'Event 7 was not in this queue', code: 'BAD_REQUEST' });
  });

  it('wakes a waiting long-poll when an event arrives, and lets a newer poll supersede it', async () => {
    const person = await newPerson(server);
    const { queue_id } = await register(server, { event_types: ['user_status'] });
    const first = call(server, 'events', { params: { queue_id, last_event_id: -1 } });
    await new Promise((r) => setTimeout(r, 50));
    const second = call(server, 'events', { params: { queue_id, last_event_id: -1 } });
    expect((await first).body.events).toEqual([]); // answered empty when superseded
    await new Promise((r) => setTimeout(r, 50));
    await call(server, 'users/me/status', { method: 'POST', auth: person.creds, params: { status_text: 'Lunch' } });
    const woken = await second;
    expect(woken.body.events).toEqual([{ type: 'user_status', user_id: person.user_id, status_text: 'Lunch', id: 0 }]);
  });

  it('deletes queues, with the documented errors', async () => {
    const missing = await call(server, 'events', { method: 'DELETE' });
    expect(missing.body).toEqual({ result: 'error', msg: "Missing 'queue_id' argument", code: 'REQUEST_VARIABLE_MISSING', var_name: 'queue_id' });
    const unknown = await call(server, 'events', { method: 'DELETE', params: { queue_id: 'nope' } });
    expect(unknown.body.code).toBe('BAD_EVENT_QUEUE_ID');
    const { queue_id } = await register(server);
    const human = findUser(server, activeHuman);
    // Zulip 9.0 zerver/tornado/views.py cleanup_event_queue → access_client_descriptor.
    const other = await call(server, 'events', { method: 'DELETE', auth: credsOf(human), params: { queue_id } });
    expect(other.body).toEqual({ result: 'error', msg: `Bad event queue ID: ${queue_id}`, code: 'BAD_EVENT_QUEUE_ID', queue_id });
    const waiting = call(server, 'events', { params: { queue_id, last_event_id: -1 } });
    await new Promise((r) => setTimeout(r, 50));
    const deleted = await call(server, 'events', { method: 'DELETE', params: { queue_id } });
    expect(deleted.body).toEqual({ result: 'success', msg: '' });
    expect((await waiting).body.code).toBe('BAD_EVENT_QUEUE_ID');
    expect((await call(server, 'events', { params: { queue_id, last_event_id: -1 } })).body.code).toBe('BAD_EVENT_QUEUE_ID');
  });

  it('expires idle queues after their lifespan, never while a GET is waiting', async () => {
    const { queue_id } = await register(server, { queue_lifespan_secs: 5 });
    const waiting = call(server, 'events', { params: { queue_id, last_event_id: -1 } });
    await new Promise((r) => setTimeout(r, 30));
    server.advance(60);
    await new Promise((r) => setTimeout(r, 250)); // several garbage collections
    expect((await waiting).body.events).toEqual([{ type: 'heartbeat', id: 0 }]);
    // Idle from now on: gone once the lifespan has passed again.
    server.advance(4);
    await new Promise((r) => setTimeout(r, 250));
    expect((await poll(server, queue_id, 0)).length).toBe(0);
    server.advance(6);
    // (Polling would keep the queue alive, so only look once collection has run.)
    await new Promise((r) => setTimeout(r, 250));
    expect((await call(server, 'events', { params: { queue_id, last_event_id: 0, dont_block: true } })).body.code).toBe('BAD_EVENT_QUEUE_ID');
    // The default lifespan is ten minutes.
    const { queue_id: normal } = await register(server);
    server.advance(599);
    await new Promise((r) => setTimeout(r, 250));
    expect((await poll(server, normal)).length).toBe(0);
    server.advance(601);
    await new Promise((r) => setTimeout(r, 250));
    expect((await call(server, 'events', { params: { queue_id: normal, last_event_id: -1, dont_block: true } })).body.code).toBe('BAD_EVENT_QUEUE_ID');
  });

  it('notices a long-poll whose client hung up, so the queue can expire', async () => {
    const { queue_id } = await register(server, { queue_lifespan_secs: 5 });
    const abort = new AbortController();
    const waiting = call(server, 'events', { params: { queue_id, last_event_id: -1 }, signal: abort.signal });
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await expect(waiting).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    server.advance(10);
    await new Promise((r) => setTimeout(r, 250));
    expect((await call(server, 'events', { params: { queue_id, last_event_id: -1, dont_block: true } })).body.code).toBe('BAD_EVENT_QUEUE_ID');
  });

  it("counts long-polls against Tornado's own rate limit", async () => {
    // Zulip 9.0 zerver/lib/rate_limiter.py TornadoInMemoryRateLimiterBackend.need_to_limit: a
    // leaky bucket that takes `requests` calls at once (tornado-rate-limit.test.ts has the rest).
    const limited = await startTestServer({ users: 10, rateLimit: { requests: 3, windowSeconds: 60 } });
    onTestFinished(() => limited.close());
    const { queue_id } = await register(limited);
    for (let i = 0; i < 3; i++) await poll(limited, queue_id);
    const res = await call(limited, 'events', { params: { queue_id, last_event_id: -1, dont_block: true } });
    expect(res.status).toBe(429);
  });
});

describe.each([150, 372, 497])('events at feature level %i', (featureLevel) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel, users: 40 });
  });
  afterAll(() => server.close());

  it('sends a presence event when someone comes online, never for going idle', async () => {
    const legacy = await register(server, { event_types: ['presence'] });
    const slim = await register(server, { event_types: ['presence'], slim_presence: true });
    const simplified = await register(server, { event_types: ['presence'], client_capabilities: { notification_settings_null: true, simplified_presence_events: true } });
    const person = await newPerson(server);
    await post(server, person.creds, 'active', UA.mobile);
    const nowSec = Math.floor(server.nowMs() / 1000);
    const [event] = await poll(server, legacy.queue_id);
    const client = featureLevel < 178 ? 'ZulipMobile' : 'website';
    expect(event).toMatchObject({ type: 'presence', user_id: person.user_id, email: person.email, presence: { [client]: { client, status: 'active', timestamp: nowSec, pushable: false } } });
    expectShape(event, fixture('event-presence.json'), { maps: ['$.presence'] });
    const [slimEvent] = await poll(server, slim.queue_id);
    expect(slimEvent).not.toHaveProperty('email');
    expect(slimEvent!.user_id).toBe(person.user_id);
    const [simple] = await poll(server, simplified.queue_id);
    if (featureLevel >= 419) {
      expect(simple).toEqual({ type: 'presence', presences: { [String(person.user_id)]: { active_timestamp: nowSec, idle_timestamp: nowSec } }, id: 0 });
    } else {
      expect(simple).toHaveProperty('presence');
    }

    // Zulip 9.0 zerver/actions/presence.py do_update_user_presence (`now_online`): still online,
    // no event; idle, no event; back after more than 130 s without activity, an event. Servers
    // before 7.0 decide per client row instead (events-versions.test.ts).
    if (featureLevel < 178) return;
    server.advance(100);
    await post(server, person.creds, 'active');
    server.advance(100);
    await post(server, person.creds, 'idle');
    expect(await poll(server, legacy.queue_id, 0)).toEqual([]);
    server.advance(40);
    await post(server, person.creds, 'active');
    expect((await poll(server, legacy.queue_id, 0)).map((e) => e.type)).toEqual(['presence']);
  });

  it('sends no presence events while presence is disabled', async () => {
    const { queue_id } = await register(server, { event_types: ['presence', 'realm'] });
    await control(server, 'POST', '/demo/realm', { presence_disabled: true });
    const person = await newPerson(server);
    await post(server, person.creds, 'active');
    await control(server, 'POST', '/demo/realm', { presence_disabled: false });
    const events = await poll(server, queue_id);
    expect(events.map((e) => [e.type, e.value])).toEqual([
      ['realm', true],
      ['realm', false],
    ]);
    expectShape(events[0], fixture('event-realm-update.json'));
  });

  it('sends realm_user add and updates, and deactivation as the level does', async () => {
    const { queue_id } = await register(server, { event_types: ['realm_user'] });
    const person = await newPerson(server, { full_name: 'New Hire' });
    const [add] = await poll(server, queue_id);
    expect(add).toMatchObject({ type: 'realm_user', op: 'add', person: { user_id: person.user_id, full_name: 'New Hire', is_active: true } });
    const absent: Record<string, string> = {};
    if (featureLevel < 163) absent['$.person.delivery_email'] = 'before FL 163 only for restricted addresses';
    const extra: Record<string, string> = {};
    if (featureLevel < 363) extra['$.person.is_billing_admin'] = 'FL 73 to 363';
    if (featureLevel >= 433) extra['$.person.is_imported_stub'] = 'FL 433';
    expectShape(add, fixture('event-realm-user-add.json'), { absent, extra, nullable: ['$.person.delivery_email'] });

    const field = server.org.profileFields.find((f) => f.type === 1)!;
    await control(server, 'PATCH', `/demo/users/${person.user_id}`, { full_name: 'Renamed Hire', profile_data: { [field.id]: 'Engineer' } });
    const updates = await poll(server, queue_id, 0);
    expect(updates.map((e) => e.person)).toEqual([
      { user_id: person.user_id, full_name: 'Renamed Hire' },
      { user_id: person.user_id, custom_profile_field: { id: field.id, value: 'Engineer', rendered_value: '<p>Engineer</p>' } },
    ]);
    const variants = fixture('event-realm-user-update-person-variants.json') as unknown as Array<Record<string, unknown>>;
    for (const update of updates) {
      const keys = Object.keys(update.person as object).sort();
      expect(variants.some((v) => JSON.stringify(Object.keys(v).sort()) === JSON.stringify(keys)), keys.join()).toBe(true);
    }

    await control(server, 'PATCH', `/demo/users/${person.user_id}`, { is_active: false });
    await control(server, 'PATCH', `/demo/users/${person.user_id}`, { is_active: true });
    const [off, on] = await poll(server, queue_id, 2);
    if (featureLevel >= 222) {
      expect(off).toMatchObject({ op: 'update', person: { user_id: person.user_id, is_active: false } });
      expect(on).toMatchObject({ op: 'update', person: { user_id: person.user_id, is_active: true } });
    } else {
      expect(off).toMatchObject({ op: 'remove', person: { user_id: person.user_id, full_name: 'Renamed Hire' } });
      expectShape(off, fixture('event-realm-user-remove.json'));
      expect(on).toMatchObject({ op: 'add', person: { user_id: person.user_id } });
    }
  });

  it('sends user_status and custom_profile_fields events, only to queues that asked', async () => {
    const statusQueue = await register(server, { event_types: ['user_status'] });
    const fieldsQueue = await register(server, { event_types: ['custom_profile_fields'] });
    const human = findUser(server, activeHuman);
    const set = await call(server, 'users/me/status', { method: 'POST', auth: credsOf(human), params: { status_text: 'In a meeting', emoji_name: 'calendar' } });
    expect(set.body).toEqual({ result: 'success', msg: '' });
    const [status] = await poll(server, statusQueue.queue_id);
    expect(status).toEqual({ type: 'user_status', user_id: human.user_id, status_text: 'In a meeting', emoji_name: 'calendar', emoji_code: '1f4c5', reaction_type: 'unicode_emoji', id: 0 });
    expectShape(status, fixture('event-user-status.json'), { absent: { '$.away': 'only the changed keys are sent' } });
    expect(await poll(server, fieldsQueue.queue_id)).toEqual([]);

    const field = server.org.profileFields[0]!;
    await control(server, 'PATCH', `/demo/profile_fields/${field.id}`, { hint: 'A new hint' });
    const [fields] = await poll(server, fieldsQueue.queue_id);
    expect(fields!.type).toBe('custom_profile_fields');
    expect((fields!.fields as Array<{ id: number; hint: string }>).find((f) => f.id === field.id)!.hint).toBe('A new hint');
    const absent: Record<string, string> = {};
    if (featureLevel < 244) absent['$.fields[*].required'] = 'FL 244';
    if (featureLevel < 296) absent['$.fields[*].editable_by_user'] = 'FL 296';
    expectShape(fields, fixture('event-custom-profile-fields.json'), { absent, extra: featureLevel >= 455 ? { '$.fields[*].use_for_user_matching': 'FL 455' } : {} });
    expect(await poll(server, statusQueue.queue_id, 0)).toEqual([]);
  });
});

describe('presence events in big organizations', () => {
  it('are not sent above 100 active users', async () => {
    const server = await startTestServer({ users: 150 });
    onTestFinished(() => server.close());
    expect(server.org.users.filter((u) => u.is_active).length).toBeGreaterThan(100);
    const { queue_id } = await register(server, { event_types: ['presence'] });
    const person = await newPerson(server);
    await post(server, person.creds, 'active');
    expect(await poll(server, queue_id)).toEqual([]);
  });
});
