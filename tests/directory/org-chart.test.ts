import { describe, expect, it } from 'vitest';
import { buildOrgChart, type OrgChart, type OrgMember } from '@/lib/directory/domain/org-chart';
import { parseOrgApiQuery, parseOrgPageQuery } from '@/lib/directory/query/org-query';
import { PeopleStore, type PeopleUpdate } from '@/lib/directory/domain/people-store';
import { readEvents, readFields, readStatuses, readUsers, zulipUser } from '../zulip/records-support';

// The org chart's index (lib/directory/domain/org-chart.ts): every messy case of real manager fields
// has one rule, and whatever the data, everyone listed is placed exactly once and every walk ends.

const m = (id: number, managerIds: number[] = [], name = `Person ${String(id).padStart(3, '0')}`): OrgMember => ({ id, name, managerIds });

function chartOf(listed: OrgMember[], left: OrgMember[] = []): OrgChart {
  const former = new Map(left.map((p) => [p.id, p]));
  return buildOrgChart(listed, (id) => former.get(id));
}

const ids = (chart: OrgChart, parent: number | null) => chart.children(parent).map((e) => (e.repeat ? `${e.id}*` : e.id));

/** Every listed person once (not as a repeat), reached from the top, with a path that starts at a root and ends at them. */
function expectWellFormed(chart: OrgChart, listed: OrgMember[]): void {
  const placed: number[] = [];
  const stack = chart.children(null).map((e) => e.id);
  let repeats = 0;
  while (stack.length) {
    const id = stack.pop()!;
    placed.push(id);
    for (const e of chart.children(id)) {
      if (e.repeat) repeats++;
      else stack.push(e.id);
    }
  }
  expect(new Set(placed).size).toBe(placed.length);
  expect(placed.length).toBe(chart.size);
  for (const p of listed) {
    expect(chart.has(p.id)).toBe(true);
    const path = chart.path(p.id)!;
    expect(path.at(-1)).toBe(p.id);
    expect(chart.parentOf(path[0]!)).toBeNull();
    expect(new Set(path).size).toBe(path.length);
    // Their managers start with the one they sit under (but where a cycle is cut), then the others.
    const managers = chart.managersOf(p.id);
    if (chart.parentOf(p.id) !== null) expect(managers[0]).toBe(chart.parentOf(p.id));
    expect(managers.slice(1)).toEqual(chart.alsoReportsTo(p.id));
    for (const other of chart.alsoReportsTo(p.id)) expect(chart.alsoManages(other)).toContain(p.id);
  }
  // A repeat is only ever a cycle's member drawn at the top.
  for (const root of chart.children(null)) expect(root.repeat).toBe(false);
  expect(repeats).toBeLessThanOrEqual(chart.children(null).length);
}

describe('buildOrgChart', () => {
  it('places people under their manager: the top by how many are under them, each level by name', () => {
    const listed = [m(1), m(2, [1], 'Zoe'), m(3, [1], 'Adam'), m(4, [3]), m(5, [3]), m(6), m(7, [6]), m(8)];
    const chart = chartOf(listed);
    expect(ids(chart, null)).toEqual([1, 6, 8]);
    expect(ids(chart, 1)).toEqual([3, 2]);
    expect(ids(chart, 3)).toEqual([4, 5]);
    expect(chart.descendants(1)).toBe(4);
    expect(chart.descendants(8)).toBe(0);
    expect(chart.path(5)).toEqual([1, 3, 5]);
    expect(chart.indexOf(2)).toBe(1);
    expect(chart.parentOf(99)).toBeUndefined();
    expect(chart.path(99)).toBeNull();
    expectWellFormed(chart, listed);
  });

  it('puts someone whose manager is unknown (or a guest the directory hides) at the top, and never names that manager', () => {
    const chart = chartOf([m(1, [404]), m(2, [1])]);
    expect(ids(chart, null)).toEqual([1]);
    expect(chart.person(404)).toBeUndefined();
    expect(chart.alsoReportsTo(1)).toEqual([]);
  });

  it('several managers: sits under the first one known, the others are "also reports to"', () => {
    const listed = [m(1), m(2), m(3, [404, 2, 1, 2]), m(4, [1, 4])];
    const chart = chartOf(listed);
    expect(chart.parentOf(3)).toBe(2);
    expect(chart.alsoReportsTo(3)).toEqual([1]);
    // Listing yourself is ignored.
    expect(chart.parentOf(4)).toBe(1);
    expect(chart.alsoReportsTo(4)).toEqual([]);
    expectWellFormed(chart, listed);
  });

  it('a manager who has left is placed and marked, with their reports still under them; someone who left alone is not shown', () => {
    const listed = [m(1), m(2, [10]), m(3, [10]), m(4, [11])];
    // 10 left and reported to 1; 11 left and reported to 12, who also left; 13 left with no one under them.
    const left = [m(10, [1], 'Gone Manager'), m(11, [12]), m(12, []), m(13, [1])];
    const chart = chartOf(listed, left);
    expect(chart.person(10)).toEqual({ id: 10, name: 'Gone Manager', left: true });
    expect(ids(chart, 1)).toEqual([10]);
    expect(ids(chart, 10)).toEqual([2, 3]);
    expect(chart.path(4)).toEqual([12, 11, 4]);
    expect(chart.has(13)).toBe(false);
    expect(chart.size).toBe(7);
    expectWellFormed(chart, listed);
  });

  it('a cycle is placed under its lowest id, and the row that closes it is a repeat', () => {
    // 5 → 3 → 4 → 5 (each reports to the next), 6 hangs off 4, 7 hangs off 6.
    const listed = [m(5, [3]), m(3, [4]), m(4, [5]), m(6, [4]), m(7, [6]), m(1)];
    const chart = chartOf(listed);
    expect(ids(chart, null)).toEqual([3, 1]);
    expect(ids(chart, 3)).toEqual([5]);
    expect(ids(chart, 5)).toEqual([4]);
    expect(ids(chart, 4)).toEqual(['3*', 6]);
    expect(chart.path(7)).toEqual([3, 5, 4, 6, 7]);
    expect(chart.descendants(3)).toBe(4);
    expect(chart.indexOf(3)).toBe(0);
    expectWellFormed(chart, listed);
  });

  it('two people who report to each other, and a cycle through someone who left', () => {
    const listed = [m(8, [9]), m(9, [8]), m(20, [30]), m(21, [20])];
    const chart = chartOf(listed, [m(30, [21])]);
    expect(ids(chart, null)).toEqual([20, 8]);
    expect(ids(chart, 8)).toEqual([9]);
    expect(ids(chart, 9)).toEqual(['8*']);
    expect(ids(chart, 20)).toEqual([21]);
    expect(ids(chart, 21)).toEqual([30]);
    expect(ids(chart, 30)).toEqual(['20*']);
    expectWellFormed(chart, listed);
  });

  it('whatever the data (random managers, cycles, people who left), everyone is placed once and every walk ends', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 30; round++) {
      const count = 5 + rand(200);
      const listed: OrgMember[] = [];
      const left: OrgMember[] = [];
      for (let id = 1; id <= count; id++) {
        const managers = Array.from({ length: rand(4) }, () => 1 + rand(count + 20));
        (rand(10) === 0 ? left : listed).push(m(id, managers, `N${rand(50)}`));
      }
      expectWellFormed(chartOf(listed, left), listed);
    }
  });

  it('deep chains and long cycles of 20,000 people neither recurse nor hang, and build fast', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => m(i + 1, i === 0 ? [] : [i]));
    const deep = chartOf(chain);
    expect(deep.path(20_000)).toHaveLength(20_000);
    const ring = Array.from({ length: 20_000 }, (_, i) => m(i + 1, [i === 19_999 ? 1 : i + 2]));
    const cycle = chartOf(ring);
    expect(ids(cycle, null)).toEqual([1]);
    expect(cycle.path(2)).toHaveLength(20_000);
    // A realistic organization: managers of 3–10.
    const org = Array.from({ length: 20_000 }, (_, i) => m(i + 1, i === 0 ? [] : [1 + Math.floor(i / 7)], `Name ${(i * 7919) % 20_000}`));
    const started = performance.now();
    const chart = chartOf(org);
    const ms = performance.now() - started;
    expect(chart.size).toBe(20_000);
    expect(ms).toBeLessThan(1_000);
  });
});

describe('PeopleStore.former', () => {
  const FIELDS = [{ id: 3, type: 6, name: 'Manager', order: 1, field_data: '' }];
  const user = zulipUser;

  it('gives the name and manager field of someone who left, and nothing for the active, bots, guests or strangers', () => {
    const users = readUsers([
      user(1),
      user(2, { is_active: false, full_name: 'Left\u202e Person', profile_data: { '3': { value: '[1, 5]' } } }),
      user(3, { is_active: false, is_bot: true }),
      user(4, { is_active: false, is_guest: true, role: 600 }),
    ]);
    const store = new PeopleStore();
    store.replaceAll({ users, fields: readFields(FIELDS), statuses: readStatuses({}), realmUrl: 'https://chat.example.com' });
    // Names are made inert as every name the directory shows (bidi overrides removed).
    expect(store.former(2)).toEqual({ id: 2, name: 'Left Person', managerIds: [1, 5] });
    expect(store.former(1)).toBeUndefined();
    expect(store.former(3)).toBeUndefined();
    expect(store.former(4)).toBeUndefined();
    expect(store.former(99)).toBeUndefined();
    store.replaceAll({ users, fields: readFields(FIELDS), statuses: readStatuses({}), realmUrl: 'https://chat.example.com', policy: { allowGuests: true } });
    expect(store.former(4)?.name).toBe('Person 4');
  });

  it('counts changes to reporting lines apart from status changes (the org chart keys on them)', () => {
    const store = new PeopleStore();
    store.replaceAll({ users: readUsers([user(1), user(2)]), fields: readFields(FIELDS), statuses: readStatuses({}), realmUrl: 'https://chat.example.com' });
    const apply = (event: Record<string, unknown>) => store.apply(readEvents([{ id: 0, ...event }]).updates[0] as PeopleUpdate);
    const before = store.structureVersion;
    apply({ type: 'user_status', user_id: 2, status_text: 'On leave' });
    expect(store.version).toBeGreaterThan(0);
    expect(store.structureVersion).toBe(before);
    apply({ type: 'realm_user', op: 'update', person: { user_id: 2, custom_profile_field: { id: 3, value: '[1]' } } });
    expect(store.structureVersion).toBe(before + 1);
    expect(store.get(2)?.managerIds).toEqual([1]);
  });

  it('on a follower too: a status set arriving as the whole person is counted apart from reporting lines', () => {
    const leader = new PeopleStore();
    leader.replaceAll({ users: readUsers([user(1), user(2)]), fields: readFields(FIELDS), statuses: readStatuses({}), realmUrl: 'https://chat.example.com' });
    const keyOf = (email: string) => `k:${email}`;
    const follower = new PeopleStore();
    follower.adoptReplica(leader.exportReplica(keyOf), { allowGuests: false, keyOf, hiddenFields: [] });
    const apply = (event: Record<string, unknown>) => {
      leader.apply(readEvents([{ id: 0, ...event }]).updates[0] as PeopleUpdate);
      follower.applyReplica(leader.replicaRecord(2, keyOf));
    };
    const before = follower.structureVersion;
    apply({ type: 'user_status', user_id: 2, status_text: 'On leave' });
    expect(follower.get(2)?.status?.text).toBe('On leave');
    expect(follower.structureVersion).toBe(before);
    apply({ type: 'realm_user', op: 'update', person: { user_id: 2, custom_profile_field: { id: 3, value: '[1]' } } });
    expect(follower.structureVersion).toBe(before + 1);
  });

  it('still names someone deactivated by a `remove` event (how Zulip before 8.0 says it)', () => {
    const store = new PeopleStore();
    store.replaceAll({ users: readUsers([user(1), user(2, { profile_data: { '3': { value: '[1]' } } })]), fields: readFields(FIELDS), statuses: readStatuses({}), realmUrl: 'https://chat.example.com' });
    const { updates } = readEvents([{ id: 0, type: 'realm_user', op: 'remove', person: { user_id: 2, full_name: 'Person 2' } }], 150);
    store.apply(updates[0] as PeopleUpdate);
    expect(store.get(2)).toBeUndefined();
    expect(store.list().map((p) => p.id)).toEqual([1]);
    expect(store.former(2)).toEqual({ id: 2, name: 'Person 2', managerIds: [1] });
  });
});

describe('org chart addresses', () => {
  it('reads /org?focus= and refuses anything else with a message', () => {
    expect(parseOrgPageQuery({})).toEqual({ ok: true, query: { focus: null } });
    expect(parseOrgPageQuery({ focus: '42' })).toEqual({ ok: true, query: { focus: 42 } });
    for (const [params, message] of [
      [{ focus: 'abc' }, '"focus" must be a user id'],
      [{ focus: '1e3' }, '"focus" must be a user id'],
      [{ focus: ' 7' }, '"focus" must be a user id'],
      [{ focus: '' }, '"focus" must be a user id'],
      [{ focus: ['1', '2'] }, '"focus" is given more than once'],
      [{ parent: '1' }, 'unknown parameter "parent"'],
    ] as const) {
      const parsed = parseOrgPageQuery(params as Record<string, string | string[]>);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain(message);
    }
  });

  it('reads GET /api/org: the top, a parent’s page, or a focus', () => {
    const q = (s: string) => parseOrgApiQuery(new URLSearchParams(s));
    expect(q('')).toEqual({ ok: true, query: { kind: 'level', parent: null, offset: 0 } });
    expect(q('offset=100')).toEqual({ ok: true, query: { kind: 'level', parent: null, offset: 100 } });
    expect(q('parent=12&offset=200')).toEqual({ ok: true, query: { kind: 'level', parent: 12, offset: 200 } });
    expect(q('focus=12')).toEqual({ ok: true, query: { kind: 'focus', focus: 12 } });
    for (const bad of ['parent=1&focus=2', 'focus=2&offset=100', 'offset=-1', 'offset=2000000', 'parent=x', 'parent=1&parent=2', 'limit=5', '__proto__=1']) {
      expect(q(bad).ok, bad).toBe(false);
    }
  });
});
