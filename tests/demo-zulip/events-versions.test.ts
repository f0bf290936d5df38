// Events as each Zulip version sends them (docs/zulip-versions.md §2, §4, §6): when a presence
// event goes out and its shape, the 100-user limit, the forced events of the presence_enabled
// setting, and how another user's event queue is refused.
import { describe, expect, it, onTestFinished } from 'vitest';
import { call, control, credsOf, newPerson, startTestServer, UA, type Creds, type Params, type TestServer } from './helpers';

type Event = Record<string, unknown> & { id: number; type: string };

async function start(featureLevel: number, users = 40): Promise<TestServer> {
  const server = await startTestServer({ featureLevel, users });
  onTestFinished(() => server.close());
  return server;
}

async function queue(server: TestServer, params: Params = {}): Promise<string> {
  const res = await call(server, 'register', { method: 'POST', params: { event_types: ['presence'], ...params } });
  return res.body.queue_id as string;
}

/** Every event still in the queue (nothing acknowledged). */
async function events(server: TestServer, queueId: string): Promise<Event[]> {
  const res = await call(server, 'events', { params: { queue_id: queueId, last_event_id: -1, dont_block: true } });
  expect(res.status).toBe(200);
  return res.body.events as Event[];
}

const post = (server: TestServer, creds: Creds, status: 'active' | 'idle', ua = UA.browser) =>
  call(server, 'users/me/presence', { method: 'POST', auth: creds, headers: { 'user-agent': ua }, params: { status, ping_only: true } });

const nowSec = (server: TestServer) => Math.floor(server.nowMs() / 1000);

describe.each([65, 150])('presence events before 7.0, at feature level %i', (featureLevel) => {
  it('go out for a new client row and for an active report on an idle or stale row', async () => {
    // Zulip 4.11 zerver/lib/actions.py and 6.1 zerver/actions/presence.py do_update_user_presence:
    // `created or became_online`, became_online = ACTIVE and (stale_status > 70 s or was_idle).
    const server = await start(featureLevel);
    const q = await queue(server);
    const person = await newPerson(server);
    const count = async () => (await events(server, q)).length;

    await post(server, person.creds, 'idle', UA.mobile); // new ZulipMobile row, even idle
    expect(await count()).toBe(1);
    await post(server, person.creds, 'active', UA.browser); // new website row
    expect(await count()).toBe(2);
    server.advance(30);
    await post(server, person.creds, 'active', UA.browser); // fresh active row: nothing
    expect(await count()).toBe(2);
    server.advance(71);
    await post(server, person.creds, 'active', UA.browser); // stale row: back online
    expect(await count()).toBe(3);
    server.advance(10);
    await post(server, person.creds, 'active', UA.mobile); // the mobile row was idle
    expect(await count()).toBe(4);
    server.advance(10);
    await post(server, person.creds, 'idle', UA.browser); // never for going idle
    expect(await count()).toBe(4);
  });

  it('name the reporting client, and carry email unless the queue is slim', async () => {
    // Zulip 6.1 send_presence_changed: presence={client: UserPresence.to_dict()};
    // zerver/tornado/event_queue.py process_presence_event drops email for slim_presence queues.
    const server = await start(featureLevel);
    const legacy = await queue(server);
    const slim = await queue(server, { slim_presence: true });
    const person = await newPerson(server);
    const t = nowSec(server);
    await post(server, person.creds, 'idle', UA.desktop); // ZulipDesktop is stored as website
    const [event] = await events(server, legacy);
    expect(event).toMatchObject({
      type: 'presence',
      user_id: person.user_id,
      email: person.email,
      presence: { website: { client: 'website', status: 'idle', timestamp: t, pushable: false } },
    });
    expect(typeof event!.server_timestamp).toBe('number');
    const [slimEvent] = await events(server, slim);
    expect(slimEvent).not.toHaveProperty('email');
    expect(slimEvent).toMatchObject({ user_id: person.user_id, presence: event!.presence });
  });
});

describe('the 100-user limit on presence events', () => {
  // Zulip 4.0 zerver/lib/actions.py send_presence_changed (commit cc96f02947, FL 62):
  // USER_LIMIT_FOR_SENDING_PRESENCE_UPDATE_EVENTS = 100 active users; Zulip 3.4 has no limit.
  it.each([
    [27, 1],
    [61, 1],
    [62, 0],
    [150, 0],
    [372, 0],
  ])('at feature level %i, a realm of 150 gets %i event(s)', async (featureLevel, expected) => {
    const server = await start(featureLevel, 150);
    const q = await queue(server);
    const person = await newPerson(server);
    await post(server, person.creds, 'active');
    expect(await events(server, q)).toHaveLength(expected);
  });
});

describe('presence events of the presence_enabled setting', () => {
  const toggle = (server: TestServer, id: number, on: boolean) => control(server, 'PATCH', `/demo/users/${id}`, { presence_enabled: on });

  it('are not sent before FL 139 (Zulip 5.0)', async () => {
    // Zulip 5.0 do_change_user_setting has no presence_enabled case.
    const server = await start(122);
    const person = await newPerson(server);
    await post(server, person.creds, 'active');
    const q = await queue(server);
    await toggle(server, person.user_id, false);
    await toggle(server, person.user_id, true);
    expect(await events(server, q)).toEqual([]);
  });

  it.each([
    [150, { status: 'idle', back: 420 }],
    [277, { status: 'idle', back: 320 }],
    [372, { status: 'active', back: 265 }],
  ])('at feature level %i announce hiding and showing, whatever the realm', async (featureLevel, hidden) => {
    // Zulip 6.1/7.0/10.x zerver/actions/user_settings.py do_change_user_setting →
    // do_update_user_presence(force_send_update=True): sent even with presence disabled and
    // above the 100-user limit (send_presence_changed skips the limit when forced).
    const server = await start(featureLevel, 150);
    // Someone who joined long ago: 7.x–9.x show a never-active row at date_joined, which for an
    // account made a minute ago would still read as "active" (format_legacy_presence_dict).
    const person = server.org.users.find((u) => u.is_active && !u.is_bot && u.presence_enabled)!;
    await post(server, credsOf(person), 'active');
    await control(server, 'POST', '/demo/realm', { presence_disabled: true });
    const q = await queue(server);
    const t = nowSec(server);
    await toggle(server, person.user_id, false);
    server.advance(5);
    await toggle(server, person.user_id, true);
    const [off, on] = await events(server, q);
    // 10.x stores the backdated time as both last_active and last_connected, which the legacy
    // format (format_legacy_presence_dict) shows as active at that time.
    expect(off).toMatchObject({ type: 'presence', user_id: person.user_id, presence: { website: { client: 'website', status: hidden.status, timestamp: t - hidden.back } } });
    expect(on).toMatchObject({ type: 'presence', user_id: person.user_id, presence: { website: { client: 'website', status: 'active', timestamp: t + 5 } } });
  });

  it('use the simplified format for queues that asked for it (FL 419)', async () => {
    // FL 419 (API changelog, Zulip 11.0): the `simplified_presence_events` client capability.
    const server = await start(421);
    const person = await newPerson(server);
    await post(server, person.creds, 'active');
    const q = await queue(server, { client_capabilities: { notification_settings_null: true, simplified_presence_events: true } });
    const t = nowSec(server);
    await toggle(server, person.user_id, false);
    expect(await events(server, q)).toEqual([{ type: 'presence', presences: { [String(person.user_id)]: { active_timestamp: t - 265, idle_timestamp: t - 265 } }, id: 0 }]);
  });
});

describe('another user’s event queue', () => {
  it.each([144, 145, 372])('at feature level %i', async (featureLevel) => {
    // Before FL 145 (Zulip 5.0 zerver/tornado/event_queue.py fetch_events, zerver/tornado/views.py
    // cleanup_event_queue): a BAD_REQUEST naming the refusal. From FL 145 (Zulip 6.0, commit
    // 7222f3fe2b, access_client_descriptor): the same BAD_EVENT_QUEUE_ID as an unknown queue.
    const server = await start(featureLevel, 20);
    const queueId = (await call(server, 'register', { method: 'POST' })).body.queue_id as string;
    const human = server.org.users.find((u) => u.is_active && !u.is_bot)!;
    const get = await call(server, 'events', { auth: credsOf(human), params: { queue_id: queueId, last_event_id: -1, dont_block: true } });
    const del = await call(server, 'events', { method: 'DELETE', auth: credsOf(human), params: { queue_id: queueId } });
    expect(get.status).toBe(400);
    expect(del.status).toBe(400);
    if (featureLevel >= 145) {
      const bad = { result: 'error', msg: `Bad event queue ID: ${queueId}`, code: 'BAD_EVENT_QUEUE_ID', queue_id: queueId };
      expect(get.body).toEqual(bad);
      expect(del.body).toEqual(bad);
    } else {
      expect(get.body).toEqual({ result: 'error', msg: 'You are not authorized to get events from this queue', code: 'BAD_REQUEST' });
      expect(del.body).toEqual({ result: 'error', msg: 'You are not authorized to access this queue', code: 'BAD_REQUEST' });
    }
    // The owner's queue is untouched.
    expect((await call(server, 'events', { params: { queue_id: queueId, last_event_id: -1, dont_block: true } })).status).toBe(200);
  });
});

describe('register’s presence snapshot', () => {
  it('tells the server’s time from FL 70 (Zulip 5.0) only, as zulip.yaml says of server_timestamp', async () => {
    for (const [featureLevel, hasTime] of [
      [65, false],
      [70, true],
    ] as const) {
      const server = await start(featureLevel);
      const res = await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['presence'], slim_presence: true } });
      expect(res.body.presences).toBeTypeOf('object');
      expect('server_timestamp' in res.body, `at FL ${featureLevel}`).toBe(hasTime);
    }
  });
});
