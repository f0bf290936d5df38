import { describe, expect, it } from 'vitest';
import { parseEvents } from '@/lib/zulip/parse-events';
import { parsePresenceMap } from '@/lib/zulip/parse-presence';
import { parseRegister } from '@/lib/zulip/parse-register';
import { parseFieldDefinitions, parseUsers } from '@/lib/zulip/parse-users';
import { registerEnvelopeSchema } from '@/lib/zulip/schemas';
import { collecting } from './records-support';
import { fixture } from './support';

// lib/zulip reads Zulip strictly at the envelope and leniently per record (docs/zulip.md §l): a
// record whose meaning is clear is repaired, one without it is skipped and reported once
// ({kind, id, reason, endpoint}), and the rest loads. Each case checks both what came out and
// what was reported.

/** A Zulip user object as GET /users sends it. */
const user = (id: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  user_id: id,
  full_name: `Person ${id}`,
  email: `user${id}@zulip.example.com`,
  delivery_email: `p${id}@example.com`,
  avatar_url: `https://example.com/${id}.png`,
  timezone: 'Europe/Lisbon',
  date_joined: '2020-01-01T00:00:00+00:00',
  role: 400,
  is_guest: false,
  is_bot: false,
  is_active: true,
  ...extra,
});

const withoutKeys = (object: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k)));

describe('users', () => {
  it('skips a user without user_id, or whose full_name is not text, reporting each once; the others load', () => {
    const { ctx, issues } = collecting('GET /users');
    const users = parseUsers(
      [user(1), withoutKeys(user(2), 'user_id'), user(3, { full_name: { html: 'ECHO-ME' } }), user(4), 'not a user'],
      ctx,
    );
    expect(users.map((u) => u.id)).toEqual([1, 4]);
    expect(issues).toEqual([
      { kind: 'user', id: '?', reason: expect.stringContaining('user_id'), endpoint: 'GET /users' },
      { kind: 'user', id: '3', reason: expect.stringContaining('full_name'), endpoint: 'GET /users' },
      { kind: 'user', id: '?', reason: expect.any(String), endpoint: 'GET /users' },
    ]);
    // A reason names what was expected; it never echoes the value.
    expect(issues.map((i) => i.reason).join(' ')).not.toContain('ECHO-ME');
  });

  it('takes the role from is_owner / is_admin / is_guest on servers that send no role (before FL 59)', () => {
    const { ctx, issues } = collecting();
    const legacy = (id: number, flags: Record<string, boolean>) => ({ ...withoutKeys(user(id), 'role', 'is_guest'), is_owner: false, is_admin: false, is_guest: false, ...flags });
    const users = parseUsers([legacy(1, { is_owner: true, is_admin: true }), legacy(2, { is_admin: true }), legacy(3, { is_guest: true }), legacy(4, {})], ctx);
    expect(users.map((u) => [u.id, u.role, u.isGuest])).toEqual([
      [1, 100, false],
      [2, 200, false],
      [3, 600, true],
      [4, 400, false],
    ]);
    expect(issues).toEqual([]);
  });

  it("repairs an unreadable delivery_email, avatar_url, timezone or date_joined to 'none' and keeps the user", () => {
    const { ctx, issues } = collecting();
    const [repaired] = parseUsers([user(7, { delivery_email: 42, avatar_url: { url: 'x' }, timezone: 3600, date_joined: null })], ctx);
    expect(repaired).toMatchObject({ id: 7, fullName: 'Person 7', deliveryEmail: null, avatarUrl: null, timezone: '', dateJoined: '' });
    // Missing altogether reads the same.
    const [missing] = parseUsers([withoutKeys(user(8), 'delivery_email', 'avatar_url', 'timezone', 'date_joined')], ctx);
    expect(missing).toMatchObject({ id: 8, deliveryEmail: null, avatarUrl: null, timezone: '', dateJoined: '' });
    expect(issues).toEqual([]);
  });

  it('puts `version={avatar_version}` back on an avatar URL that left it off, so a new picture is a new URL', () => {
    // zerver/lib/avatar.py get_avatar_field (main): an upload's URL is its versioned file name
    // (user_avatar_base_path_from_ids hashes the version in), with no query; Gravatar's keeps
    // append_url_query_string(url, f"version={avatar_version:d}"), as every URL did before.
    const { ctx, issues } = collecting();
    const [upload, gravatar, unversioned] = parseUsers(
      [
        user(1, { avatar_url: '/user_avatars/2/f641fe6b0cdca129f1ad583f6388672bf8ab64d8.png', avatar_version: 4 }),
        user(2, { avatar_url: 'https://secure.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346?d=identicon&version=3', avatar_version: 3 }),
        user(3, { avatar_url: 'https://uploads.example.com/2/ab.png?x=1' }),
      ],
      ctx,
    );
    expect(upload!.avatarUrl).toBe('/user_avatars/2/f641fe6b0cdca129f1ad583f6388672bf8ab64d8.png?version=4');
    expect(gravatar!.avatarUrl).toBe('https://secure.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346?d=identicon&version=3');
    // No avatar_version (never left out by Zulip): the URL as sent.
    expect(unversioned!.avatarUrl).toBe('https://uploads.example.com/2/ab.png?x=1');
    // The avatar event carries avatar_version beside the new URL (zulip.yaml, realm_user update).
    const events = parseEvents(
      [{ type: 'realm_user', op: 'update', person: { user_id: 1, avatar_url: '/user_avatars/2/0d3c1d2e8b7a6f5e4d3c2b1a09f8e7d6c5b4a392.png', avatar_source: 'U', avatar_url_medium: '/user_avatars/2/0d3c1d2e8b7a6f5e4d3c2b1a09f8e7d6c5b4a392-medium.png', avatar_version: 5 }, id: 3 }],
      { ...ctx, featureLevel: 497 },
    );
    expect(events.updates).toEqual([{ kind: 'user_updated', userId: 1, changes: { avatarUrl: '/user_avatars/2/0d3c1d2e8b7a6f5e4d3c2b1a09f8e7d6c5b4a392.png?version=5' } }]);
    expect(issues).toEqual([]);
  });

  it('drops a profile value that is an object alone (reported as userId/fieldId); repairs a list of ids or a number to JSON text', () => {
    const { ctx, issues } = collecting('POST /register');
    const [u] = parseUsers(
      [
        user(12, {
          profile_data: {
            '1': { value: 'Engineer', rendered_value: '<p>Engineer</p>' },
            '2': { value: { text: 'Design' } },
            '3': { value: [4, 5] },
            '4': { value: 7 },
            '5': { value: ['a'] },
          },
        }),
      ],
      ctx,
    );
    expect(u?.profile).toEqual({ '1': 'Engineer', '3': '[4,5]', '4': '7' });
    expect(issues).toEqual([
      { kind: 'field_value', id: '12/2', reason: expect.any(String), endpoint: 'POST /register' },
      { kind: 'field_value', id: '12/5', reason: expect.any(String), endpoint: 'POST /register' },
    ]);
  });
});

describe('custom profile field definitions', () => {
  it('skips a definition without a name; keeps a type newer than this app as it is', () => {
    const { ctx, issues } = collecting('GET /realm/profile_fields');
    const fields = parseFieldDefinitions(
      [
        { id: 1, type: 1, name: 'Title', hint: '', field_data: '', order: 1 },
        { id: 2, type: 1, hint: 'no name' },
        { id: 3, type: 99, name: 'From the future', field_data: '{"x":1}' },
      ],
      ctx,
    );
    expect(fields).toEqual([
      { id: 1, type: 1, name: 'Title', hint: '', fieldData: '', order: 1 },
      // hint and order default ('' and its place in the list).
      { id: 3, type: 99, name: 'From the future', hint: '', fieldData: '{"x":1}', order: 2 },
    ]);
    expect(issues).toEqual([{ kind: 'field', id: '2', reason: expect.stringContaining('name'), endpoint: 'GET /realm/profile_fields' }]);
  });
});

describe('presence maps', () => {
  const meta = { complete: true, serverTimestamp: 1_000 };

  it('reads a missing modern key as 0 (before Zulip 7.0, a key with no row is left out)', () => {
    const { ctx, issues } = collecting('POST /register');
    const batch = parsePresenceMap({ '1': {}, '2': { idle_timestamp: 500 }, '3': { active_timestamp: 600 }, '4': { active_timestamp: 700, idle_timestamp: 800.5 } }, ctx, meta);
    expect(Object.fromEntries(batch.byId)).toEqual({
      1: { activeTimestamp: 0, idleTimestamp: 0 },
      2: { activeTimestamp: 0, idleTimestamp: 500 },
      3: { activeTimestamp: 600, idleTimestamp: 0 },
      4: { activeTimestamp: 700, idleTimestamp: 800.5 },
    });
    expect(batch).toMatchObject({ byApiEmail: new Map(), complete: true, serverTimestamp: 1_000 });
    expect(issues).toEqual([]);
  });

  it('skips and reports an entry whose timestamp is not a number; the others load', () => {
    const { ctx, issues } = collecting('POST /register');
    const batch = parsePresenceMap({ '1': { active_timestamp: 'x', idle_timestamp: 5 }, '2': { active_timestamp: 9, idle_timestamp: 9 } }, ctx, meta);
    expect(Object.fromEntries(batch.byId)).toEqual({ 2: { activeTimestamp: 9, idleTimestamp: 9 } });
    expect(issues).toEqual([{ kind: 'presence', id: '1', reason: expect.stringContaining('active_timestamp'), endpoint: 'POST /register' }]);
  });

  it("folds legacy per-client dicts as Zulip's web app does: active raises the active time, idle the idle time, aggregated only alone", () => {
    const { ctx, issues } = collecting('GET /realm/presence');
    const batch = parsePresenceMap(
      {
        'both@x': {
          website: { status: 'active', timestamp: 100 },
          ZulipMobile: { status: 'idle', timestamp: 200 },
          ZulipDesktop: { status: 'active', timestamp: 150 },
          aggregated: { status: 'idle', timestamp: 200 },
        },
        // aggregated repeats the newest client (and may say a computed offline): not read beside clients.
        'beside@x': { website: { status: 'idle', timestamp: 100 }, aggregated: { status: 'active', timestamp: 999 } },
        'alone@x': { aggregated: { status: 'active', timestamp: 300 } },
        'offline@x': { aggregated: { status: 'offline', timestamp: 400 } },
      },
      ctx,
      meta,
    );
    expect(Object.fromEntries(batch.byApiEmail)).toEqual({
      'both@x': { activeTimestamp: 150, idleTimestamp: 200 },
      'beside@x': { activeTimestamp: 0, idleTimestamp: 100 },
      'alone@x': { activeTimestamp: 300, idleTimestamp: 0 },
      'offline@x': { activeTimestamp: 0, idleTimestamp: 0 },
    });
    expect(batch.byId.size).toBe(0);
    expect(issues).toEqual([]);
  });
});

describe('events', () => {
  const read = (events: unknown[], featureLevel = 372) => {
    const { ctx, issues } = collecting('GET /events');
    return { ...parseEvents(events, { ...ctx, featureLevel }), issues };
  };

  it('ignores heartbeats and event types the app does not use, silently, but acknowledges their ids', () => {
    expect(read([{ type: 'heartbeat', id: 5 }, { type: 'message', id: 7, message: { content: 'hi' } }, { type: 'typing', op: 'start', id: 6 }])).toEqual({
      updates: [],
      lastEventId: 7,
      issues: [],
    });
    expect(read([])).toEqual({ updates: [], lastEventId: null, issues: [] });
  });

  it('reports a known event that does not fit with its event id, skips it, and delivers the rest', () => {
    const result = read([
      { type: 'realm_user', op: 'update', person: { full_name: 'No id' }, id: 8 },
      { type: 'presence', user_id: 10, server_timestamp: 5, presence: { website: { status: 'active', timestamp: 'x' } }, id: 9 },
      { type: 'presence', presences: { '10': { active_timestamp: 'x', idle_timestamp: 1 } }, id: 10 },
      { type: 'realm_user', op: 'remove', person: { user_id: 35 }, id: 11 },
    ]);
    expect(result.updates).toEqual([{ kind: 'user_removed', userId: 35 }]);
    expect(result.lastEventId).toBe(11);
    expect(result.issues).toEqual([
      { kind: 'event', id: '8', reason: expect.stringContaining('user_id'), endpoint: 'GET /events' },
      { kind: 'event', id: '9', reason: expect.stringContaining('presence dict'), endpoint: 'GET /events' },
      // A simplified event names its odd entries one by one (the others would still apply).
      { kind: 'presence', id: '10', reason: expect.stringContaining('active_timestamp'), endpoint: 'GET /events' },
    ]);
  });

  it('turns presence_disabled switched in a realm event into realm_changed; other realm properties are not used', () => {
    const result = read([
      { type: 'realm', op: 'update', property: 'presence_disabled', value: true, id: 1 },
      { type: 'realm', op: 'update_dict', property: 'default', data: { presence_disabled: false }, id: 2 },
      { ...fixture('event-realm-update.json'), id: 3 },
    ]);
    expect(result).toEqual({
      updates: [
        { kind: 'realm_changed', presenceDisabled: true },
        { kind: 'realm_changed', presenceDisabled: false },
      ],
      lastEventId: 3,
      issues: [],
    });
  });

  it('marks a legacy presence event a whole row only from feature level 178 (Zulip 7.0); simplified ones always', () => {
    const legacy = fixture('event-presence.json');
    const simplified = { type: 'presence', presences: { '10': { active_timestamp: 1594825445, idle_timestamp: 1594825445 } }, id: 1 };
    const presenceOf = (featureLevel: number, event: unknown) => {
      const { updates, issues } = read([event], featureLevel);
      expect(issues).toEqual([]);
      const [update] = updates;
      if (update?.kind !== 'presence_changed') throw new Error('expected a presence update');
      return update.presence;
    };
    expect(presenceOf(177, legacy)).toEqual({
      byId: new Map([[10, { activeTimestamp: 0, idleTimestamp: 1594825445 }]]),
      byApiEmail: new Map(),
      complete: false,
      serverTimestamp: 1594825445.3200784,
    });
    expect(presenceOf(178, legacy).complete).toBe(true);
    expect(presenceOf(419, simplified)).toMatchObject({ byId: new Map([[10, { activeTimestamp: 1594825445, idleTimestamp: 1594825445 }]]), complete: true });
  });
});

describe('register', () => {
  it('fails as a whole only when the envelope is wrong (no queue_id)', () => {
    const body = withoutKeys(fixture('register-200.json'), 'queue_id');
    const parsed = registerEnvelopeSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path)).toEqual([['queue_id']]);
  });

  it('reads a register answer whose every record is broken, reporting each, as an empty organization', () => {
    const { ctx, issues } = collecting('POST /register');
    const body = registerEnvelopeSchema.parse({
      ...fixture('register-200.json'),
      realm_users: [{ user_id: 1 }, user(2)],
      realm_non_active_users: [7],
      custom_profile_fields: [{ id: 1 }],
      user_status: { '2': 'away', abc: {} },
      presences: { '2': { active_timestamp: [] } },
    });
    const snapshot = parseRegister(body, ctx);
    expect(snapshot).toMatchObject({ queueId: 'fb67bf8a-c031-47cc-84cf-ed80accacda8', lastEventId: -1, featureLevel: 2, fields: [], statuses: new Map() });
    expect(snapshot.users.map((u) => [u.id, u.isActive])).toEqual([[2, true]]);
    expect(snapshot.presence.byId.size).toBe(0);
    expect(issues.map((i) => [i.kind, i.id])).toEqual([
      ['user', '1'],
      ['user', '?'],
      ['field', '1'],
      ['status', '2'],
      ['status', 'abc'],
      ['presence', '2'],
    ]);
    expect(issues.every((i) => i.endpoint === 'POST /register')).toBe(true);
  });
});
