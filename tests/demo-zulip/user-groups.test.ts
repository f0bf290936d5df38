// User groups as each Zulip version serves and changes them (docs/zulip.md §n,
// docs/zulip-versions.md §8): register's `realm_user_groups` and GET /user_groups
// (zerver/lib/user_groups.py user_groups_in_realm_serialized, zerver/views/user_groups.py
// get_user_group), and the `user_group` events of zerver/actions/user_groups.py, at the levels
// where their shape changed.
import { describe, expect, it, onTestFinished } from 'vitest';
import { call, control, credsOf, expectShape, findUser, fixture, startTestServer, type Params, type TestServer } from './helpers';

type Group = Record<string, unknown> & { id: number; name: string; members: number[] };
type Event = Record<string, unknown> & { id: number; type: string; op?: string };

async function start(featureLevel: number, users = 40): Promise<TestServer> {
  const server = await startTestServer({ featureLevel, users });
  onTestFinished(() => server.close());
  return server;
}

async function register(server: TestServer, params: Params = {}): Promise<{ queueId: string; groups: Group[] }> {
  const res = await call(server, 'register', { method: 'POST', params: { event_types: ['user_group'], fetch_event_types: ['realm_user_groups'], ...params } });
  expect(res.status, res.text).toBe(200);
  return { queueId: res.body.queue_id as string, groups: res.body.realm_user_groups as Group[] };
}

async function events(server: TestServer, queueId: string): Promise<Event[]> {
  const res = await call(server, 'events', { params: { queue_id: queueId, last_event_id: -1, dont_block: true } });
  expect(res.status).toBe(200);
  return (res.body.events as Event[]).filter((e) => e.type !== 'heartbeat');
}

async function demo(server: TestServer, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await control(server, method, path, body);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const byName = (groups: Group[], name: string) => groups.find((g) => g.name === name)!;
const teamNames = (groups: Group[]) => groups.filter((g) => g.is_system_group !== true).map((g) => g.name);
const member = (server: TestServer) => findUser(server, (u) => u.is_active && !u.is_bot && u.role === 400, 'active member');

describe('register’s realm_user_groups, by version', () => {
  it('4.x (FL 65): {id, name, description, members}, no system groups, sorted by id', async () => {
    // 4.11 zerver/lib/user_groups.py user_groups_in_realm_serialized: exactly these keys.
    const server = await start(65);
    const { groups } = await register(server);
    for (const g of groups) expect(Object.keys(g).sort()).toEqual(['description', 'id', 'members', 'name']);
    expect(groups.map((g) => g.id)).toEqual([...groups.map((g) => g.id)].sort((a, b) => a - b));
    expect(teamNames(groups)).toContain('engineering');
    expect(groups.some((g) => /role:/.test(g.name))).toBe(false);
    // Direct members only: people-managers lists no one of leadership, its subgroup-to-be.
    const leadership = byName(groups, 'leadership').members;
    expect(byName(groups, 'people-managers').members.some((id) => leadership.includes(id))).toBe(false);
    // Deactivation did not exist: the deactivated team was deleted.
    expect(teamNames(groups)).not.toContain('mobile-guild');
  });

  it('5.x (FL 122): is_system_group and the role groups named "@role:…", each role’s users direct members', async () => {
    // CL FL 93; zerver/migrations/0382_create_role_based_system_groups.py: names, descriptions,
    // one UserGroupMembership per user in their role's group (members also in fullmembers).
    const server = await start(122);
    const { groups } = await register(server);
    const system = groups.filter((g) => g.is_system_group === true);
    expect(system.map((g) => g.name)).toEqual(['@role:owners', '@role:administrators', '@role:moderators', '@role:fullmembers', '@role:members', '@role:everyone', '@role:internet']);
    expect(byName(groups, '@role:owners')).toMatchObject({ description: 'Owners of this organization', members: [server.org.ceoId] });
    const members = server.org.users.filter((u) => u.role === 400).map((u) => u.user_id).sort((a, b) => a - b);
    expect(byName(groups, '@role:members').members).toEqual(members);
    expect(groups.every((g) => !('subgroups' in g) && !('direct_subgroup_ids' in g))).toBe(true);
  });

  it('6.0-dev (FL 127–130) says `subgroups`; from FL 131 `direct_subgroup_ids`; the role groups chained', async () => {
    // CL FL 127 (subgroups) and FL 131 (renamed); migration 0382 chains each role group into the next.
    const early = await register(await start(128));
    expect(byName(early.groups, 'launch-crew').subgroups).toEqual([byName(early.groups, 'platform').id]);
    const server = await start(150);
    const { groups } = await register(server);
    expect(byName(groups, 'launch-crew').direct_subgroup_ids).toEqual([byName(groups, 'platform').id]);
    expect(byName(groups, '@role:administrators').direct_subgroup_ids).toEqual([byName(groups, '@role:owners').id]);
    expect(byName(groups, '@role:internet').direct_subgroup_ids).toEqual([byName(groups, '@role:everyone').id]);
  });

  it('8.0 (FL 237) drops the "@"; 10.2 (FL 372) has the example’s shape, deactivated groups left out without the capability', async () => {
    // PR #26180 ("remove '@' character from role-based system groups"); CL FL 294.
    const server = await start(372);
    const { groups } = await register(server);
    expect(groups.filter((g) => g.is_system_group).map((g) => g.name)).toEqual([
      'role:owners', 'role:administrators', 'role:moderators', 'role:fullmembers', 'role:members', 'role:everyone', 'role:internet', 'role:nobody',
    ]);
    const example = fixture('get-user-groups-200.json') as { user_groups: unknown[] };
    // Both may be null (system groups predate the metadata, the example's creators too); they are both types here.
    expectShape(groups, example.user_groups, { extra: { '$[*].deactivated': 'in the UserGroup schema (FL 290), not in the example' }, nullable: ['$[*].creator_id', '$[*].date_created'] });
    expect(teamNames(groups)).not.toContain('mobile-guild');
    const all = await register(server, { client_capabilities: { notification_settings_null: true, include_deactivated_groups: true } });
    expect(byName(all.groups, 'mobile-guild')).toMatchObject({ deactivated: true, is_system_group: false });
  });

  it('10.0-dev (FL 290–293) sends deactivated groups to every client; from FL 303 members are active users only', async () => {
    // CL FL 290, FL 294 ("Prior to Zulip 10.0 (feature level 294), deactivated groups were included for all the clients"), FL 303.
    const before = await register(await start(292));
    expect(byName(before.groups, 'mobile-guild').deactivated).toBe(true);
    const server = await start(303);
    const deactivated = server.org.users.find((u) => !u.is_active && !u.is_bot)!;
    const { groups } = await register(server, { client_capabilities: { notification_settings_null: true, include_deactivated_groups: true } });
    expect(groups.some((g) => g.members.includes(deactivated.user_id))).toBe(false);
    const older = await register(await start(302), { client_capabilities: { notification_settings_null: true, include_deactivated_groups: true } });
    expect(older.groups.some((g) => g.members.includes(deactivated.user_id))).toBe(true);
  });
});

describe('GET /user_groups', () => {
  it('refuses bots and guests (require_member_or_admin), serves members', async () => {
    // zerver/decorator.py require_member_or_admin: guests first, then bots; JsonableError (400).
    const server = await start(372);
    const bot = await call(server, 'user_groups');
    expect(bot.status).toBe(400);
    expect(bot.body).toEqual({ result: 'error', msg: 'This endpoint does not accept bot requests.', code: 'BAD_REQUEST' });
    const guest = findUser(server, (u) => u.is_active && !u.is_bot && u.role === 600, 'guest');
    expect((await call(server, 'user_groups', { auth: credsOf(guest) })).body.msg).toBe('Not allowed for guest users');
    const res = await call(server, 'user_groups', { auth: credsOf(member(server)) });
    expect(res.status).toBe(200);
    expectShape(res.body, fixture('get-user-groups-200.json'), { extra: { '$.user_groups[*].deactivated': 'in the schema, not the example' }, nullable: ['$.user_groups[*].creator_id', '$.user_groups[*].date_created'] });
    const groups = res.body.user_groups as Group[];
    expect(teamNames(groups)).not.toContain('mobile-guild');
    const all = await call(server, 'user_groups', { auth: credsOf(member(server)), params: { include_deactivated_groups: true } });
    expect(teamNames(all.body.user_groups as Group[])).toContain('mobile-guild');
  });

  it('took `allow_deactivated` at FL 290–293, and nothing before', async () => {
    // CL FL 294: "Renamed allow_deactivated parameter to include_deactivated_groups".
    const server = await start(292);
    const res = await call(server, 'user_groups', { auth: credsOf(member(server)), params: { allow_deactivated: true } });
    expect(teamNames(res.body.user_groups as Group[])).toContain('mobile-guild');
    const renamed = await call(server, 'user_groups', { auth: credsOf(member(server)), params: { include_deactivated_groups: true } });
    expect(renamed.body.ignored_parameters_unsupported).toEqual(['include_deactivated_groups']);
  });
});

describe('user_group events, by version', () => {
  it('a new group: `add` with the group object of the level (4.x and 10.2)', async () => {
    // check_add_user_group → do_send_create_user_group_event, to active_user_ids.
    for (const featureLevel of [65, 372]) {
      const server = await start(featureLevel);
      const { queueId } = await register(server);
      const body = await demo(server, 'POST', '/demo/user_groups', { name: 'support-rota', description: 'Who is on call', members: [member(server).user_id] });
      const id = (body.user_group as { id: number }).id;
      const [event] = await events(server, queueId);
      expect(event).toMatchObject({ type: 'user_group', op: 'add', group: { id, name: 'support-rota', description: 'Who is on call', members: [member(server).user_id] } });
      if (featureLevel === 65) expect(Object.keys(event!.group as object).sort()).toEqual(['description', 'id', 'members', 'name']);
      else expectShape(event, fixture('event-user-group-add.json'), { extra: { '$.group.direct_subgroup_ids': 'in UserGroup, not the example', '$.group.deactivated': 'in UserGroup, not the example' } });
    }
  });

  it('members, renames and descriptions: one event each, in the spec’s shapes', async () => {
    // bulk_add_members_to_user_groups / bulk_remove_members_from_user_groups;
    // do_update_user_group_name and do_update_user_group_description each send an `update`.
    const server = await start(372);
    const { queueId, groups } = await register(server);
    const platform = byName(groups, 'platform');
    const who = member(server).user_id;
    await demo(server, 'POST', `/demo/user_groups/${platform.id}/members`, { add: [who] });
    await demo(server, 'POST', `/demo/user_groups/${platform.id}/members`, { delete: [who] });
    await demo(server, 'PATCH', `/demo/user_groups/${platform.id}`, { name: 'infra', description: 'Infrastructure' });
    const got = await events(server, queueId);
    expect(got.map((e) => e.op)).toEqual(['add_members', 'remove_members', 'update', 'update']);
    expectShape(got[0], fixture('event-user-group-add-members.json'));
    expectShape(got[1], fixture('event-user-group-remove-members.json'));
    expect(got[0]).toMatchObject({ group_id: platform.id, user_ids: [who] });
    expect(got[2]).toMatchObject({ group_id: platform.id, data: { name: 'infra' } });
    expect(got[3]).toMatchObject({ group_id: platform.id, data: { description: 'Infrastructure' } });
    // Zulip's own refusals.
    expect((await control(server, 'POST', `/demo/user_groups/${platform.id}/members`, { delete: [who] })).body.msg).toBe(`There is no member '${who}' in this user group`);
    expect((await control(server, 'PATCH', `/demo/user_groups/${platform.id}`, { name: 'engineering' })).body.msg).toBe("User group 'engineering' already exists.");
    expect((await control(server, 'PATCH', `/demo/user_groups/${platform.id}`, { name: 'role:x' })).body.msg).toBe("User group name cannot start with 'role:'.");
    const system = byName(groups, 'role:owners');
    expect((await control(server, 'POST', `/demo/user_groups/${system.id}/members`, { add: [who] })).body.msg).toBe('Insufficient permission');
  });

  it('subgroups: `subgroup_ids` at FL 127–130, `direct_subgroup_ids` from 131; cycles refused', async () => {
    // add_subgroups_to_user_group / remove_subgroups_from_user_group; CL FL 131.
    for (const [featureLevel, key] of [[128, 'subgroup_ids'], [150, 'direct_subgroup_ids']] as const) {
      const server = await start(featureLevel);
      const { queueId, groups } = await register(server);
      const [design, product] = [byName(groups, 'design').id, byName(groups, 'product').id];
      await demo(server, 'POST', `/demo/user_groups/${product}/subgroups`, { add: [design] });
      await demo(server, 'POST', `/demo/user_groups/${product}/subgroups`, { delete: [design] });
      const got = await events(server, queueId);
      expect(got).toMatchObject([
        { op: 'add_subgroups', group_id: product, [key]: [design] },
        { op: 'remove_subgroups', group_id: product, [key]: [design] },
      ]);
      if (key === 'direct_subgroup_ids') expectShape(got[0], fixture('event-user-group-add-subgroups.json'));
    }
    const server = await start(372);
    const { groups } = await register(server);
    const [crew, platform] = [byName(groups, 'launch-crew').id, byName(groups, 'platform').id];
    const cycle = await control(server, 'POST', `/demo/user_groups/${platform}/subgroups`, { add: [crew] });
    expect(cycle.body.msg).toBe(`User group ${platform} is already a subgroup of one of the passed subgroups.`);
    expect((await control(await start(65), 'POST', `/demo/user_groups/${crew}/subgroups`, { add: [platform] })).status).toBe(400);
  });

  it('deactivating: deleted with `remove` before FL 290; `update` to everyone at 290–293; per capability from 294', async () => {
    // check_delete_user_group (before FL 290); do_deactivate_user_group; CL FL 290, FL 294.
    const deleted = await start(150);
    const q150 = await register(deleted);
    await demo(deleted, 'POST', `/demo/user_groups/${byName(q150.groups, 'platform').id}/deactivate`);
    const [removed] = await events(deleted, q150.queueId);
    expectShape(removed, fixture('event-user-group-remove.json'));
    expect(teamNames((await register(deleted)).groups)).not.toContain('platform');
    // A deleted subgroup is gone from its supergroup too.
    expect(byName((await register(deleted)).groups, 'launch-crew').direct_subgroup_ids).toEqual([]);

    const early = await start(292);
    const q292 = await register(early);
    await demo(early, 'POST', `/demo/user_groups/${byName(q292.groups, 'platform').id}/deactivate`);
    expect(await events(early, q292.queueId)).toMatchObject([{ op: 'update', data: { deactivated: true } }]);

    const server = await start(372);
    const plain = await register(server);
    const capable = await register(server, { client_capabilities: { notification_settings_null: true, include_deactivated_groups: true } });
    const platform = byName(plain.groups, 'platform').id;
    await demo(server, 'POST', `/demo/user_groups/${platform}/deactivate`);
    await demo(server, 'PATCH', `/demo/user_groups/${platform}`, { name: 'platform-old' });
    expect(await events(server, plain.queueId)).toMatchObject([{ op: 'remove', group_id: platform }]);
    expect(await events(server, capable.queueId)).toMatchObject([
      { op: 'update', group_id: platform, data: { deactivated: true } },
      { op: 'update', group_id: platform, data: { name: 'platform-old' } },
    ]);
    expect((await control(server, 'POST', `/demo/user_groups/${platform}/members`, { add: [member(server).user_id] })).status).toBe(400);
  });

  it('users: a role change moves them between role groups; reactivation re-adds them from FL 303', async () => {
    // zerver/actions/users.py do_change_user_role (and zerver/tests/test_users.py
    // check_user_role_change: one event out, one in, one for full members); CL FL 303 (add_members on reactivation;
    // remove_members on deactivation only to users who cannot access the user).
    const server = await start(372);
    const { queueId, groups } = await register(server);
    const person = member(server);
    const team = groups.find((g) => !g.is_system_group && g.members.includes(person.user_id))!;
    await demo(server, 'PATCH', `/demo/users/${person.user_id}`, { role: 300 });
    expect(await events(server, queueId)).toMatchObject([
      { op: 'remove_members', group_id: byName(groups, 'role:members').id, user_ids: [person.user_id] },
      { op: 'add_members', group_id: byName(groups, 'role:moderators').id, user_ids: [person.user_id] },
      { op: 'remove_members', group_id: byName(groups, 'role:fullmembers').id, user_ids: [person.user_id] },
    ]);
    const fresh = await register(server);
    await demo(server, 'PATCH', `/demo/users/${person.user_id}`, { is_active: false });
    expect(await events(server, fresh.queueId)).toEqual([]);
    expect(byName((await register(server)).groups, team.name).members).not.toContain(person.user_id);
    await demo(server, 'PATCH', `/demo/users/${person.user_id}`, { is_active: true });
    const back = await events(server, fresh.queueId);
    expect(back).toContainEqual(expect.objectContaining({ op: 'add_members', group_id: team.id, user_ids: [person.user_id] }));
  });

  it('go only to queues that asked for user_group', async () => {
    const server = await start(372);
    const other = await call(server, 'register', { method: 'POST', params: { event_types: ['presence'] } });
    const { groups } = await register(server);
    await demo(server, 'POST', `/demo/user_groups/${byName(groups, 'design').id}/members`, { add: [member(server).user_id] });
    expect(await events(server, other.body.queue_id as string)).toEqual([]);
  });
});

describe('the generated teams', () => {
  it('one per staffed department, cross-functional ones with subgroups, one deactivated; the same for a seed', async () => {
    const server = await start(372, 250);
    const list = (await demo(server, 'GET', '/demo/user_groups')).user_groups as Array<Group & { subgroups: number[]; deactivated: boolean; is_system_group: boolean }>;
    const names = list.filter((g) => !g.is_system_group).map((g) => g.name);
    expect(names).toEqual(expect.arrayContaining(['engineering', 'sales', 'customer-success', 'leadership', 'people-managers', 'platform', 'launch-crew', 'mobile-guild']));
    expect(byName(list, 'people-managers').subgroups).toEqual([byName(list, 'leadership').id]);
    expect(byName(list, 'mobile-guild').deactivated).toBe(true);
    expect(byName(list, 'leadership').members).toContain(server.org.ceoId);
    const again = await start(372, 250);
    expect(again.org.userGroups).toEqual(server.org.userGroups);
  });
});
