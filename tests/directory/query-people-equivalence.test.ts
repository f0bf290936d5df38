import { describe, expect, it } from 'vitest';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { PeopleQueries } from '@/lib/directory/search/query-people';
import { PeopleStore } from '@/lib/directory/domain/people-store';
import { buildSearchIndex, search } from '@/lib/directory/search/search';
import { PresenceStore } from '@/lib/presence/presence-store';
import { readFields, readPresenceMap, readUsers } from '../zulip/records-support';
import type { PeopleQuery, Person } from '@/lib/directory/domain/types';

// PeopleQueries.run() answers from typed arrays, presence ranks cached per presence version and
// earlier searches narrowed as people type. It must answer exactly what the straightforward
// version (search, filter, comparator sort, slice: below) answers, on every kind of query.

let seed = 12345;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff);
const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;

const FIRST = ['Ana', 'José', 'Zoë', 'Anabel', 'Joseph', 'Jo', 'Mariana', 'Dana', 'Łukasz', 'Søren', 'Ann', 'Anna', '山田', 'Olu'];
const LAST = ['Souza', 'García', 'Kim', 'Adams', 'Ødegaard', 'Banana', 'Ana', 'Stone', 'Nakamura', "O'Brien"];
const TITLES = ['Engineer', 'Designer', 'Manager', 'Joker', 'Analyst', 'Support Engineer'];
const DEPARTMENTS = ['Engineering', 'Design', 'Sales', 'Support', 'Finance'];
const OFFICES = ['Berlin', 'São Paulo', 'Tokyo', 'Remote', 'Ana Island'];
const fields = [
  { id: 1, type: 1, name: 'Title', order: 1 },
  { id: 2, type: 1, name: 'Department', order: 2 },
  { id: 3, type: 1, name: 'Office', order: 3 },
];
// Zulip's own shapes (the random draws in the same order as ever), read through lib/zulip's parsers.
const rawUsers = Array.from({ length: 600 }, (_, i) => ({
  user_id: 10 + i,
  // Duplicate names on purpose: ties are broken by id.
  full_name: `${pick(FIRST)} ${pick(LAST)}`,
  email: `user${i}@example.com`,
  date_joined: '2020-01-01T00:00+00:00',
  is_bot: false,
  is_active: true,
  profile_data: {
    ...(random() < 0.9 ? { '1': { value: pick(TITLES) } } : {}),
    ...(random() < 0.9 ? { '2': { value: pick(DEPARTMENTS) } } : {}),
    ...(random() < 0.8 ? { '3': { value: pick(OFFICES) } } : {}),
  },
}));

const people = new PeopleStore();
const users = readUsers(rawUsers);
people.replaceAll({ users, fields: readFields(fields), statuses: new Map(), realmUrl: 'https://chat.example.com' });
const presence = new PresenceStore(200);
const NOW = 1_000_000;
const presences: Record<string, { active_timestamp: number; idle_timestamp: number }> = {};
for (const u of users) {
  const r = random();
  if (r < 0.3) presences[u.id] = { active_timestamp: NOW - 10, idle_timestamp: NOW - 10 };
  else if (r < 0.5) presences[u.id] = { active_timestamp: NOW - 5_000, idle_timestamp: NOW - 30 };
  else if (r < 0.8) presences[u.id] = { active_timestamp: NOW - 5_000 - Math.floor(random() * 100_000), idle_timestamp: NOW - 5_000 };
}
presence.replaceAll(readPresenceMap(presences).byId, NOW);
presence.setServerTime(NOW, NOW);
presence.recompute(people.list(), NOW);

const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };

/** The plain version: what run() must keep answering. */
function reference(query: PeopleQuery, disabled = false) {
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  const byName = [...people.list()].sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
  const index = buildSearchIndex(byName.map((p) => ({ id: p.id, name: p.name, fields: [p.email ?? p.apiEmail, p.title, p.department, p.office].filter((v): v is string => !!v) })));
  const presenceOf = (id: number) => (disabled ? null : presence.get(id));
  const rankOf = new Map(byName.map((p, i) => [p.id, i]));
  const q = query.q.trim();
  let matches: Array<{ person: Person; score: number }> = q
    ? search(index, q).map(({ id, score }) => ({ person: people.get(id)!, score }))
    : byName.map((person) => ({ person, score: 0 }));
  matches = matches.filter(({ person }) => (!query.department || person.department === query.department) && (!query.office || person.office === query.office));
  const reachable = (id: number) => ['active', 'idle'].includes(presenceOf(id)?.state ?? '');
  const reachableCount = matches.filter(({ person }) => reachable(person.id)).length;
  if (query.status !== 'any') matches = matches.filter(({ person }) => (query.status === 'active' ? presenceOf(person.id)?.state === 'active' : reachable(person.id)));
  const STATE = { active: 0, idle: 1, offline: 2 } as const;
  const state = (id: number) => STATE[presenceOf(id)?.state ?? 'offline'];
  matches.sort((a, b) => {
    if (q && a.score !== b.score) return b.score - a.score;
    if (query.sort === 'reachable' && state(a.person.id) !== state(b.person.id)) return state(a.person.id) - state(b.person.id);
    return rankOf.get(a.person.id)! - rankOf.get(b.person.id)!;
  });
  return {
    total: matches.length,
    reachable: reachableCount,
    ids: matches.slice(query.offset, query.offset + query.limit).map((m) => m.person.id),
  };
}

const queries = new PeopleQueries(people, presence);
const TYPED = ['a', 'an', 'ana', 'ana ', 'ana s', 'ana so', 'jo', 'jos', 'jose', 'josé g', 'eng', 'engineer', 'z', 'zo', 'zoe', 'o', 'ob', "o'b", 'ann', 'anna', 'kim', 'xyz', 'san', 'sao p', '山', 'design manager', 'e'];

describe('PeopleQueries.run() answers as the plain search, filter, sort and page would', () => {
  const cases: PeopleQuery[] = [];
  // Near misses (one typo: lib/directory/search/search.ts answers with names one edit away), typed on
  // from searches that matched, so the narrowing of earlier hits is tested across them.
  const TYPOS = ['souzza', 'souzzaa', 'nakamrua', 'nakamrua k', 'odegard', 'garcai', 'anaa s'];
  for (const q of ['', ...TYPED, ...TYPOS]) {
    for (const sort of ['reachable', 'name'] as const) {
      for (const status of ['any', 'reachable', 'active'] as const) {
        cases.push({ ...DEFAULT_PEOPLE_QUERY, q, sort, status });
      }
    }
  }
  for (let i = 0; i < 200; i++) {
    cases.push({
      q: random() < 0.7 ? pick(TYPED) : '',
      department: random() < 0.3 ? pick([...DEPARTMENTS, 'Nowhere']) : null,
      office: random() < 0.3 ? pick(OFFICES) : null,
      status: pick(['any', 'reachable', 'active'] as const),
      sort: pick(['reachable', 'name'] as const),
      offset: pick([0, 0, 10, 50, 590, 1000]),
      limit: pick([1, 10, 50, 200]),
    });
  }

  it(`on ${cases.length} queries, typed in order (so earlier searches are narrowed) and again from a cold cache`, () => {
    const cold = () => new PeopleQueries(people, presence);
    for (const query of cases) {
      const expected = reference(query);
      for (const run of [queries, cold()]) {
        const page = run.run(query, freshness);
        expect({ total: page.total, reachable: page.reachable, ids: page.items.map((p) => p.id) }, JSON.stringify(query)).toEqual(expected);
      }
    }
  });

  it('with presence turned off for the organization', () => {
    for (const query of cases.slice(0, 60)) {
      const page = queries.run(query, { ...freshness, presenceDisabled: true });
      const expected = reference(query, true);
      expect({ total: page.total, reachable: page.reachable, ids: page.items.map((p) => p.id) }).toEqual(expected);
      expect(page.items.every((p) => p.presence === null)).toBe(true);
    }
  });

  it('follows presence changes (states by rank are recomputed when presence changes)', () => {
    const query = { ...DEFAULT_PEOPLE_QUERY, status: 'active' as const };
    const before = queries.run(query, freshness).total;
    const someone = people.list().find((p) => presence.get(p.id)?.state !== 'active')!;
    // A simplified presence event (FL 419+): the person's whole row.
    presence.apply(someone.id, { activeTimestamp: NOW, idleTimestamp: NOW }, true);
    presence.recompute(people.list(), NOW);
    expect(queries.run(query, freshness).total).toBe(before + 1);
    expect(queries.run(query, freshness)).toMatchObject({ total: reference(query).total });
  });
});
