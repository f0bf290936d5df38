import { describe, expect, it } from 'vitest';
import { PeopleStore, type DirectoryEvent } from '@/lib/directory/people-store';
import { detectFieldRoles } from '@/lib/directory/field-roles';
import { registerUsers, toPerson, userFields, type ZulipUserFields } from '@/lib/directory/to-person';
import usersFixture from '../fixtures/zulip/get-users-200.json';
import fieldsEvent from '../fixtures/zulip/event-custom-profile-fields.json';
import statusEvent from '../fixtures/zulip/event-user-status.json';
import addEvent from '../fixtures/zulip/event-realm-user-add.json';

const FIELDS = [
  { id: 1, type: 1, name: 'Title', order: 1, field_data: '' },
  { id: 2, type: 3, name: 'Department', order: 2, field_data: '{"0":{"text":"Engineering","order":"1"},"1":{"text":"Design","order":"2"}}' },
  { id: 3, type: 6, name: 'Manager', order: 3, field_data: '' },
  { id: 4, type: 8, name: 'Pronouns', order: 4, field_data: '' },
];

function human(id: number, extra: Partial<ZulipUserFields> = {}): ZulipUserFields {
  return { user_id: id, full_name: `Person ${id}`, email: `p${id}@example.com`, delivery_email: `p${id}@example.com`, date_joined: '2020-01-01T00:00+00:00', is_bot: false, is_active: true, ...extra };
}

function store(users: ZulipUserFields[], statuses = {}) {
  const s = new PeopleStore();
  s.replaceAll({ users, fields: FIELDS, statuses, realmUrl: 'https://chat.example.com' });
  return s;
}

describe('PeopleStore', () => {
  it("loads Zulip's published GET /users example, listing humans only", () => {
    const s = new PeopleStore();
    s.replaceAll({ users: usersFixture.members as ZulipUserFields[], fields: [], statuses: {}, realmUrl: 'https://zulip.example.com' });
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

  it('resolves a ref by id, API email or real email, case-insensitively; bots and deactivated are not found', () => {
    const s = store([
      human(5, { email: 'user5@chat.example.com', delivery_email: 'Ana@Example.com' }),
      human(6, { is_bot: true }),
      human(7, { is_active: false }),
    ]);
    expect(s.resolve('5')?.id).toBe(5);
    expect(s.resolve('USER5@chat.example.com')?.id).toBe(5);
    expect(s.resolve('ana@example.com')?.id).toBe(5);
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
    s.applyEvent(statusEvent as DirectoryEvent);
    expect(s.get(10)?.status).toEqual({ text: 'out to lunch', emoji: '🚗', emojiName: 'car' });
    s.applyEvent({ type: 'user_status', user_id: 10, status_text: '', emoji_name: '', emoji_code: '', reaction_type: '' });
    expect(s.get(10)?.status).toBeNull();
  });

  it('applies realm_user add, rename, field change and deactivation events', () => {
    const s = store([human(1)]);
    const before = s.version;
    s.applyEvent(addEvent as DirectoryEvent);
    const added = (addEvent as { person: { user_id: number; full_name: string } }).person;
    expect(s.get(added.user_id)?.name).toBe(added.full_name);
    s.applyEvent({ type: 'realm_user', op: 'update', person: { user_id: 1, full_name: 'Renamed' } });
    expect(s.get(1)?.name).toBe('Renamed');
    s.applyEvent({ type: 'realm_user', op: 'update', person: { user_id: 1, custom_profile_field: { id: 1, value: 'CTO' } } });
    expect(s.get(1)?.title).toBe('CTO');
    s.applyEvent({ type: 'realm_user', op: 'update', person: { user_id: 1, is_active: false } });
    expect(s.get(1)).toBeUndefined();
    expect(s.resolve('p1@example.com')).toBeUndefined();
    expect(s.version).toBeGreaterThan(before);
  });

  it("re-derives everyone when field definitions change (Zulip's custom_profile_fields example)", () => {
    const s = store([human(1, { profile_data: { '1': { value: 'Engineer' } } })]);
    expect(s.get(1)?.title).toBe('Engineer');
    s.applyEvent(fieldsEvent as DirectoryEvent);
    // Field 1 is now "Phone number": no longer a title.
    expect(s.get(1)?.title).toBeNull();
    expect(s.fieldDefinitions().map((f) => f.name)).toContain('Favorite editor');
  });
});

describe('userFields', () => {
  it("keeps what the directory reads of Zulip's published user, and nothing else", () => {
    const published = usersFixture.members.find((m) => m.profile_data && Object.keys(m.profile_data).length > 0)!;
    const kept = userFields(published as ZulipUserFields);
    expect(Object.keys(kept).sort()).toEqual(
      ['avatar_url', 'date_joined', 'delivery_email', 'email', 'full_name', 'is_active', 'is_bot', 'is_guest', 'profile_data', 'role', 'timezone', 'user_id'],
    );
    for (const [id, entry] of Object.entries(published.profile_data!)) expect(kept.profile_data?.[id]).toEqual({ value: entry.value });
    // The directory derives the same person from the trimmed user as from the whole one.
    const ctx = { roles: detectFieldRoles([]), fields: new Map(), realmUrl: 'https://zulip.example.com' };
    expect(toPerson(kept, ctx)).toEqual(toPerson(published as ZulipUserFields, ctx));
  });

  it('takes the active flag from the register list a user came in', () => {
    const withoutFlag = (id: number) => {
      const { is_active: _omitted, ...user } = human(id);
      void _omitted;
      return user;
    };
    const users = registerUsers([withoutFlag(7)], [withoutFlag(8)]);
    expect(users.map((u) => [u.user_id, u.is_active])).toEqual([[7, true], [8, false]]);
    expect(store(users).list().map((p) => p.id)).toEqual([7]);
  });
});
