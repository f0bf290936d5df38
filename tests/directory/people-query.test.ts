import { describe, expect, it } from 'vitest';
import { DEFAULT_PEOPLE_QUERY, parsePeopleQuery, peopleQueryToSearch } from '@/lib/directory/people-query';
import { PeopleQueries } from '@/lib/directory/query-people';
import { PeopleStore } from '@/lib/directory/people-store';
import { PresenceStore } from '@/lib/presence/presence-store';
import type { ZulipUserFields } from '@/lib/directory/to-person';

describe('parsePeopleQuery', () => {
  it('fills defaults and round-trips through the URL', () => {
    const parsed = parsePeopleQuery(new URLSearchParams('q=ana&department=Design&status=reachable&sort=name&offset=50'));
    expect(parsed).toEqual({ ok: true, query: { ...DEFAULT_PEOPLE_QUERY, q: 'ana', department: 'Design', status: 'reachable', sort: 'name', offset: 50 } });
    if (parsed.ok) expect(peopleQueryToSearch(parsed.query)).toBe('?q=ana&department=Design&status=reachable&sort=name&offset=50');
    expect(parsePeopleQuery(new URLSearchParams(''))).toEqual({ ok: true, query: DEFAULT_PEOPLE_QUERY });
  });

  it.each([
    ['status=online', '"status"'],
    ['limit=100000', '"limit"'],
    ['offset=-1', '"offset"'],
    ['q=' + 'a'.repeat(201), '"q"'],
    ['q=%00', 'control characters'],
    ['q=a&q=b', 'more than once'],
    ['evil=1', 'unknown parameter "evil"'],
  ])('rejects %s with a message naming the problem', (search, message) => {
    const parsed = parsePeopleQuery(new URLSearchParams(search));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});

describe('PeopleQueries', () => {
  const fields = [
    { id: 1, type: 1, name: 'Title', order: 1 },
    { id: 2, type: 1, name: 'Department', order: 2 },
  ];
  const user = (id: number, name: string, title: string, department: string): ZulipUserFields => ({
    user_id: id,
    full_name: name,
    email: `u${id}@example.com`,
    date_joined: '2020-01-01T00:00+00:00',
    is_bot: false,
    is_active: true,
    profile_data: { '1': { value: title }, '2': { value: department } },
  });
  const people = new PeopleStore();
  people.replaceAll({
    users: [user(1, 'José Álvarez', 'Engineer', 'Engineering'), user(2, 'Ana Souza', 'Designer', 'Design'), user(3, 'Joseph Kim', 'Manager', 'Engineering'), user(4, 'Zoë Adams', 'Joker', 'Sales')],
    fields,
    statuses: {},
    realmUrl: 'https://chat.example.com',
  });
  const presence = new PresenceStore(200);
  presence.replaceAll({ '3': { active_timestamp: 1000, idle_timestamp: 1000 }, '4': { active_timestamp: 0, idle_timestamp: 1000 } }, 1000);
  presence.setServerTime(1000, 1000);
  presence.recompute([1, 2, 3, 4], 1000);
  const queries = new PeopleQueries(people, presence);
  const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };
  const run = (q: Partial<typeof DEFAULT_PEOPLE_QUERY>) => queries.run({ ...DEFAULT_PEOPLE_QUERY, ...q }, freshness);

  it('sorts reachable first (active, idle, offline) then by name, or by name alone', () => {
    expect(run({}).items.map((p) => p.id)).toEqual([3, 4, 2, 1]);
    expect(run({ sort: 'name' }).items.map((p) => p.id)).toEqual([2, 1, 3, 4]);
  });

  it('searches accent-insensitively and ranks name prefixes before field matches', () => {
    expect(run({ q: 'jose', sort: 'name' }).items.map((p) => p.name)).toEqual(['José Álvarez', 'Joseph Kim']);
    // "jo" prefixes two names; "Joker" matches only a field, so it comes last.
    expect(run({ q: 'jo' }).items.map((p) => p.id).at(-1)).toBe(4);
  });

  it('filters by department and by presence, counting reachable people', () => {
    const engineering = run({ department: 'Engineering' });
    expect(engineering.total).toBe(2);
    expect(engineering.reachable).toBe(1);
    expect(run({ status: 'reachable' }).items.map((p) => p.id)).toEqual([3, 4]);
    expect(run({ status: 'active' }).items.map((p) => p.id)).toEqual([3]);
    expect(run({}).facets.departments).toEqual(['Design', 'Engineering', 'Sales']);
  });

  it('pages without losing the true total', () => {
    const page = run({ limit: 2, offset: 2 });
    expect(page.total).toBe(4);
    expect(page.items.map((p) => p.id)).toEqual([2, 1]);
  });

  it('hides presence entirely when the organization disabled it', () => {
    const page = queries.run({ ...DEFAULT_PEOPLE_QUERY }, { ...freshness, presenceDisabled: true });
    expect(page.items.every((p) => p.presence === null)).toBe(true);
    expect(page.reachable).toBe(0);
  });
});
