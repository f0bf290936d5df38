// The team filter (docs/zulip.md §n): `?team={id}` read and written like department and office,
// a team page's own parameters, and PeopleQueries answering for a team (subgroups resolved) as
// the plain filter would.
import { describe, expect, it } from 'vitest';
import { parsePeopleQuery } from '@/lib/directory/query/people-query';
import { DEFAULT_PEOPLE_QUERY, peopleQueryToSearch } from '@/lib/directory/query/people-query-url';
import { PeopleQueries } from '@/lib/directory/search/query-people';
import { PeopleStore } from '@/lib/directory/domain/people-store';
import { TeamsStore } from '@/lib/directory/domain/teams-store';
import { parseTeamId } from '@/lib/directory/query/teams-id';
import { parseTeamPageQuery } from '@/lib/directory/query/teams-page-query';
import { PresenceStore } from '@/lib/presence/presence-store';
import { readFields, readUsers } from '../zulip/records-support';

describe('team addresses', () => {
  it('reads ?team= as a group id, writes it back, and takes "" as every team', () => {
    const parsed = parsePeopleQuery(new URLSearchParams('team=12&department=Design'));
    expect(parsed).toEqual({ ok: true, query: { ...DEFAULT_PEOPLE_QUERY, department: 'Design', team: 12 } });
    if (parsed.ok) expect(peopleQueryToSearch(parsed.query)).toBe('?department=Design&team=12');
    expect(parsePeopleQuery(new URLSearchParams('team='))).toEqual({ ok: true, query: DEFAULT_PEOPLE_QUERY });
    expect(peopleQueryToSearch({ ...DEFAULT_PEOPLE_QUERY, team: null })).toBe('');
  });

  it.each(['0', '-1', '1.5', '1e3', 'abc', ' 12', '012', '2147483648', '99999999999', 'role:members', '%00'])('refuses team=%s with a message naming it', (value) => {
    const parsed = parsePeopleQuery(new URLSearchParams([['team', value]]));
    expect(parsed).toEqual({ ok: false, error: '"team" must be a team id (a whole number from 1)' });
  });

  it('refuses a repeated team', () => {
    expect(parsePeopleQuery(new URLSearchParams('team=1&team=2'))).toEqual({ ok: false, error: '"team" is given more than once' });
  });

  it('reads /groups/{id}: a positive id up to 2^31 − 1, nothing else', () => {
    expect(parseTeamId('9')).toEqual({ ok: true, id: 9 });
    expect(parseTeamId('2147483647')).toEqual({ ok: true, id: 2_147_483_647 });
    for (const bad of ['', '0', '09', '-9', '9.0', 'nine', '2147483648', '9 ']) expect(parseTeamId(bad).ok, bad).toBe(false);
  });

  it('takes the directory’s parameters on a team page, but not team (the address says it)', () => {
    expect(parseTeamPageQuery(new URLSearchParams('q=ana&status=active'))).toEqual({ ok: true, query: { ...DEFAULT_PEOPLE_QUERY, q: 'ana', status: 'active' } });
    expect(parseTeamPageQuery(new URLSearchParams('team=3'))).toEqual({ ok: false, error: 'unknown parameter "team" (a team page shows its own team)' });
    expect(parseTeamPageQuery({ team: '' }).ok).toBe(false);
    expect(parseTeamPageQuery(new URLSearchParams('evil=1'))).toEqual({ ok: false, error: 'unknown parameter "evil"' });
  });
});

describe('PeopleQueries with teams', () => {
  const fields = readFields([{ id: 2, type: 1, name: 'Department', order: 1 }]);
  const departments = ['Engineering', 'Design', 'Sales'];
  const users = readUsers(
    Array.from({ length: 300 }, (_, i) => ({
      user_id: i + 1,
      full_name: `Person ${String(i + 1).padStart(3, '0')}`,
      email: `p${i + 1}@example.com`,
      date_joined: '2020-01-01T00:00+00:00',
      is_bot: false,
      is_active: i % 50 !== 49,
      profile_data: { '2': { value: departments[i % 3]! } },
    })),
  );
  const people = new PeopleStore();
  people.replaceAll({ users, fields, statuses: new Map(), realmUrl: 'https://chat.example.com' });
  const presence = new PresenceStore(200);
  const teams = new TeamsStore();
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const base = { description: '', subgroupIds: [] as number[], isSystem: false, deactivated: false };
  teams.replaceAll([
    { ...base, id: 1, name: 'role:members', memberIds: range(1, 300), isSystem: true },
    { ...base, id: 10, name: 'backend', memberIds: range(1, 40) },
    { ...base, id: 11, name: 'frontend', memberIds: range(30, 80) },
    { ...base, id: 12, name: 'engineering', memberIds: [299, 1000], subgroupIds: [10, 11] },
    { ...base, id: 13, name: 'gone', memberIds: range(1, 10), deactivated: true },
  ]);
  const queries = new PeopleQueries(people, presence, teams);
  const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };
  const run = (q: Partial<typeof DEFAULT_PEOPLE_QUERY>) => queries.run({ ...DEFAULT_PEOPLE_QUERY, sort: 'name', limit: 200, ...q }, freshness);

  /** The plain version: listed people on the team, other filters applied, by name. */
  const reference = (team: number, department: string | null) => {
    const members = teams.members(team);
    return people
      .list()
      .filter((p) => members?.has(p.id) && (!department || p.department === department))
      .map((p) => p.id)
      .sort((a, b) => a - b);
  };

  it('lists a team’s listed people, subgroups included, with the other filters', () => {
    for (const team of [10, 11, 12]) {
      for (const department of [null, 'Engineering', 'Sales']) {
        const page = run({ team, department });
        expect(page.items.map((p) => p.id).sort((a, b) => a - b), `${team} ${department}`).toEqual(reference(team, department));
        expect(page.total).toBe(reference(team, department).length);
      }
    }
    // Deactivated people (50) are not listed; 1000 is no one.
    expect(run({ team: 12 }).items.map((p) => p.id)).not.toContain(50);
    expect(run({ team: 12 }).total).toBe(80 - 1 + 1);
  });

  it('answers no one for an unknown team, a system group or a deactivated one', () => {
    for (const team of [1, 13, 999]) expect(run({ team }).total).toBe(0);
  });

  it('offers the teams (not system or deactivated groups) as a facet, and follows their changes', () => {
    expect(run({}).facets.teams).toEqual([
      { id: 10, name: 'backend' },
      { id: 12, name: 'engineering' },
      { id: 11, name: 'frontend' },
    ]);
    teams.apply({ kind: 'group_members_added', groupId: 10, userIds: [201] });
    expect(run({ team: 12 }).items.map((p) => p.id)).toContain(201);
    teams.apply({ kind: 'group_updated', groupId: 11, changes: { name: 'web' } });
    expect(run({}).facets.teams.map((t) => t.name)).toEqual(['backend', 'engineering', 'web']);
  });

  it('keeps a bounded number of team filters, whatever ids are asked for', () => {
    for (let team = 1000; team < 1200; team++) expect(run({ team }).total).toBe(0);
    expect(run({ team: 10 }).total).toBeGreaterThan(0);
  });
});
