// Who sees a person's real address, per Zulip generation (docs/zulip.md §f): before 7.0 (FL 163)
// one realm setting decides for every human; from 7.0 each person's own setting does, with five
// levels (everyone, members, moderators, admins, nobody) read against the viewer's role.
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoUser } from '@/lib/demo-zulip/types';
import { call, control, credsOf, startTestServer, type TestServer } from './helpers';

type User = Record<string, unknown> & { user_id: number; email: string; delivery_email?: string | null };

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function start(opts: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer({ users: 30, ...opts });
  servers.push(server);
  return server;
}

const humans = (s: TestServer) => s.org.users.filter((u) => !u.is_bot && u.is_active);
const dummy = (u: DemoUser) => `user${u.user_id}@zulip.testserver`;

async function usersAs(s: TestServer, who?: DemoUser): Promise<Map<number, User>> {
  const res = await call(s, 'users', who ? { auth: credsOf(who) } : {});
  expect(res.status).toBe(200);
  return new Map((res.body.members as User[]).map((m) => [m.user_id, m]));
}

describe('before 7.0 (FL 65): the realm decides for everyone', () => {
  it('"everyone": every API email is the real address, and no delivery_email key is sent', async () => {
    const s = await start({ featureLevel: 65, emailAddressVisibility: 'everyone' });
    const members = await usersAs(s);
    for (const u of humans(s)) {
      expect(members.get(u.user_id)!.email).toBe(u.delivery_email);
      expect(members.get(u.user_id)).not.toHaveProperty('delivery_email');
    }
    const register = await call(s, 'register', { method: 'POST', params: { fetch_event_types: ['realm'] } });
    expect(register.body.realm_email_address_visibility).toBe(1);
  });

  it('"admins": dummy API emails for every human, whatever their own (later) setting; delivery_email only for administrators', async () => {
    const s = await start({ featureLevel: 65, emailAddressVisibility: 'admins' });
    const admin = humans(s).find((u) => u.role === 200)!;
    const member = humans(s).find((u) => u.role === 400)!;
    const asMember = await usersAs(s, member);
    const asAdmin = await usersAs(s, admin);
    for (const u of humans(s)) {
      expect(asMember.get(u.user_id)!.email).toBe(dummy(u));
      if (u.user_id !== member.user_id) expect(asMember.get(u.user_id)).not.toHaveProperty('delivery_email');
      expect(asAdmin.get(u.user_id)!.delivery_email).toBe(u.delivery_email);
    }
    const register = await call(s, 'register', { method: 'POST', params: { fetch_event_types: ['realm'] } });
    expect(register.body.realm_email_address_visibility).toBe(3);
    // Presence is keyed by the API email, which is now the dummy one.
    const presences = (await call(s, 'realm/presence')).body.presences as Record<string, unknown>;
    for (const email of Object.keys(presences)) expect(email).toMatch(/^user\d+@zulip\.testserver$/);
  });

  it('a realm change is a realm event plus new API emails for every human (when "everyone" is involved)', async () => {
    const s = await start({ featureLevel: 65 });
    const queue = await call(s, 'register', { method: 'POST', params: { event_types: ['realm', 'realm_user'] } });
    const changed = await control(s, 'POST', '/demo/realm', { email_address_visibility: 'nobody' });
    expect(changed.status).toBe(200);
    const events = (await call(s, 'events', { params: { queue_id: queue.body.queue_id as string, last_event_id: -1, dont_block: true } })).body.events as Array<Record<string, unknown>>;
    expect(events[0]).toMatchObject({ type: 'realm', op: 'update', property: 'email_address_visibility', value: 4 });
    const newEmails = events.filter((e) => e.type === 'realm_user').map((e) => e.person as { user_id: number; new_email: string });
    expect(newEmails.length).toBe(s.org.users.filter((u) => !u.is_bot).length);
    for (const { user_id, new_email } of newEmails) expect(new_email).toBe(`user${user_id}@zulip.testserver`);
    // A person's own setting does not exist yet.
    const person = humans(s)[0]!;
    expect((await control(s, 'PATCH', `/demo/users/${person.user_id}`, { email_visibility: 'everyone' })).status).toBe(400);
  });

  it('the realm setting is a pre-7.0 thing', async () => {
    const s = await start({ featureLevel: 372 });
    expect((await control(s, 'POST', '/demo/realm', { email_address_visibility: 'admins' })).status).toBe(400);
    const register = await call(s, 'register', { method: 'POST', params: { fetch_event_types: ['realm'] } });
    expect(register.body).not.toHaveProperty('realm_email_address_visibility');
  });
});

describe('from 7.0 (FL 372): each person decides, read against the viewer’s role', () => {
  const LEVELS = ['everyone', 'members', 'moderators', 'admins', 'nobody'] as const;
  // Zulip's UserProfile.ROLE_TO_ACCESSIBLE_EMAIL_ADDRESS_VISIBILITY_IDS.
  const SEES: Record<number, string[]> = {
    100: ['everyone', 'members', 'moderators', 'admins'],
    200: ['everyone', 'members', 'moderators', 'admins'],
    300: ['everyone', 'members', 'moderators'],
    400: ['everyone', 'members'],
    600: ['everyone'],
  };

  it('sends the real address exactly to the roles the person’s setting allows, and a dummy API email unless "everyone"', async () => {
    const s = await start({ featureLevel: 372 });
    const ids: Record<string, number> = {};
    for (const level of LEVELS) {
      const made = await control(s, 'POST', '/demo/users', { full_name: `Visible to ${level}`, email_visibility: level });
      expect(made.status).toBe(200);
      ids[level] = (made.body.user as { user_id: number }).user_id;
    }
    for (const role of [100, 200, 300, 400, 600] as const) {
      const viewer = humans(s).find((u) => u.role === role && !Object.values(ids).includes(u.user_id));
      if (!viewer) continue;
      const seen = await usersAs(s, viewer);
      for (const level of LEVELS) {
        const target = s.org.users.find((u) => u.user_id === ids[level])!;
        const user = seen.get(target.user_id)!;
        expect(user.delivery_email, `${level} seen by role ${role}`).toBe(SEES[role]!.includes(level) ? target.delivery_email : null);
        expect(user.email).toBe(level === 'everyone' ? target.delivery_email : dummy(target));
      }
    }
  });

  it('the bot can be given a role at start', async () => {
    const s = await start({ featureLevel: 372, botRole: 200 });
    const bot = s.org.users.find((u) => u.delivery_email === s.bot.email)!;
    expect(bot.role).toBe(200);
    const register = await call(s, 'register', { method: 'POST', params: { fetch_event_types: ['realm_user'] } });
    expect(register.body.is_admin).toBe(true);
  });

  it('a change of setting tells those who gain or lose access (delivery_email) and, when "everyone" is involved, everyone (new_email)', async () => {
    const s = await start({ featureLevel: 372 });
    const made = await control(s, 'POST', '/demo/users', { full_name: 'Changes their mind', email_visibility: 'everyone' });
    const person = s.org.users.find((u) => u.user_id === (made.body.user as { user_id: number }).user_id)!;
    const queue = await call(s, 'register', { method: 'POST', params: { event_types: ['realm_user'] } });
    const read = async () =>
      ((await call(s, 'events', { params: { queue_id: queue.body.queue_id as string, last_event_id: -1, dont_block: true } })).body.events as Array<Record<string, unknown>>)
        .filter((e) => e.type === 'realm_user')
        .map((e) => e.person);
    // everyone → admins, as the (member) bot sees it: the address goes away, then the dummy API email.
    await control(s, 'PATCH', `/demo/users/${person.user_id}`, { email_visibility: 'admins' });
    expect(await read()).toEqual([
      { user_id: person.user_id, delivery_email: null },
      { user_id: person.user_id, new_email: dummy(person) },
    ]);
  });
});
