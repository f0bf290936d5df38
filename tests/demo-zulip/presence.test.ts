// Presence endpoints (docs/zulip.md §a–§d) at FL 150 (per-client, before 7.0), 372 (10.2) and
// 497 (12.0-dev): shapes, every failure case, the write throttle and the presence sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeHuman, call, control, credsOf, expectShape, findUser, fixture, hiddenHuman, newPerson, startTestServer, UA, type TestServer } from './helpers';

type Legacy = Record<string, { status: string; timestamp: number; client?: string; pushable?: boolean }>;

const post = (server: TestServer, creds: { email: string; apiKey: string }, params: Record<string, unknown>, ua?: string) =>
  call(server, 'users/me/presence', {
    method: 'POST',
    auth: creds,
    params: params as Record<string, string>,
    headers: ua ? { 'user-agent': ua } : {},
  });

describe.each([150, 372, 497])('presence at feature level %i', (featureLevel) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel, users: 40 });
  });
  afterAll(() => server.close());

  describe('GET /users/{user_id_or_email}/presence', () => {
    it('reports per client before 7.0 and website + aggregated after, in the documented shape', async () => {
      const person = await newPerson(server);
      expect((await post(server, person.creds, { status: 'idle' }, UA.mobile)).status).toBe(200);
      server.advance(5);
      expect((await post(server, person.creds, { status: 'active', ping_only: true }, UA.desktop)).status).toBe(200);
      const res = await call(server, `users/${person.user_id}/presence`);
      expect(res.status).toBe(200);
      const presence = res.body.presence as Legacy & { active_timestamp?: number; idle_timestamp?: number };
      const nowSec = Math.floor(server.nowMs() / 1000);
      if (featureLevel < 178) {
        // ZulipDesktop is folded into website; the most recent client is the aggregate.
        expect(Object.keys(presence).sort()).toEqual(['ZulipMobile', 'aggregated', 'website']);
        expect(presence.ZulipMobile).toEqual({ status: 'idle', timestamp: nowSec - 5 });
      } else {
        expect(Object.keys(presence).filter((k) => !k.endsWith('_timestamp')).sort()).toEqual(['aggregated', 'website']);
      }
      expect(presence.website).toEqual({ status: 'active', timestamp: nowSec });
      expect(presence.aggregated).toEqual({ status: 'active', timestamp: nowSec });
      if (featureLevel >= 497) {
        expect(presence.active_timestamp).toBe(nowSec);
        expect(presence.idle_timestamp).toBe(nowSec);
        expect(typeof res.body.server_timestamp).toBe('number');
      } else {
        expect(presence).not.toHaveProperty('active_timestamp');
        expect(res.body).not.toHaveProperty('server_timestamp');
      }
      const shapeOf = Object.fromEntries(Object.entries(presence).filter(([k]) => k === 'website' || k === 'aggregated'));
      expectShape({ result: res.body.result, msg: res.body.msg, presence: shapeOf }, fixture('get-user-presence-200.json'));
    });

    it('marks only the aggregate offline after OFFLINE_THRESHOLD_SECS (300 s before FL 164, 200 s since)', async () => {
      // Zulip 6.1 and 9.0 zerver/views/presence.py get_presence_backend compare the aggregate's
      // age with settings.OFFLINE_THRESHOLD_SECS: 5 * 60 in 6.2, 200 from 7.0 (FL 164).
      const threshold = featureLevel >= 164 ? 200 : 300;
      const person = await newPerson(server);
      await post(server, person.creds, { status: 'active' }, UA.browser);
      server.advance(threshold);
      const atThreshold = (await call(server, `users/${person.user_id}/presence`)).body.presence as Legacy;
      expect(atThreshold.aggregated!.status).toBe('active');
      server.advance(1);
      const presence = (await call(server, `users/${person.user_id}/presence`)).body.presence as Legacy;
      expect(presence.aggregated!.status).toBe('offline');
      expect(presence.website!.status).toBe('active');
      server.advance(-threshold - 1);
    });

    it('takes an id (Python int syntax) or an API email, case-insensitively', async () => {
      const user = findUser(server, (u) => activeHuman(u) && u.email_visibility === 'everyone' && server.org.users.indexOf(u) > 0);
      await post(server, credsOf(user), { status: 'active', ping_only: true });
      for (const ref of [String(user.user_id), `%20${user.user_id}%20`, `+${user.user_id}`, encodeURIComponent(user.delivery_email.toUpperCase())]) {
        const res = await call(server, `/api/v1/users/${ref}/presence`);
        expect(res.status, ref).toBe(200);
      }
    });

    it('has every documented failure', async () => {
      const hidden = await hiddenHuman(server, featureLevel, activeHuman);
      await post(server, credsOf(hidden), { status: 'active', ping_only: true });
      const deactivated = findUser(server, (u) => !u.is_active && !u.is_bot);
      const bot = findUser(server, (u) => u.is_bot && u.is_active);
      const neverConnected = await newPerson(server);
      const noSuchUser = { result: 'error', msg: 'No such user', code: 'BAD_REQUEST' };
      const cases: Array<[string, Record<string, unknown>]> = [
        ['999999', noSuchUser],
        ['nobody@acme.example', noSuchUser],
        // the presence endpoint matches the API email only, never the real address
        [encodeURIComponent(hidden.delivery_email), noSuchUser],
        [String(deactivated.user_id), noSuchUser],
        [encodeURIComponent(deactivated.delivery_email), noSuchUser],
        ['1', noSuchUser], // a system bot: not in this realm
        [String(bot.user_id), { result: 'error', msg: 'Presence is not supported for bot users.', code: 'BAD_REQUEST' }],
        [String(neverConnected.user_id), { result: 'error', msg: `No presence data for ${neverConnected.user_id}`, code: 'BAD_REQUEST' }],
        [`%20${neverConnected.user_id}`, { result: 'error', msg: `No presence data for  ${neverConnected.user_id}`, code: 'BAD_REQUEST' }],
      ];
      for (const [ref, body] of cases) {
        const res = await call(server, `/api/v1/users/${ref}/presence`);
        expect(res.status, ref).toBe(400);
        expect(res.body, ref).toEqual(body);
      }
      // The dummy address of the hidden user works.
      expect((await call(server, `users/user${hidden.user_id}@zulip.testserver/presence`)).status).toBe(200);
      // `me` is the POST-only route: 405, before authentication.
      const me = await call(server, 'users/me/presence', { auth: null });
      expect(me.status).toBe(405);
      expect(me.body).toEqual({ result: 'error', msg: 'Method Not Allowed', allowed_methods: ['POST'] });
    });
  });

  describe('GET /realm/presence', () => {
    it('is legacy, keyed by API email, humans only, in the documented shape', async () => {
      const hidden = await hiddenHuman(server, featureLevel, activeHuman);
      await post(server, credsOf(hidden), { status: 'active', ping_only: true }, UA.browser);
      const res = await call(server, 'realm/presence');
      expect(res.status).toBe(200);
      const presences = res.body.presences as Record<string, Legacy>;
      expect(presences).toHaveProperty([`user${hidden.user_id}@zulip.testserver`]);
      expect(presences).not.toHaveProperty([hidden.delivery_email]);
      const accounts = (await control(server, 'GET', '/demo/credentials')).body.users as Array<{ email: string; is_bot: boolean; is_active: boolean }>;
      const apiEmails = new Set(accounts.filter((u) => u.is_active && !u.is_bot).map((u) => u.email));
      for (const email of Object.keys(presences)) expect(apiEmails.has(email), email).toBe(true);
      for (const entry of Object.values(presences)) {
        expect(['active', 'idle']).toContain(entry.aggregated!.status);
        if (featureLevel >= 178) expect(Object.keys(entry).sort()).toEqual(['aggregated', 'website']);
        for (const [client, info] of Object.entries(entry)) {
          if (client === 'aggregated') continue;
          expect(info.client).toBe(client);
          expect(info.pushable).toBe(false);
        }
      }
      expect(typeof res.body.server_timestamp).toBe('number');
      expect(Number.isInteger(res.body.server_timestamp)).toBe(false);
      expectShape(res.body, fixture('realm-presence-200.json'), { maps: ['$.presences', ...(featureLevel < 178 ? ['$.presences{*}'] : [])] });
    });

    it('takes no parameters and only covers two weeks', async () => {
      const res = await call(server, 'realm/presence', { params: { slim_presence: true } });
      if (featureLevel >= 167) expect(res.body.ignored_parameters_unsupported).toEqual(['slim_presence']);
      expect(Object.keys(res.body.presences as object)[0]).toContain('@');
      const before = Object.keys(res.body.presences as object).length;
      expect(before).toBeGreaterThan(0);
      const person = await newPerson(server);
      server.advance(15 * 86_400);
      await post(server, person.creds, { status: 'active', ping_only: true });
      const later = await call(server, 'realm/presence');
      expect(Object.keys(later.body.presences as object)).toEqual([person.email]);
      server.advance(-15 * 86_400);
    });

    it('is empty while the organization has presence disabled', async () => {
      expect((await control(server, 'POST', '/demo/realm', { presence_disabled: true })).status).toBe(200);
      const res = await call(server, 'realm/presence');
      expect(res.body.presences).toEqual({});
      const human = findUser(server, activeHuman);
      const own = await post(server, credsOf(human), { status: 'active', slim_presence: true });
      expect(own.body.presences).toEqual({});
      if (featureLevel >= 263) expect(own.body.presence_last_update_id).toBe(-1);
      // -1 whatever the client says it holds (get_presences_for_realm).
      if (featureLevel >= 263) expect((await post(server, credsOf(human), { status: 'active', slim_presence: true, last_update_id: 42 })).body.presence_last_update_id).toBe(-1);
      await control(server, 'POST', '/demo/realm', { presence_disabled: false });
    });
  });

  describe('POST /users/me/presence', () => {
    it('refuses bots and bad or missing status', async () => {
      const bot = await post(server, server.bot, { status: 'active' });
      expect(bot.status).toBe(400);
      expect(bot.body).toEqual({ result: 'error', msg: 'This endpoint does not accept bot requests.', code: 'BAD_REQUEST' });
      const human = findUser(server, activeHuman);
      const missing = await post(server, credsOf(human), {});
      expect(missing.body).toEqual({ result: 'error', msg: "Missing 'status' argument", code: 'REQUEST_VARIABLE_MISSING', var_name: 'status' });
      const invalid = await post(server, credsOf(human), { status: 'away' });
      expect(invalid.body).toEqual({ result: 'error', msg: 'Invalid status: away', code: 'BAD_REQUEST' });
      const badFlag = await post(server, credsOf(human), { status: 'active', ping_only: 'yes' });
      expect(badFlag.body).toEqual({ result: 'error', msg: 'ping_only is not valid JSON', code: 'BAD_REQUEST' });
    });

    it('answers ping_only with nothing but success', async () => {
      const human = findUser(server, activeHuman);
      const res = await post(server, credsOf(human), { status: 'active', ping_only: true });
      expect(res.body).toEqual({ result: 'success', msg: '' });
    });

    it("returns the realm's presence, legacy by default and modern with slim_presence", async () => {
      const human = findUser(server, activeHuman);
      const legacy = await post(server, credsOf(human), { status: 'active' });
      expect(Object.keys(legacy.body.presences as object).every((k) => k.includes('@'))).toBe(true);
      expectShape(legacy.body, fixture('update-presence-200-legacy.json'), {
        maps: ['$.presences', ...(featureLevel < 178 ? ['$.presences{*}'] : [])],
        absent: featureLevel < 263 ? { '$.presence_last_update_id': 'new in FL 263' } : {},
      });
      const modern = await post(server, credsOf(human), { status: 'active', slim_presence: true });
      const entries = modern.body.presences as Record<string, { active_timestamp: number; idle_timestamp: number }>;
      expect(Object.keys(entries).every((k) => /^\d+$/.test(k))).toBe(true);
      const absent: Record<string, string> = featureLevel < 263 ? { '$.presence_last_update_id': 'new in FL 263' } : {};
      if (featureLevel < 178) {
        // Zulip 6.1 zerver/lib/presence.py get_modern_user_presence_info leaves out a key no client row has.
        absent['$.presences{*}.active_timestamp'] = 'no active client row';
        absent['$.presences{*}.idle_timestamp'] = 'no idle client row';
      }
      expectShape(modern.body, fixture('update-presence-200-modern.json'), { maps: ['$.presences'], absent });
    });

    it('stores at most every 55 s per field and moves the presence sequence only on writes', async () => {
      // Zulip 9.0 zerver/actions/presence.py do_update_user_presence (PRESENCE_UPDATE_MIN_FREQ_SECONDS);
      // before 7.0 every report was stored per client (presence-versions.test.ts).
      if (featureLevel < 178) return;
      const person = await newPerson(server);
      const t0 = Math.floor(server.nowMs() / 1000);
      const first = await post(server, person.creds, { status: 'active', slim_presence: true });
      const modern = (r: typeof first) => (r.body.presences as Record<string, { active_timestamp: number; idle_timestamp: number }>)[String(person.user_id)];
      expect(modern(first)).toEqual({ active_timestamp: t0, idle_timestamp: t0 });
      server.advance(30);
      const second = await post(server, person.creds, { status: 'idle', slim_presence: true });
      expect(modern(second)).toEqual({ active_timestamp: t0, idle_timestamp: t0 }); // throttled
      if (featureLevel >= 263) expect(second.body.presence_last_update_id).toBe(first.body.presence_last_update_id);
      server.advance(30);
      const third = await post(server, person.creds, { status: 'idle', slim_presence: true });
      expect(modern(third)).toEqual({ active_timestamp: t0, idle_timestamp: t0 + 60 }); // idle moves only the connection time
      if (featureLevel >= 263) expect(third.body.presence_last_update_id).toBeGreaterThan(first.body.presence_last_update_id as number);
      server.advance(60);
      const fourth = await post(server, person.creds, { status: 'active', slim_presence: true });
      expect(modern(fourth)).toEqual({ active_timestamp: t0 + 120, idle_timestamp: t0 + 120 });
      server.advance(-120);
    });

    it('supports last_update_id (FL 263) and history_limit_days (FL 288)', async () => {
      const person = await newPerson(server);
      const other = await newPerson(server);
      const first = await post(server, person.creds, { status: 'active', last_update_id: -1 });
      if (featureLevel < 263) {
        // Unknown before FL 263: legacy format, no id (and before FL 167 not even reported as ignored).
        expect(first.body).not.toHaveProperty('presence_last_update_id');
        expect(Object.keys(first.body.presences as object).some((k) => k.includes('@'))).toBe(true);
        return;
      }
      // Sending last_update_id implies the modern format.
      const all = first.body.presences as Record<string, unknown>;
      expect(Object.keys(all).every((k) => /^\d+$/.test(k))).toBe(true);
      const since = first.body.presence_last_update_id as number;
      const nothingNew = await post(server, person.creds, { status: 'active', last_update_id: since });
      expect(nothingNew.body.presences).toEqual({});
      expect(nothingNew.body.presence_last_update_id).toBe(since);
      await post(server, other.creds, { status: 'active', ping_only: true });
      const changed = await post(server, person.creds, { status: 'active', last_update_id: since });
      expect(Object.keys(changed.body.presences as object)).toEqual([String(other.user_id)]);
      expect(changed.body.presence_last_update_id).toBeGreaterThan(since);

      const none = await post(server, person.creds, { status: 'active', slim_presence: true, history_limit_days: 0 });
      if (featureLevel >= 288) {
        expect(none.body.presences).toEqual({});
        expect(none.body.presence_last_update_id).toBe(-1);
      } else {
        expect(none.body.ignored_parameters_unsupported).toEqual(['history_limit_days']);
      }
    });

    it('stores nothing for a user who hides their availability', async () => {
      // Zulip 9.0 zerver/views/presence.py update_active_status_backend stores nothing for users
      // with presence_enabled=false; turning it off stores nothing for someone without presence from
      // 10.0, while 6.x–9.x store one idle row (zerver/actions/user_settings.py do_change_user_setting).
      const person = await newPerson(server);
      await control(server, 'PATCH', `/demo/users/${person.user_id}`, { presence_enabled: false });
      const res = await post(server, person.creds, { status: 'active', slim_presence: true });
      expect(res.status).toBe(200);
      const single = await call(server, `users/${person.user_id}/presence`);
      if (featureLevel >= 371) {
        expect(res.body.presences).not.toHaveProperty([String(person.user_id)]);
        expect(single.body.msg).toBe(`No presence data for ${person.user_id}`);
      } else {
        // The row written when presence was switched off, never the active report.
        expect((single.body.presence as Legacy).aggregated!.status).toBe('offline');
      }
    });

    it('backdates stored presence when a user hides their availability', async () => {
      // Zulip 6.1 (420 s: OFFLINE_THRESHOLD_SECS 300 + 120), 7.0–9.x (320 s) and 10.x (265 s:
      // 200 + 55 + 10) zerver/actions/user_settings.py do_change_user_setting.
      const person = await newPerson(server);
      await post(server, person.creds, { status: 'active', ping_only: true });
      await control(server, 'PATCH', `/demo/users/${person.user_id}`, { presence_enabled: false });
      const presence = (await call(server, `users/${person.user_id}/presence`)).body.presence as Legacy;
      expect(presence.aggregated!.status).toBe('offline');
      const backdate = featureLevel >= 371 ? 265 : featureLevel >= 164 ? 320 : 420;
      expect(presence.aggregated!.timestamp).toBe(Math.floor(server.nowMs() / 1000) - backdate);
    });

    it('names the client from the User-Agent as Zulip does', async () => {
      const person = await newPerson(server);
      for (const ua of [UA.browser, UA.mobile, UA.desktop, UA.terminal]) await post(server, person.creds, { status: 'active', ping_only: true }, ua);
      const keys = Object.keys((await call(server, `users/${person.user_id}/presence`)).body.presence as object).filter((k) => !k.endsWith('_timestamp'));
      if (featureLevel < 178) expect(keys.sort()).toEqual(['ZulipMobile', 'ZulipTerminal', 'aggregated', 'website']);
      else expect(keys.sort()).toEqual(['aggregated', 'website']);
    });
  });
});

describe('client names', () => {
  it('follow zerver/lib/user_agent.py', async () => {
    const { clientName } = await import('@/lib/demo-zulip/http/user-agent');
    expect(clientName(UA.mobile)).toBe('ZulipMobile');
    expect(clientName(UA.browser)).toBe('website');
    expect(clientName(UA.terminal)).toBe('ZulipTerminal');
    expect(clientName('ZulipPython/0.9.0 (Ubuntu; 22.04)')).toBe('ZulipPython');
    expect(clientName('python-requests/2.31.0')).toBe('python-requests');
    expect(clientName(undefined)).toBe('Unspecified');
    expect(clientName(UA.mobile, 'explicit')).toBe('explicit');
  });
});
