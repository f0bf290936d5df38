import { describe, expect, it } from 'vitest';
import { PeopleStore, type PeopleUpdate } from '@/lib/directory/domain/people-store';
import { detectFieldRoles } from '@/lib/directory/domain/field-roles';
import { toPerson } from '@/lib/directory/domain/to-person';
import type { UserRecord } from '@/lib/zulip/records';
import { readEvents, readFields, readRegister, readStatuses, readUsers } from '../zulip/records-support';
import usersFixture from '../fixtures/zulip/get-users-200.json';
import registerFixture from '../fixtures/zulip/register-200.json';
import fieldsEvent from '../fixtures/zulip/event-custom-profile-fields.json';
import statusEvent from '../fixtures/zulip/event-user-status.json';
import addEvent from '../fixtures/zulip/event-realm-user-add.json';

// Users, fields, statuses and events are written as Zulip sends them and read through lib/zulip's
// parsers (tests/zulip/records-support.ts), as the runtime reads them.

const FIELDS = [
  { id: 1, type: 1, name: 'Title', order: 1, field_data: '' },
  { id: 2, type: 3, name: 'Department', order: 2, field_data: '{"0":{"text":"Engineering","order":"1"},"1":{"text":"Design","order":"2"}}' },
  { id: 3, type: 6, name: 'Manager', order: 3, field_data: '' },
  { id: 4, type: 8, name: 'Pronouns', order: 4, field_data: '' },
];

/** A Zulip user object, as GET /users sends it. */
function human(id: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { user_id: id, full_name: `Person ${id}`, email: `p${id}@example.com`, delivery_email: `p${id}@example.com`, date_joined: '2020-01-01T00:00+00:00', is_bot: false, is_active: true, ...extra };
}

function storeOf(users: UserRecord[], statuses: Record<string, unknown> = {}) {
  const s = new PeopleStore();
  s.replaceAll({ users, fields: readFields(FIELDS), statuses: readStatuses(statuses), realmUrl: 'https://chat.example.com' });
  return s;
}

const store = (users: Record<string, unknown>[], statuses: Record<string, unknown> = {}) => storeOf(readUsers(users), statuses);

/** Applies one event from the queue, read as the client reads it; it must mean exactly one people update. */
function applyEvent(s: PeopleStore, event: Record<string, unknown>) {
  const { updates } = readEvents([{ id: 0, ...event }]);
  expect(updates).toHaveLength(1);
  s.apply(updates[0] as PeopleUpdate);
}

describe('PeopleStore', () => {
  it("loads Zulip's published GET /users example, listing humans only", () => {
    const s = new PeopleStore();
    s.replaceAll({ users: readUsers(usersFixture.members), fields: [], statuses: new Map(), realmUrl: 'https://zulip.example.com' });
    const listed = s.list();
    expect(listed.length).toBeGreaterThan(0);
    const raw = usersFixture.members.filter((m) => !m.is_bot && m.is_active);
    expect(listed.map((p) => p.id).sort()).toEqual(raw.map((m) => m.user_id).sort());
  });

  it('derives title, department (option text), manager and pronouns from field roles', () => {
    const s = store([
      human(1),
      human(2, { profile_data: { '1': { value: 'Engineer' }, '2': { value: '1' }, '3': { value: '[1]' }, '4': { value: 'she/her' } } }),
    ]);
    expect(s.get(2)).toMatchObject({ title: 'Engineer', department: 'Design', managerIds: [1], pronouns: 'she/her' });
  });

  it('resolves a ref by id, API email or shown real email, case-insensitively; bots and deactivated are not found', () => {
    const s = store([
      human(5, { email: 'user5@chat.example.com', delivery_email: 'Ana@Example.com' }),
      human(6, { is_bot: true }),
      human(7, { is_active: false }),
      human(8, { email: 'Bo@Example.com', delivery_email: 'bo@example.com' }),
    ]);
    expect(s.resolve('5')?.id).toBe(5);
    expect(s.resolve('USER5@chat.example.com')?.id).toBe(5);
    expect(s.resolve('bo@EXAMPLE.com')?.id).toBe(8);
    // Ana's address is hidden from members (a dummy API email): no lookup by it, except to check who signs in.
    expect(s.get(5)?.email).toBeNull();
    expect(s.resolve('ana@example.com')).toBeUndefined();
    expect(s.resolveMember('ana@example.com')?.id).toBe(5);
    // Nor does her dummy API email sign anyone in: it is no one's address (email-visibility.test.ts).
    expect(s.resolveMember('user5@chat.example.com')).toBeUndefined();
    expect(s.resolve('6')).toBeUndefined();
    expect(s.resolve('7')).toBeUndefined();
    expect(s.resolve('nobody@example.com')).toBeUndefined();
  });

  it('resolves relative avatar URLs against the realm and drops non-http ones', () => {
    const s = store([human(1, { avatar_url: '/user_avatars/2/abc.png' }), human(2, { avatar_url: 'javascript:alert(1)' })]);
    expect(s.get(1)?.avatarUrl).toBe('https://chat.example.com/user_avatars/2/abc.png');
    expect(s.get(2)?.avatarUrl).toBeNull();
  });

  it("applies Zulip's user_status event example, turning the unicode code into the emoji", () => {
    const s = store([human(10)]);
    applyEvent(s, statusEvent);
    expect(s.get(10)?.status).toEqual({ text: 'out to lunch', emoji: '🚗', emojiName: 'car' });
    applyEvent(s, { type: 'user_status', user_id: 10, status_text: '', emoji_name: '', emoji_code: '', reaction_type: '' });
    expect(s.get(10)?.status).toBeNull();
  });

  it('applies realm_user add, rename, field change and deactivation events', () => {
    const s = store([human(1)]);
    const before = s.version;
    applyEvent(s, addEvent);
    const added = addEvent.person;
    expect(s.get(added.user_id)?.name).toBe(added.full_name);
    applyEvent(s, { type: 'realm_user', op: 'update', person: { user_id: 1, full_name: 'Renamed' } });
    expect(s.get(1)?.name).toBe('Renamed');
    applyEvent(s, { type: 'realm_user', op: 'update', person: { user_id: 1, custom_profile_field: { id: 1, value: 'CTO' } } });
    expect(s.get(1)?.title).toBe('CTO');
    applyEvent(s, { type: 'realm_user', op: 'update', person: { user_id: 1, is_active: false } });
    expect(s.get(1)).toBeUndefined();
    expect(s.resolve('p1@example.com')).toBeUndefined();
    expect(s.version).toBeGreaterThan(before);
  });

  it("re-derives everyone when field definitions change (Zulip's custom_profile_fields example)", () => {
    const s = store([human(1, { profile_data: { '1': { value: 'Engineer' } } })]);
    expect(s.get(1)?.title).toBe('Engineer');
    applyEvent(s, fieldsEvent);
    // Field 1 is now "Phone number": no longer a title.
    expect(s.get(1)?.title).toBeNull();
    expect(s.fieldDefinitions().map((f) => f.name)).toContain('Favorite editor');
  });

  it('an option taken out of a list takes the choices of it with it, as Zulip deletes them (no bare key "1" as a department)', () => {
    const s = store([human(1, { profile_data: { '2': { value: '1' } } }), human(2, { profile_data: { '2': { value: '0' } } })]);
    expect(s.get(1)?.department).toBe('Design');
    // Zulip's try_update_realm_custom_profile_field calls remove_custom_profile_field_value_if_required,
    // which deletes the values of removed options; then only the new list goes out, no event per person.
    const withoutDesign = FIELDS.map((f) => (f.id === 2 ? { ...f, field_data: '{"0":{"text":"Engineering","order":"1"}}' } : f));
    applyEvent(s, { type: 'custom_profile_fields', fields: withoutDesign });
    expect(s.get(1)?.department).toBeNull();
    expect(s.get(1)?.fields['2']).toBeUndefined();
    expect(s.get(2)?.department).toBe('Engineering');
    // A new option later takes the free key (the web app's get_value_for_new_option: the highest
    // key plus one): the choices Zulip deleted do not come back under its name.
    const withMarketing = FIELDS.map((f) => (f.id === 2 ? { ...f, field_data: '{"0":{"text":"Engineering","order":"1"},"1":{"text":"Marketing","order":"2"}}' } : f));
    applyEvent(s, { type: 'custom_profile_fields', fields: withMarketing });
    expect(s.get(1)?.department).toBeNull();
    expect(s.get(2)?.department).toBe('Engineering');
  });
});

// What was userFields/registerUsers (trimming Zulip's users to what the directory reads) is now
// the parser's job: a UserRecord holds only what the directory reads.
describe('a replica from another instance (docs/architecture.md §10)', () => {
  const keyOf = (email: string) => `key:${email}`;
  const withHours = [...FIELDS, { id: 5, type: 1, name: 'Working hours', order: 5, field_data: '' }];
  const leader = new PeopleStore();
  leader.replaceAll({
    users: readUsers([
      human(1),
      human(2, { timezone: 'Europe/Berlin', profile_data: { '1': { value: 'Engineer' }, '2': { value: '1' }, '3': { value: '[1]' }, '4': { value: 'she/her' }, '5': { value: '9-17' } } }),
      human(3, { timezone: 'Europe/Berlin', profile_data: { '1': { value: 'Designer' } } }),
    ]),
    fields: readFields(withHours),
    statuses: new Map(),
    realmUrl: 'https://chat.example.com',
    policy: { defaultWorkingHours: 'Mon-Fri 10-16' },
  });

  it('is taken as the leader shows it when this instance hides nothing more', () => {
    const follower = new PeopleStore();
    follower.adoptReplica(leader.exportReplica(keyOf), { allowGuests: false, keyOf, hiddenFields: [] });
    expect(follower.list()).toEqual(leader.list());
  });

  it("loses the fields this instance's own DIRECTORY_HIDDEN_FIELDS names, and what the leader read from them", () => {
    const follower = new PeopleStore();
    follower.adoptReplica(leader.exportReplica(keyOf), { allowGuests: false, keyOf, hiddenFields: ['department', '3', 'Pronouns', 'working hours'] });
    expect(follower.fieldDefinitions().map((f) => f.name)).toEqual(['Title']);
    const ana = follower.get(2)!;
    expect(ana.fields).toEqual({ '1': 'Engineer' });
    expect(ana).toMatchObject({ title: 'Engineer', department: null, managerIds: [], pronouns: null, workingHours: null });
    expect(JSON.stringify(follower.list())).not.toMatch(/Design"|she\/her|9-17/);
    // Hours from the organization's default (no field written) are not the hidden field's.
    expect(follower.get(3)!.workingHours).toMatchObject({ text: 'Mon-Fri 10-16' });
    // And so for every record the leader sends after the snapshot.
    follower.applyReplica(leader.replicaRecord(2, keyOf));
    expect(follower.get(2)).toMatchObject({ department: null, managerIds: [], fields: { '1': 'Engineer' } });
  });

  it('names a guest who left only where its own settings list guests, whatever the leader\'s say', () => {
    const guestsLeader = new PeopleStore();
    guestsLeader.replaceAll({
      users: readUsers([human(1, { profile_data: { '3': { value: '[4]' } } }), human(4, { full_name: 'Guest Gina', role: 600, is_guest: true, is_active: false })]),
      fields: readFields(FIELDS),
      statuses: new Map(),
      realmUrl: 'https://chat.example.com',
      policy: { allowGuests: true },
    });
    expect(guestsLeader.former(4)?.name).toBe('Guest Gina');
    const strict = new PeopleStore();
    strict.adoptReplica(guestsLeader.exportReplica(keyOf), { allowGuests: false, keyOf, hiddenFields: [] });
    expect(strict.former(4)).toBeUndefined();
    const open = new PeopleStore();
    open.adoptReplica(guestsLeader.exportReplica(keyOf), { allowGuests: true, keyOf, hiddenFields: [] });
    expect(open.former(4)?.name).toBe('Guest Gina');
  });
});

describe("Zulip's users as records", () => {
  it("keeps what the directory reads of Zulip's published user, and nothing else", () => {
    const published = usersFixture.members.find((m) => m.profile_data && Object.keys(m.profile_data).length > 0)!;
    const [kept] = readUsers([published]);
    expect(Object.keys(kept!).sort()).toEqual(
      ['apiEmail', 'avatarUrl', 'dateJoined', 'deliveryEmail', 'fullName', 'id', 'isActive', 'isBot', 'isGuest', 'profile', 'role', 'timezone'],
    );
    expect(kept).toMatchObject({
      id: published.user_id,
      fullName: published.full_name,
      apiEmail: published.email,
      deliveryEmail: published.delivery_email,
      avatarUrl: published.avatar_url,
      timezone: published.timezone,
      dateJoined: published.date_joined,
      role: published.role,
      isGuest: published.is_guest,
      isBot: published.is_bot,
      isActive: published.is_active,
    });
    expect(Object.keys(kept!.profile).sort()).toEqual(Object.keys(published.profile_data!).sort());
    for (const [id, entry] of Object.entries(published.profile_data!)) expect(kept!.profile[id]).toBe(entry.value);
    // The directory derives the person from the record alone.
    const ctx = { roles: detectFieldRoles([]), fields: new Map(), realmUrl: 'https://zulip.example.com' };
    // Joined to the minute (date-joined.ts): Zulip's own form from 10.0, where this example has microseconds.
    expect(published.date_joined).toMatch(/:\d\d\.\d{6}\+00:00$/);
    expect(toPerson(kept!, ctx)).toMatchObject({ id: published.user_id, name: published.full_name, apiEmail: published.email, email: null, dateJoined: `${published.date_joined.slice(0, 16)}+00:00` });
  });

  it('takes the active flag from the register list a user came in', () => {
    const withoutFlag = (id: number) => {
      const { is_active: _omitted, ...user } = human(id);
      void _omitted;
      return user;
    };
    const { users } = readRegister({ ...registerFixture, realm_users: [withoutFlag(7)], realm_non_active_users: [withoutFlag(8)] });
    expect(users.map((u) => [u.id, u.isActive])).toEqual([[7, true], [8, false]]);
    expect(storeOf(users).list().map((p) => p.id)).toEqual([7]);
  });
});
