import { describe, expect, it } from 'vitest';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { PeopleQueries } from '@/lib/directory/search/query-people';
import { PeopleStore } from '@/lib/directory/domain/people-store';
import { PresenceStore } from '@/lib/presence/presence-store';
import { readFields, readPresenceMap, readStatuses, readUsers } from '../zulip/records-support';

// The status filter, the counts and "reachable first" (docs/architecture.md §18), through the
// stores as the server fills them from Zulip's shapes.
describe('PeopleQueries with availability', () => {
  const fields = [
    { id: 1, type: 1, name: 'Title', order: 1 },
    { id: 2, type: 1, name: 'Working hours', order: 2, editable_by_user: true },
    { id: 3, type: 1, name: 'Salary band', order: 3, editable_by_user: false },
  ];
  const user = (id: number, name: string, hours: string | null, joined: string, timezone = 'America/Sao_Paulo') => ({
    user_id: id,
    full_name: name,
    email: `u${id}@example.com`,
    date_joined: joined,
    timezone,
    is_bot: false,
    is_active: true,
    profile_data: { '1': { value: 'Engineer' }, '3': { value: 'B7' }, ...(hours ? { '2': { value: hours } } : {}) },
  });
  // Wednesday 9 December 2026, 13:00 UTC: 10:00 in São Paulo, 22:00 in Tokyo.
  const now = Date.UTC(2026, 11, 9, 13, 0);
  const nowSeconds = now / 1000;
  const people = new PeopleStore();
  people.replaceAll({
    users: readUsers([
      user(1, 'Ana Souza', '9-17', '2020-01-01T00:00+00:00'),
      user(2, 'Bruno Lima', '9-17', '2026-12-01T09:00+00:00'), // active, on vacation
      user(3, 'Chiara Rossi', null, '2021-05-01T00:00+00:00'), // idle, hours from the default
      user(4, 'Daiki Sato', '9-17', '2026-11-20T00:00+00:00', 'Asia/Tokyo'), // active at 22:00 his time
      user(5, 'Eva Novak', 'flexible', '2019-01-01T00:00+00:00'), // active, unreadable hours: unknown
      user(6, 'Femi Ade', null, '2022-01-01T00:00+00:00'), // offline, out sick, back Monday
      user(7, 'Gil Costa', null, '2023-01-01T00:00+00:00'), // offline, out until a date
    ]),
    fields: readFields(fields),
    statuses: readStatuses({
      '2': { status_text: 'Vacationing', emoji_name: 'palm_tree', emoji_code: '1f334', reaction_type: 'unicode_emoji' },
      '3': { status_text: 'In a meeting' },
      '6': { status_text: 'Out sick, back on Monday' },
      '7': { status_text: 'OOO until 2026-12-10' },
    }),
    realmUrl: 'https://chat.example.com',
    policy: { defaultWorkingHours: 'Mon-Fri 09:00-17:00', hiddenFields: ['salary BAND'] },
  });
  const presence = new PresenceStore(200);
  const active = { active_timestamp: nowSeconds, idle_timestamp: nowSeconds };
  presence.replaceAll(readPresenceMap({ '1': active, '2': active, '3': { active_timestamp: 0, idle_timestamp: nowSeconds }, '4': active, '5': active }).byId, nowSeconds);
  presence.setServerTime(nowSeconds, nowSeconds);
  presence.recompute([1, 2, 3, 4, 5, 6, 7].map((id) => ({ id })), nowSeconds);
  const queries = new PeopleQueries(people, presence);
  const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };
  const run = (q: Partial<typeof DEFAULT_PEOPLE_QUERY>, at = now) => queries.run({ ...DEFAULT_PEOPLE_QUERY, ...q }, freshness, at);
  const ids = (q: Partial<typeof DEFAULT_PEOPLE_QUERY>, at = now) => run(q, at).items.map((p) => p.id);

  it('counts reachable (active or idle, not out, within known hours) and out', () => {
    const page = run({});
    expect({ reachable: page.reachable, out: page.out }).toEqual({ reachable: 3, out: 3 });
    expect(ids({ status: 'reachable', sort: 'name' })).toEqual([1, 3, 5]);
  });

  it('sorts reachable first: reachable active, reachable idle, the rest, then those who are out', () => {
    expect(ids({})).toEqual([1, 5, 3, 4, 2, 6, 7]);
  });

  it('lists who is out, soonest back first, an unknown return last', () => {
    expect(ids({ status: 'out' })).toEqual([7, 6, 2]);
    expect(run({ status: 'out' }).items.map((p) => p.availability.out?.until ?? null)).toEqual(['2026-12-10', '2026-12-14', null]);
  });

  it('an absence whose return day has passed in their zone is over: the status was not cleared, and its text still shows', () => {
    // Friday 11 December 2026, 13:00 UTC: Gil said "OOO until 2026-12-10".
    const friday = Date.UTC(2026, 11, 11, 13, 0);
    expect(ids({ status: 'out' }, friday)).toEqual([6, 2]);
    const gil = run({ q: 'gil' }, friday).items[0]!;
    expect(gil.availability.out).toBeNull();
    expect(gil.status?.text).toBe('OOO until 2026-12-10');
    // The return day itself is not over: 10 December, 23:30 in São Paulo (02:30 UTC on the 11th).
    expect(ids({ status: 'out' }, Date.UTC(2026, 11, 11, 2, 30))).toEqual([7, 6, 2]);
  });

  it('changes the answer when a working-hours boundary passes, with no new data', () => {
    // 21:00 UTC: 18:00 in São Paulo, 06:00 on Thursday in Tokyo.
    const evening = Date.UTC(2026, 11, 9, 21, 0);
    expect(ids({ status: 'reachable', sort: 'name' }, evening)).toEqual([5]);
    const daiki = run({ q: 'daiki' }, Date.UTC(2026, 11, 10, 0, 30)).items[0]!; // 09:30 Thursday in Tokyo
    expect(daiki.availability).toMatchObject({ reachable: true, withinWorkingHours: true });
  });

  it('sends each row its availability as the API contract says', () => {
    const [ana] = run({ q: 'ana souza' }).items;
    expect(ana!.availability).toEqual({
      reachable: true,
      out: null,
      busy: false,
      workingHours: { text: '9-17', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'America/Sao_Paulo' },
      withinWorkingHours: true,
    });
    expect(run({ q: 'chiara' }).items[0]!.availability).toMatchObject({ busy: true, reachable: true, workingHours: { text: 'Mon-Fri 09:00-17:00' } });
    expect(run({ q: 'eva' }).items[0]!.availability).toMatchObject({ workingHours: null, withinWorkingHours: null, reachable: true });
  });

  it('sorts newest first by date joined', () => {
    expect(ids({ sort: 'joined' })).toEqual([2, 4, 7, 6, 3, 1, 5]);
    expect(ids({ sort: 'joined', status: 'reachable' })).toEqual([3, 1, 5]);
  });

  it('never uses, shows or searches a hidden field', () => {
    expect(people.fieldDefinitions().map((f) => f.name)).toEqual(['Title', 'Working hours']);
    expect(JSON.stringify(run({}).items)).not.toContain('B7');
    expect(run({ q: 'B7' }).total).toBe(0);
  });
});

describe('PeopleQueries with an absence said ahead of time', () => {
  const user = (id: number, name: string) => ({
    user_id: id,
    full_name: name,
    email: `u${id}@example.com`,
    date_joined: '2020-01-01T00:00+00:00',
    timezone: 'Europe/Lisbon',
    is_bot: false,
    is_active: true,
    profile_data: {},
  });
  const people = new PeopleStore();
  people.replaceAll({
    users: readUsers([user(1, 'Ana Souza'), user(2, 'Bruno Lima'), user(3, 'Chiara Rossi')]),
    fields: readFields([]),
    statuses: readStatuses({ '1': { status_text: 'OOO from 22 Dec until 4 Jan' }, '2': { status_text: 'Vacationing' }, '3': { status_text: 'OOO until 20 Dec' } }),
    realmUrl: 'https://chat.example.com',
  });
  const presence = new PresenceStore(200);
  const queries = new PeopleQueries(people, presence);
  const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };
  const run = (q: Partial<typeof DEFAULT_PEOPLE_QUERY>, at: number) => queries.run({ ...DEFAULT_PEOPLE_QUERY, ...q }, freshness, at);

  it('is not out before the day it starts, in the counts and the filter as in the row; out from it, soonest back first', () => {
    const before = Date.UTC(2026, 11, 9, 12);
    expect(run({}, before).out).toBe(2);
    expect(run({ status: 'out' }, before).items.map((p) => p.id)).toEqual([3, 2]);
    expect(run({ q: 'ana' }, before).items[0]!.availability.out).toBeNull();
    const during = Date.UTC(2026, 11, 23, 12);
    expect(run({ status: 'out' }, during).items.map((p) => p.id)).toEqual([1, 2]);
    expect(run({ status: 'out' }, during).items[0]!.availability.out).toEqual({ reason: 'OOO from 22 Dec until 4 Jan', until: '2027-01-04', lastDay: true });
  });
});
