// Users, profile fields and avatars (docs/zulip.md §f) at a pre-7.0, a 10.x and a 12.0-dev level.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '@/lib/demo-zulip/types';
import { activeHuman, call, credsOf, expectShape, findUser, fixture, hiddenHuman, startTestServer, type ShapeRules, type TestServer } from './helpers';

type User = Record<string, unknown> & { user_id: number; email: string; delivery_email?: string | null; avatar_url?: string | null };

/** How real Zulip user objects differ from the spec's hand-written examples, and why. */
function userShapeRules(featureLevel: number, prefix: string): ShapeRules {
  const absent: Record<string, string> = {
    [`${prefix}.bot_type`]: 'format_user_row sends bot_type only for bots; the example shows null for humans',
    [`${prefix}.profile_data`]: 'only with include_custom_profile_fields=true, and never for bots',
  };
  if (featureLevel < 163) absent[`${prefix}.delivery_email`] = 'before FL 163 only present for restricted addresses the viewer may see';
  const extra: Record<string, string> = {
    [`${prefix}.avatar_version`]: "in every User object (UserBase); the spec's examples predate it",
  };
  if (featureLevel < 363) extra[`${prefix}.is_billing_admin`] = 'sent from FL 73 until its removal at FL 363';
  if (featureLevel >= 433) extra[`${prefix}.is_imported_stub`] = '12.0-dev, FL 433';
  return { absent, extra, nullable: [`${prefix}.avatar_url`, `${prefix}.delivery_email`], maps: [`${prefix}.profile_data`] };
}

describe.each([150, 372, 497])('users at feature level %i', (featureLevel) => {
  let server: TestServer;
  let members: User[];
  beforeAll(async () => {
    server = await startTestServer({ featureLevel, users: 60 });
    const res = await call(server, 'users', { params: { include_custom_profile_fields: true } });
    expect(res.status).toBe(200);
    members = res.body.members as User[];
  });
  afterAll(() => server.close());


  it("GET /users matches the shape of Zulip's example", async () => {
    const res = await call(server, 'users', { params: { include_custom_profile_fields: true } });
    expectShape(res.body, fixture('get-users-200.json'), userShapeRules(featureLevel, '$.members[*]'));
  });

  it('returns everyone: humans, bots and deactivated accounts, sorted by id, without system bots', () => {
    expect(members.map((m) => m.user_id)).toEqual(server.org.users.map((u) => u.user_id));
    expect(members.some((m) => m.is_bot)).toBe(true);
    expect(members.some((m) => m.is_active === false)).toBe(true);
    for (const bot of members.filter((m) => m.is_bot)) {
      expect(bot).toHaveProperty('bot_type');
      expect(bot).toHaveProperty('bot_owner_id');
      expect(bot).not.toHaveProperty('profile_data');
    }
  });

  it('gives hidden addresses a dummy API email and hides delivery_email from the bot', async () => {
    const user = await hiddenHuman(server, featureLevel);
    // Before 7.0 that took a change of the realm's setting: ask again.
    const current = (await call(server, 'users')).body.members as User[];
    const member = current.find((m) => m.user_id === user.user_id)!;
    expect(member.email).toBe(`user${user.user_id}@zulip.testserver`);
    if (featureLevel >= 163) expect(member.delivery_email).toBeNull();
    else expect(member).not.toHaveProperty('delivery_email');
    const visible = members.find((m) => !m.is_bot && m.email !== `user${m.user_id}@zulip.testserver`)!;
    if (featureLevel >= 163) expect(visible.delivery_email).toBe(visible.email);
  });

  it('encodes avatars as Zulip does: null for public gravatars under client_gravatar, uploads root-relative', async () => {
    const uploaded = findUser(server, (u) => u.avatar_source === 'U' && !u.is_bot, "user with an uploaded avatar");
    const gravatarPublic = findUser(server, (u) => u.avatar_source === 'G' && u.email_visibility === 'everyone' && !u.is_bot);
    // Before 7.0 the realm's setting applies to all (here "everyone": no hidden gravatar).
    const gravatarHidden = featureLevel >= 163 ? server.org.users.find((u) => u.avatar_source === 'G' && u.email_visibility !== 'everyone') : undefined;
    const byId = (list: User[], id: number) => list.find((m) => m.user_id === id)!;
    // client_gravatar defaults to true
    expect(byId(members, gravatarPublic.user_id).avatar_url).toBeNull();
    if (gravatarHidden) expect(byId(members, gravatarHidden.user_id).avatar_url).toMatch(/^https:\/\/secure\.gravatar\.com\/avatar\/[0-9a-f]{32}\?d=identicon&version=\d+$/);
    const uploadedUrl = byId(members, uploaded.user_id).avatar_url!;
    // zerver/lib/avatar.py get_avatar_field: from 10.0 an upload's file name carries its version
    // (user_avatar_base_path_from_ids), with no query; before, `?version=` as Gravatar's still has.
    if (featureLevel >= 371) expect(uploadedUrl).toMatch(new RegExp(`^/user_avatars/${server.org.realm.id}/[0-9a-f]{40}\\.png$`));
    else expect(uploadedUrl).toMatch(new RegExp(`^/user_avatars/${server.org.realm.id}/[0-9a-f]{40}\\.png\\?version=${uploaded.avatar_version}$`));

    const full = (await call(server, 'users', { params: { client_gravatar: false } })).body.members as User[];
    expect(byId(full, gravatarPublic.user_id).avatar_url).toMatch(/^https:\/\/secure\.gravatar\.com\/avatar\/[0-9a-f]{32}\?d=identicon&version=\d+$/);
    expect(full.every((m) => typeof m.avatar_url === 'string')).toBe(true);
    expect(full.every((m) => !('profile_data' in m))).toBe(true);

    // The upload is served without auth as a PNG, and its -medium variant too.
    const png = await fetch(`${server.site}${uploadedUrl}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const medium = await fetch(`${server.site}${uploadedUrl.replace('.png', '-medium.png')}`);
    expect(medium.status).toBe(200);
    const wrong = await fetch(`${server.site}/user_avatars/${server.org.realm.id}/${'0'.repeat(40)}.png`);
    expect(wrong.status).toBe(404);
  });

  it('includes profile data only on request, limited to the fields of this level', () => {
    const withData = members.filter((m) => !m.is_bot);
    expect(withData.every((m) => typeof m.profile_data === 'object')).toBe(true);
    const pronounsField = server.org.profileFields.find((f) => f.type === 8);
    const someoneWithPronouns = pronounsField && server.org.users.find((u) => u.profile_data[String(pronounsField.id)]);
    if (pronounsField && someoneWithPronouns) {
      const data = members.find((m) => m.user_id === someoneWithPronouns.user_id)!.profile_data as Record<string, unknown>;
      // The Pronouns field type only exists from FL 151.
      expect(String(pronounsField.id) in data).toBe(featureLevel >= 151);
    }
  });

  it('has the keys of its feature level', () => {
    const human = members.find((m) => !m.is_bot)!;
    expect('is_billing_admin' in human).toBe(featureLevel < 363);
    expect('is_imported_stub' in human).toBe(featureLevel >= 433);
    // To the minute from 10.0 (isoformat(timespec="minutes")); Python's isoformat() before.
    expect(human.date_joined).toMatch(featureLevel >= 280 ? /^\d{4}-\d\d-\d\dT\d\d:\d\d\+00:00$/ : /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  });

  it('filters by user_ids from FL 384', async () => {
    const ids = members.slice(0, 3).map((m) => m.user_id);
    const res = await call(server, 'users', { params: { user_ids: ids } });
    expect(res.status).toBe(200);
    if (featureLevel >= 384) {
      expect((res.body.members as User[]).map((m) => m.user_id)).toEqual(ids);
    } else {
      expect((res.body.members as User[]).length).toBe(members.length);
      if (featureLevel >= 167) expect(res.body.ignored_parameters_unsupported).toEqual(['user_ids']);
    }
  });

  it('GET /users/{id} returns any user incl. bots and deactivated ones', async () => {
    const deactivated = findUser(server, (u) => !u.is_active);
    const bot = findUser(server, (u) => u.is_bot);
    const human = findUser(server, activeHuman);
    const res = await call(server, `users/${human.user_id}`, { params: { include_custom_profile_fields: true } });
    expect(res.status).toBe(200);
    expectShape(res.body, fixture('get-user-200.json'), userShapeRules(featureLevel, '$.user'));
    for (const u of [deactivated, bot]) {
      const r = await call(server, `users/${u.user_id}`);
      expect(r.status).toBe(200);
      expect((r.body.user as User).user_id).toBe(u.user_id);
    }
    for (const missing of ['999999', '1' /* a system bot: another realm */]) {
      const r = await call(server, `users/${missing}`);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ result: 'error', msg: 'No such user', code: 'BAD_REQUEST' });
    }
  });

  it('GET /users/{email} accepts the API email, and the real one where visible from FL 302', async () => {
    const human = findUser(server, (u) => activeHuman(u) && u.email_visibility === 'everyone');
    const res = await call(server, `users/${encodeURIComponent(human.delivery_email.toUpperCase())}`);
    expect(res.status).toBe(200);
    expectShape(res.body, fixture('get-user-by-email-200.json'), userShapeRules(featureLevel, '$.user'));

    const user = await hiddenHuman(server, featureLevel);
    const byDummy = await call(server, `users/user${user.user_id}@zulip.testserver`);
    expect(byDummy.status).toBe(200);
    expect((byDummy.body.user as User).user_id).toBe(user.user_id);
    // The bot may not see this address, so the real address is unknown to it at every level.
    const byReal = await call(server, `users/${encodeURIComponent(user.delivery_email)}`);
    expect(byReal.body).toEqual({ result: 'error', msg: 'No such user', code: 'BAD_REQUEST' });
    // The user themself may see it, but only FL 302+ looks real addresses up.
    const self = await call(server, `users/${encodeURIComponent(user.delivery_email)}`, { auth: credsOf(user) });
    expect(self.status).toBe(featureLevel >= 302 ? 200 : 400);
  });

  it('GET /users/me returns the caller', async () => {
    const human = findUser(server, activeHuman);
    const res = await call(server, 'users/me', { auth: credsOf(human) });
    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe(human.user_id);
    if (featureLevel >= 163 || human.email_visibility !== 'everyone') expect(res.body.delivery_email).toBe(human.delivery_email);
    const rules = userShapeRules(featureLevel, '$');
    expectShape(res.body, fixture('get-own-user-200.json'), { ...rules, maps: ['$.profile_data'] });
  });

  it("GET /realm/profile_fields matches Zulip's example, with the keys of this level", async () => {
    const res = await call(server, 'realm/profile_fields');
    expect(res.status).toBe(200);
    const fields = res.body.custom_fields as Array<Record<string, unknown>>;
    expect(fields.map((f) => f.order)).toEqual([...fields.map((f) => f.order as number)].sort((a, b) => a - b));
    expect(fields.some((f) => f.type === 8)).toBe(featureLevel >= 151);
    const absent: Record<string, string> = {};
    if (featureLevel < 244) absent['$.custom_fields[*].required'] = 'new in FL 244';
    if (featureLevel < 296) absent['$.custom_fields[*].editable_by_user'] = 'new in FL 296';
    const extra: Record<string, string> = {};
    if (featureLevel >= 455) extra['$.custom_fields[*].use_for_user_matching'] = '12.0-dev, FL 455';
    expectShape(res.body, fixture('get-profile-fields-200.json'), { absent, extra });
    for (const field of fields) if ('display_in_profile_summary' in field) expect(field.display_in_profile_summary).toBe(true);
  });
});

describe('users/me for a bot', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ users: 10 });
  });
  afterAll(() => server.close());

  it('has bot fields and no profile data', async () => {
    const res = await call(server, 'users/me');
    const bot: DemoUser = server.org.users.find((u) => u.user_id === server.org.directoryBotId)!;
    expect(res.body).toMatchObject({ user_id: bot.user_id, is_bot: true, bot_type: 1, email: bot.delivery_email });
    expect(res.body).not.toHaveProperty('profile_data');
  });
});

describe('user objects before Zulip 5.0', () => {
  it('default client_gravatar to false before FL 92, and name a system bot is_cross_realm_bot before FL 83 (zulip.yaml)', async () => {
    for (const [featureLevel, modern] of [
      [65, false],
      [92, true],
    ] as const) {
      const server = await startTestServer({ featureLevel, users: 20 });
      try {
        const members = (await call(server, 'users')).body.members as Array<Record<string, unknown>>;
        // With the default, a gravatar user's avatar_url is null only where the client computes it.
        expect(members.some((m) => m.avatar_url === null), `at FL ${featureLevel}`).toBe(modern);
        const bots = (await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['realm_user'] } })).body.cross_realm_bots as Array<Record<string, unknown>>;
        expect(bots.length).toBeGreaterThan(0);
        for (const bot of bots) expect(bot[modern ? 'is_system_bot' : 'is_cross_realm_bot'], `at FL ${featureLevel}`).toBe(true);
      } finally {
        await server.close();
      }
    }
  });
});
