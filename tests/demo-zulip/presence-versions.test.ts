// Presence as each Zulip version stores and reports it (docs/zulip-versions.md §1, §3, §4): the
// per-client rows before 7.0 and the slim entries built from them, the two-week window, the
// history parameter servers before FL 288 do not know, what hiding one's availability does, and
// the per-person answer's 12.0-dev shapes (§9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, control, credsOf, newPerson, startTestServer, UA, type Creds, type Params, type TestServer } from './helpers';

type Slim = Record<string, { active_timestamp?: number; idle_timestamp?: number }>;
type Legacy = Record<string, { status: string; timestamp: number; client?: string }>;

const DAY = 86_400;

const post = (server: TestServer, creds: Creds, status: 'active' | 'idle', ua = UA.browser, extra: Params = {}) =>
  call(server, 'users/me/presence', { method: 'POST', auth: creds, headers: { 'user-agent': ua }, params: { status, ...extra } });

async function registerSlim(server: TestServer, extra: Params = {}) {
  const res = await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['presence'], slim_presence: true, ...extra } });
  expect(res.status).toBe(200);
  return res.body as { presences: Slim; ignored_parameters_unsupported?: string[] };
}

const nowSec = (server: TestServer) => Math.floor(server.nowMs() / 1000);

describe.each([65, 150])('slim presence entries before 7.0, at feature level %i', (featureLevel) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel, users: 40 });
  });
  afterAll(() => server.close());

  it('leave out a timestamp no client row has, in register and in POST /users/me/presence', async () => {
    // Zulip 4.11 zerver/lib/presence.py get_modern_user_info / 6.1 get_modern_user_presence_info:
    // newest active row → active_timestamp, newest idle row → idle_timestamp, a None is left out.
    const idleOnly = await newPerson(server);
    const activeOnly = await newPerson(server);
    const both = await newPerson(server);
    const t = nowSec(server);
    await post(server, idleOnly.creds, 'idle');
    await post(server, activeOnly.creds, 'active', UA.mobile);
    await post(server, both.creds, 'idle', UA.browser);
    server.advance(5);
    await post(server, both.creds, 'active', UA.mobile);

    const registered = (await registerSlim(server)).presences;
    expect(registered[String(idleOnly.user_id)]).toEqual({ idle_timestamp: t });
    expect(registered[String(activeOnly.user_id)]).toEqual({ active_timestamp: t });
    expect(registered[String(both.user_id)]).toEqual({ active_timestamp: t + 5, idle_timestamp: t });

    const polled = (await post(server, both.creds, 'active', UA.mobile, { slim_presence: true })).body.presences as Slim;
    expect(polled[String(idleOnly.user_id)]).toEqual({ idle_timestamp: t });
    expect(polled[String(activeOnly.user_id)]).toEqual({ active_timestamp: t });
    server.advance(-5);
  });

  it('are built from rows updated by the pre-7.0 write rule', async () => {
    // Zulip 6.1 zerver/actions/presence.py do_update_user_presence: an idle report on an active
    // row younger than 70 s (stale_status) is dropped; once the row is stale it is stored.
    const person = await newPerson(server);
    const t = nowSec(server);
    await post(server, person.creds, 'active');
    server.advance(30);
    await post(server, person.creds, 'idle');
    expect((await registerSlim(server)).presences[String(person.user_id)]).toEqual({ active_timestamp: t });
    server.advance(41); // 71 s after the active report
    await post(server, person.creds, 'idle');
    expect((await registerSlim(server)).presences[String(person.user_id)]).toEqual({ idle_timestamp: t + 71 });
    // No 55 s throttle before 7.0: every report is stored.
    server.advance(10);
    await post(server, person.creds, 'idle');
    expect((await registerSlim(server)).presences[String(person.user_id)]).toEqual({ idle_timestamp: t + 81 });
    const single = (await call(server, `users/${person.user_id}/presence`)).body.presence as Legacy;
    expect(single.website).toEqual({ status: 'idle', timestamp: t + 81 });
    server.advance(-81);
  });

  it('only count client rows of the last two weeks', async () => {
    // Zulip 6.1 zerver/lib/presence.py get_presence_dict_by_realm filters rows by
    // timestamp__gte two weeks ago, row by row; the single-user endpoint keeps them all.
    const person = await newPerson(server);
    await post(server, person.creds, 'active', UA.mobile);
    server.advance(15 * DAY);
    const t = nowSec(server);
    await post(server, person.creds, 'idle', UA.browser);
    expect((await registerSlim(server)).presences[String(person.user_id)]).toEqual({ idle_timestamp: t });
    const legacy = (await call(server, 'realm/presence')).body.presences as Record<string, Legacy>;
    expect(Object.keys(legacy[person.email]!).sort()).toEqual(['aggregated', 'website']);
    const single = (await call(server, `users/${person.user_id}/presence`)).body.presence as Legacy;
    expect(Object.keys(single).sort()).toEqual(['ZulipMobile', 'aggregated', 'website']);
    server.advance(-15 * DAY);
  });

  it('include the generated showcase people: one idle-only, one active-only', async () => {
    const realm = (await control(server, 'GET', '/demo/realm')).body.realm as { presence_showcase: { idle_only: number; active_only: number } };
    const { idle_only: idleId, active_only: activeId } = realm.presence_showcase;
    expect(idleId).toBe(server.org.presenceShowcase.idleOnly);
    expect(activeId).toBe(server.org.presenceShowcase.activeOnly);
    const presences = (await registerSlim(server)).presences;
    expect(Object.keys(presences[String(idleId)]!)).toEqual(['idle_timestamp']);
    expect(Object.keys(presences[String(activeId)]!)).toEqual(['active_timestamp']);
  });
});

describe('slim presence entries from 7.0 (feature level 178)', () => {
  it('always have both keys; a user never seen active gets date_joined', async () => {
    // Zulip 7.0 zerver/lib/presence.py get_presence_dicts_for_rows →
    // user_presence_datetime_with_date_joined_default, get_modern_user_presence_info.
    const server = await startTestServer({ featureLevel: 185, users: 40 });
    try {
      const person = await newPerson(server);
      const t = nowSec(server);
      await post(server, person.creds, 'idle');
      const user = server.org.users.find((u) => u.user_id === person.user_id)!;
      const joined = Math.floor(Date.parse(user.date_joined) / 1000);
      expect((await registerSlim(server)).presences[String(person.user_id)]).toEqual({ active_timestamp: joined, idle_timestamp: t });
      const showcase = (await registerSlim(server)).presences[String(server.org.presenceShowcase.idleOnly)]!;
      expect(Object.keys(showcase).sort()).toEqual(['active_timestamp', 'idle_timestamp']);
    } finally {
      await server.close();
    }
  });
});

describe.each([
  { featureLevel: 486, keys: ['aggregated', 'website'], serverTimestamp: false },
  { featureLevel: 487, keys: ['active_timestamp', 'idle_timestamp'], serverTimestamp: false },
  { featureLevel: 496, keys: ['active_timestamp', 'idle_timestamp'], serverTimestamp: false },
  { featureLevel: 497, keys: ['active_timestamp', 'aggregated', 'idle_timestamp', 'website'], serverTimestamp: true },
])('GET /users/{id}/presence at 12.0-dev feature level $featureLevel', ({ featureLevel, keys, serverTimestamp }) => {
  // zerver/views/presence.py get_presence_backend (docs/zulip-versions.md §9): FL 487 (commit
  // 4c3aa4c007, PR #38597) answers only the modern pair; FL 497 (PR #39112) puts `website` and
  // `aggregated` back beside it and adds `server_timestamp`.
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel, users: 40 });
  });
  afterAll(() => server.close());

  it(`answers ${keys.join(' + ')}${serverTimestamp ? ' and server_timestamp' : ''}`, async () => {
    const person = await newPerson(server);
    // Joined ten minutes before going idle, so the legacy entry is that idle report (format_legacy_presence_dict).
    server.advance(600);
    const t = nowSec(server);
    await post(server, person.creds, 'idle');
    server.advance(201);
    const asked = server.nowMs() / 1000;
    const res = await call(server, `users/${person.user_id}/presence`);
    server.advance(-801);
    expect(res.status).toBe(200);
    const presence = res.body.presence as Record<string, unknown>;
    expect(Object.keys(presence).sort()).toEqual(keys);
    expect(Object.keys(res.body).sort()).toEqual(serverTimestamp ? ['msg', 'presence', 'result', 'server_timestamp'] : ['msg', 'presence', 'result']);
    if (keys.includes('active_timestamp')) {
      // Never active: date_joined, as in every slim entry from 7.0; idle_timestamp is not marked offline.
      const user = server.org.users.find((u) => u.user_id === person.user_id)!;
      expect(presence.active_timestamp).toBe(Math.floor(Date.parse(user.date_joined) / 1000));
      expect(presence.idle_timestamp).toBe(t);
    }
    // The legacy aggregate, where sent, is marked offline past OFFLINE_THRESHOLD_SECS (200 s).
    if (keys.includes('aggregated')) expect(presence.aggregated).toEqual({ status: 'offline', timestamp: t });
    if (serverTimestamp) expect(res.body.server_timestamp).toBe(asked);
  });
});

describe('presence_history_limit_days in POST /register', () => {
  // Zulip 9.0 zerver/views/events_register.py events_register_backend has no such parameter and
  // zerver/lib/presence.py get_presence_dict_by_realm a fixed two weeks; it arrived at FL 288
  // (API changelog). Unknown parameters are silently ignored before FL 167 and listed in
  // ignored_parameters_unsupported from then on (API changelog, FL 167).
  it.each([
    [150, 'ignored silently', false],
    [200, 'reported as ignored', false],
    [287, 'reported as ignored', false],
    [288, 'honoured', true],
  ])('at feature level %i: %s', async (featureLevel, _what, honoured) => {
    const server = await startTestServer({ featureLevel, users: 20 });
    try {
      const person = await newPerson(server);
      await post(server, person.creds, 'active');
      server.advance(20 * DAY);
      const body = await registerSlim(server, { presence_history_limit_days: 365 });
      expect(String(person.user_id) in body.presences).toBe(honoured);
      if (featureLevel >= 288 || featureLevel < 167) expect(body).not.toHaveProperty('ignored_parameters_unsupported');
      else expect(body.ignored_parameters_unsupported).toEqual(['presence_history_limit_days']);
    } finally {
      await server.close();
    }
  });
});

describe('hiding one’s availability (presence_enabled=false) by version', () => {
  // Zulip zerver/actions/user_settings.py do_change_user_setting, at each version named below.
  const hide = (server: TestServer, id: number, on: boolean) => control(server, 'PATCH', `/demo/users/${id}`, { presence_enabled: on });

  it('changes nothing stored before FL 139 (Zulip 5.0)', async () => {
    // Zulip 5.0 zerver/lib/actions.py do_change_user_setting has no presence_enabled case; the
    // view (update_active_status_backend) just stops storing reports.
    const server = await startTestServer({ featureLevel: 122, users: 20 });
    try {
      const person = await newPerson(server);
      const t = nowSec(server);
      await post(server, person.creds, 'active', UA.mobile);
      await hide(server, person.user_id, false);
      server.advance(10);
      await post(server, person.creds, 'active');
      const single = (await call(server, `users/${person.user_id}/presence`)).body.presence as Legacy;
      expect(single.ZulipMobile).toEqual({ status: 'active', timestamp: t });
      expect(single).not.toHaveProperty('website');
      await hide(server, person.user_id, true);
      expect(((await call(server, `users/${person.user_id}/presence`)).body.presence as Legacy).website).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('replaces every client row by one idle website row 420 s back at FL 139–163 (Zulip 6.1)', async () => {
    // Zulip 6.1: delete all UserPresence rows, then store IDLE from website at
    // now − (OFFLINE_THRESHOLD_SECS 300 + 120); switching back on stores ACTIVE at now.
    const server = await startTestServer({ featureLevel: 156, users: 20 });
    try {
      const person = await newPerson(server);
      await post(server, person.creds, 'active', UA.mobile);
      await post(server, person.creds, 'active', UA.terminal);
      await hide(server, person.user_id, false);
      const t = nowSec(server);
      const hidden = (await call(server, `users/${person.user_id}/presence`)).body.presence as Legacy;
      expect(hidden).toEqual({ website: { status: 'idle', timestamp: t - 420 }, aggregated: { status: 'offline', timestamp: t - 420 } });
      expect((await registerSlim(server)).presences[String(person.user_id)]).toEqual({ idle_timestamp: t - 420 });
      server.advance(60);
      await hide(server, person.user_id, true);
      expect((await registerSlim(server)).presences[String(person.user_id)]).toEqual({ active_timestamp: t + 60 });
      server.advance(-60);
    } finally {
      await server.close();
    }
  });

  it('replaces the row by one never active 320 s back at FL 164–370 (Zulip 7.0, 9.0)', async () => {
    // Zulip 7.0: the same deletion, now with OFFLINE_THRESHOLD_SECS = 200 and the 7.0 row, whose
    // last_active_time stays null (so active_timestamp falls back to date_joined).
    const server = await startTestServer({ featureLevel: 277, users: 20 });
    try {
      const person = await newPerson(server);
      await post(server, person.creds, 'active');
      await hide(server, person.user_id, false);
      const t = nowSec(server);
      const user = server.org.users.find((u) => u.user_id === person.user_id)!;
      const joined = Math.floor(Date.parse(user.date_joined) / 1000);
      expect((await registerSlim(server)).presences[String(person.user_id)]).toEqual({ active_timestamp: joined, idle_timestamp: t - 320 });
      // Even someone who never had presence gets the row.
      const fresh = await newPerson(server);
      await hide(server, fresh.user_id, false);
      expect((await call(server, `users/${fresh.user_id}/presence`)).status).toBe(200);
      await hide(server, person.user_id, true);
      expect((await registerSlim(server)).presences[String(person.user_id)]).toEqual({ active_timestamp: t, idle_timestamp: t });
    } finally {
      await server.close();
    }
  });

  it('backdates recent times to now − 265 s and leaves old ones alone from FL 371 (Zulip 10.x)', async () => {
    // Zulip 10.x (PR #33044, merged 2025-02-25): recent times go back to now − (200 + 55 + 10)
    // s; a row already older, or no row at all, stays as it is (zerver/tests/test_presence.py
    // test_do_change_user_setting_presence_enabled).
    const server = await startTestServer({ featureLevel: 372, users: 20 });
    try {
      const recent = await newPerson(server);
      await post(server, recent.creds, 'active');
      await hide(server, recent.user_id, false);
      const t = nowSec(server);
      expect((await registerSlim(server)).presences[String(recent.user_id)]).toEqual({ active_timestamp: t - 265, idle_timestamp: t - 265 });

      const old = await newPerson(server);
      await post(server, old.creds, 'active');
      server.advance(3600);
      await hide(server, old.user_id, false);
      expect((await registerSlim(server)).presences[String(old.user_id)]).toEqual({ active_timestamp: t, idle_timestamp: t });

      const never = await newPerson(server);
      await hide(server, never.user_id, false);
      expect((await call(server, `users/${never.user_id}/presence`)).body.msg).toBe(`No presence data for ${never.user_id}`);

      await hide(server, old.user_id, true);
      expect((await registerSlim(server)).presences[String(old.user_id)]).toEqual({ active_timestamp: t + 3600, idle_timestamp: t + 3600 });
      server.advance(-3600);
    } finally {
      await server.close();
    }
  });

  it('seeds generated invisible people the way their server version left them', async () => {
    const at = (fl: number) => startTestServer({ featureLevel: fl, users: 200 });
    for (const fl of [150, 277, 372]) {
      const server = await at(fl);
      try {
        const invisible = server.org.users.filter((u) => u.is_active && !u.is_bot && !u.presence_enabled && u.work);
        expect(invisible.length).toBeGreaterThan(0);
        for (const u of invisible) {
          const res = await call(server, `users/${u.user_id}/presence`);
          expect(res.status, `FL ${fl} user ${u.user_id}`).toBe(200);
          const presence = res.body.presence as Legacy;
          expect(presence.aggregated!.status).toBe('offline');
          // 6.x: only the website row their switch left; 7.0+: website + aggregated anyway.
          expect(Object.keys(presence).sort()).toEqual(['aggregated', 'website']);
          if (fl < 371) expect(presence.website!.status).toBe('idle');
        }
      } finally {
        await server.close();
      }
    }
  });
});

describe('realm presence_disabled', () => {
  // The event shape is Zulip's `realm`/`update` (3.4 zerver/lib/actions.py and 10.2
  // zerver/actions/realm_settings.py do_set_realm_property); Zulip itself never sends it for
  // presence_disabled, which it computes (Realm.presence_disabled) — see docs/zulip-versions.md §4.
  it.each([65, 150, 372])('at feature level %i: announced to realm queues only, empties bulk presence', async (featureLevel) => {
    const server = await startTestServer({ featureLevel, users: 20 });
    try {
      const realmQueue = (await call(server, 'register', { method: 'POST', params: { event_types: ['realm'] } })).body.queue_id as string;
      const presenceQueue = (await call(server, 'register', { method: 'POST', params: { event_types: ['presence'] } })).body.queue_id as string;
      await control(server, 'POST', '/demo/realm', { presence_disabled: true });
      const poll = (queue_id: string) => call(server, 'events', { params: { queue_id, last_event_id: -1, dont_block: true } });
      expect((await poll(realmQueue)).body.events).toEqual([{ type: 'realm', op: 'update', property: 'presence_disabled', value: true, id: 0 }]);
      expect((await poll(presenceQueue)).body.events).toEqual([]);
      const reg = await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['realm', 'presence'], slim_presence: true } });
      expect(reg.body.realm_presence_disabled).toBe(true);
      expect(reg.body.presences).toEqual({});
      expect((await call(server, 'realm/presence')).body.presences).toEqual({});
      // Reports are still stored, and the single-user endpoint does not check the flag.
      const person = await newPerson(server);
      await post(server, person.creds, 'active');
      expect((await call(server, `users/${person.user_id}/presence`)).status).toBe(200);
      await control(server, 'POST', '/demo/realm', { presence_disabled: false });
      expect((await poll(realmQueue)).body.events).toEqual([
        { type: 'realm', op: 'update', property: 'presence_disabled', value: true, id: 0 },
        { type: 'realm', op: 'update', property: 'presence_disabled', value: false, id: 1 },
      ]);
      const human = server.org.users.find((u) => u.is_active && !u.is_bot && u.presence_enabled)!;
      expect(Object.keys((await post(server, credsOf(human), 'active', UA.browser, { slim_presence: true })).body.presences as object).length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
