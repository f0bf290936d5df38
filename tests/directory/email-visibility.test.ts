// Which real addresses the directory shows (lib/directory/domain/email-visibility.ts): the rule per
// Zulip generation read from register, and the people store applying it and the guest rule.
// tests/directory/member-view.test.ts checks the same end to end against the demo server.
import { describe, expect, it } from 'vitest';
import { emailRuleFor, memberVisibleEmail, STRICTEST_EMAIL_RULE, type EmailRule } from '@/lib/directory/domain/email-visibility';
import { PeopleStore, type DirectoryPolicy, type PeopleUpdate } from '@/lib/directory/domain/people-store';
import registerFixture from '../fixtures/zulip/register-200.json';
import { readEvents, readRegister, readUsers } from '../zulip/records-support';

/** A user as Zulip sends it; `email` is the API email, `delivery_email` what the bot may read. */
const user = (id: number, email: string, delivery: string | null | undefined, extra: Record<string, unknown> = {}) => {
  const raw: Record<string, unknown> = { user_id: id, full_name: `Person ${id}`, email, date_joined: '2020-01-01T00:00+00:00', is_bot: false, is_active: true, role: 400, ...extra };
  if (delivery !== undefined) raw.delivery_email = delivery;
  return readUsers([raw])[0]!;
};
const shown = (rule: EmailRule, ...args: Parameters<typeof user>) => memberVisibleEmail(user(...args), rule);

describe('the rule, per generation', () => {
  it('before FL 163 the realm decides: members see addresses only when it says "everyone" (1)', () => {
    expect(emailRuleFor(65, 1, 200)).toEqual({ by: 'realm', everyone: true });
    for (const restricted of [3, 4, 5, null]) expect(emailRuleFor(150, restricted, 400)).toEqual({ by: 'realm', everyone: false });
  });

  it('from FL 163 each person decides; only a member bot’s answers are already what a member gets', () => {
    expect(emailRuleFor(163, null, 400)).toEqual({ by: 'person', botIsMember: true });
    for (const role of [100, 200, 300, 600, null]) expect(emailRuleFor(372, null, role)).toEqual({ by: 'person', botIsMember: false });
  });

  it('realm rule: the real API email of a public realm, never a dummy one, never a delivery_email an administrator reads', () => {
    const open = { by: 'realm', everyone: true } as const;
    const closed = { by: 'realm', everyone: false } as const;
    expect(shown(open, 5, 'ana@acme.example', undefined)).toBe('ana@acme.example');
    expect(shown(open, 5, 'user5@chat.acme.example', undefined)).toBeNull();
    expect(shown(closed, 5, 'ana@acme.example', undefined)).toBeNull();
    expect(shown(closed, 5, 'user5@chat.acme.example', 'ana@acme.example')).toBeNull();
  });

  it('person rule: "everyone" (API email = real address) always; the rest only from a member bot', () => {
    const admin = { by: 'person', botIsMember: false } as const;
    const member = { by: 'person', botIsMember: true } as const;
    expect(shown(admin, 5, 'Ana@Acme.example', 'ana@acme.example')).toBe('ana@acme.example');
    expect(shown(admin, 5, 'user5@chat.acme.example', 'ana@acme.example')).toBeNull();
    expect(shown(member, 5, 'user5@chat.acme.example', 'ana@acme.example')).toBe('ana@acme.example');
    expect(shown(member, 5, 'user5@chat.acme.example', null)).toBeNull();
  });
});

describe('register tells the rule’s inputs', () => {
  it('reads the realm setting and the bot’s role (its own user object first, else the flags)', () => {
    const bot = { user_id: 9, full_name: 'Directory', email: 'dir-bot@acme.example', delivery_email: 'dir-bot@acme.example', is_bot: true, role: 200 };
    const state = readRegister({ ...registerFixture, zulip_feature_level: 65, realm_email_address_visibility: 3, user_id: 9, is_admin: true, realm_users: [bot] });
    expect(state.realm.emailAddressVisibility).toBe(3);
    expect(state.account).toEqual({ userId: 9, role: 200 });
    expect(readRegister({ ...registerFixture, user_id: 9, is_moderator: true, is_admin: false }).account).toEqual({ userId: 9, role: 300 });
    expect(readRegister(registerFixture).account).toEqual({ userId: null, role: null });
  });
});

describe('the people store', () => {
  const store = (policy: Partial<DirectoryPolicy> | undefined, users = [user(1, 'user1@chat.acme.example', 'hidden@acme.example'), user(2, 'bo@acme.example', 'bo@acme.example'), user(3, 'gil@acme.example', 'gil@acme.example', { role: 600, is_guest: true })]) => {
    const s = new PeopleStore();
    s.replaceAll({ users: [...users, user(9, 'dir-bot@acme.example', 'dir-bot@acme.example', { is_bot: true })], fields: [], statuses: new Map(), realmUrl: 'https://chat.acme.example', policy });
    return s;
  };
  const apply = (s: PeopleStore, event: Record<string, unknown>) => {
    for (const update of readEvents([{ id: 0, ...event }]).updates) s.apply(update as PeopleUpdate);
  };

  it('without a policy: only public addresses, no guests', () => {
    const s = store(undefined);
    expect(s.list().map((p) => [p.id, p.email])).toEqual([
      [1, null],
      [2, 'bo@acme.example'],
    ]);
  });

  it('recognises who signs in by a real address only, never by a dummy API email', () => {
    const s = store({ emailRule: { by: 'person', botIsMember: false } });
    // Zulip's stand-in for a hidden address (zerver/lib/create_user.py) is not theirs to sign in
    // with: an SSO that let someone take it as their address would sign them in as user 1.
    expect(s.resolveMember('user1@chat.acme.example')).toBeUndefined();
    expect(s.resolveMember('USER1@chat.acme.example ')).toBeUndefined();
    // Their real address, hidden from members, still is; so is a public one, as the API email.
    expect(s.resolveMember('hidden@acme.example')?.id).toBe(1);
    expect(s.resolveMember('bo@acme.example')?.id).toBe(2);
    // Looking someone up (a viewer's link) by the API email still works: it names no one's address.
    expect(s.resolve('user1@chat.acme.example')?.id).toBe(1);
  });

  it('lists guests only when allowed', () => {
    expect(store({ allowGuests: true }).get(3)?.isGuest).toBe(true);
    const s = store({ allowGuests: false });
    expect(s.get(3)).toBeUndefined();
    expect(s.resolveMember('gil@acme.example')).toBeUndefined();
    apply(s, { type: 'realm_user', op: 'update', person: { user_id: 2, role: 600 } });
    expect(s.get(2)).toBeUndefined();
    apply(s, { type: 'realm_user', op: 'update', person: { user_id: 3, role: 400 } });
    expect(s.get(3)?.isGuest).toBe(false);
  });

  it('follows delivery_email and new_email events', () => {
    const s = store({ emailRule: { by: 'person', botIsMember: true }, ownUserId: 9 });
    expect(s.get(1)?.email).toBe('hidden@acme.example');
    apply(s, { type: 'realm_user', op: 'update', person: { user_id: 1, delivery_email: null } });
    expect(s.get(1)?.email).toBeNull();
    expect(s.resolve('hidden@acme.example')).toBeUndefined();
    // everyone → members: a member still sees it, so Zulip sends no delivery_email, only the dummy API email.
    apply(s, { type: 'realm_user', op: 'update', person: { user_id: 2, new_email: 'user2@chat.acme.example' } });
    expect(s.get(2)?.email).toBe('bo@acme.example');
    // An administrator bot gets the same event for everyone → admins: the address is no longer public.
    const asAdmin = store({ emailRule: { by: 'person', botIsMember: false }, ownUserId: 9 });
    apply(asAdmin, { type: 'realm_user', op: 'update', person: { user_id: 2, new_email: 'user2@chat.acme.example' } });
    expect(asAdmin.get(2)?.email).toBeNull();
    expect(asAdmin.resolve('bo@acme.example')).toBeUndefined();
  });

  it('trusts only public addresses once the bot’s own role changes (the data came for the old role)', () => {
    const s = store({ emailRule: { by: 'person', botIsMember: true }, ownUserId: 9 });
    apply(s, { type: 'realm_user', op: 'update', person: { user_id: 9, role: 200 } });
    expect(s.get(1)?.email).toBeNull();
    expect(s.get(2)?.email).toBe('bo@acme.example');
    // A fresh snapshot brings a fresh rule.
    s.replaceAll({ users: [user(1, 'user1@chat.acme.example', 'hidden@acme.example')], fields: [], statuses: new Map(), realmUrl: '', policy: { emailRule: STRICTEST_EMAIL_RULE } });
    expect(s.get(1)?.email).toBeNull();
  });

  it('knows the origins of the avatars it holds', () => {
    const s = store(undefined, [
      user(1, 'a@acme.example', 'a@acme.example', { avatar_url: '/user_avatars/2/a.png' }),
      user(2, 'b@acme.example', 'b@acme.example', { avatar_url: 'https://secure.gravatar.com/avatar/x?d=identicon' }),
      user(4, 'c@acme.example', 'c@acme.example', { avatar_url: 'https://uploads.s3.amazonaws.com/2/c.png' }),
      user(5, 'd@acme.example', 'd@acme.example', { avatar_url: 'https://uploads.s3.amazonaws.com/2/d.png' }),
    ]);
    expect(s.avatarOrigins()).toEqual(['https://chat.acme.example', 'https://secure.gravatar.com', 'https://uploads.s3.amazonaws.com']);
  });
});
