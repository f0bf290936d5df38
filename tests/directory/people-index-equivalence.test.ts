import { describe, expect, it } from 'vitest';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { decodePeopleIndex, encodePeopleIndex, type PeopleIndexPayload } from '@/lib/directory/search/people-index';
import { PeopleQueries, searchedFields } from '@/lib/directory/search/query-people';
import type { ListedPerson } from '@/lib/directory/domain/person-row';
import { avatarLink, avatarVersion } from '@/lib/directory/domain/avatar-link';
import { PeopleStore } from '@/lib/directory/domain/people-store';
import { TeamsStore } from '@/lib/directory/domain/teams-store';
import { PresenceStore } from '@/lib/presence/presence-store';
import type { PeopleQuery, Person } from '@/lib/directory/domain/types';
import { readFields, readPresenceMap, readStatuses, readUsers } from '../zulip/records-support';

// The browser answers searches from the people index (docs/architecture.md §17) with the same
// PeopleQueries as the server. Here the server's answer (over its stores) and the browser's
// (over the index, encoded, sent as JSON and decoded) must be the same on every kind of query:
// ranking, accent folding, fields searched, filters, teams, presence sorts and typos; and
// availability (docs/architecture.md §18): who is out, reachable within working hours, "reachable
// first", newest first, and each row's availability, both answered at the same fixed instant.

let seed = 4242;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff);
const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;

const FIRST = ['Ana', 'José', 'Zoë', 'Anabel', 'Joseph', 'Jo', 'Mariana', 'Łukasz', 'Søren', 'Ann', '山田', 'Olu', 'Chloé'];
const LAST = ['Souza', 'García', 'Kim', 'Ødegaard', 'Banana', 'Ana', 'Stone', 'Nakamura', "O'Brien", 'Müller'];
const TITLES = ['Engineer', 'Designer', 'Manager', 'Analyst', 'Support Engineer'];
// Values that differ only by case or accent (the same to the collator): the facets' order is the same anyway.
const DEPARTMENTS = ['Engineering', 'Design', 'Sales', 'Support', 'design'];
const OFFICES = ['Berlin', 'São Paulo', 'Tokyo', 'Remote', 'Sao Paulo'];
const fields = readFields([
  { id: 1, type: 1, name: 'Title', order: 1 },
  { id: 2, type: 1, name: 'Department', order: 2 },
  { id: 3, type: 1, name: 'Office', order: 3 },
  { id: 6, type: 7, name: 'GitHub', order: 4, field_data: '{"subtype":"github"}' },
  { id: 8, type: 2, name: 'Bio', order: 5 },
  // Read as working hours (field-roles.ts) but not searched (a long text): sent parsed, not as a field.
  { id: 9, type: 2, name: 'Working hours', order: 6 },
]);
const HOURS = ['Mon-Fri 09:00-17:00', '9am-5pm', 'Mon–Thu 8–16', '9-17 CET', '22-6', 'whenever', '24/7'];
/**
 * Zulip's minute form; the form of servers before 10.0, with seconds and microseconds (kept to the
 * minute, date-joined.ts); and a few that are no date at all (sent as written).
 */
const joined = (i: number) =>
  i % 29 === 0
    ? 'not a date'
    : i % 13 === 0
    ? `2019-0${1 + (i % 9)}-1${i % 10}T08:0${i % 10}:1${i % 10}.12345${i % 10}+00:00`
    : new Date(Date.UTC(2018, 0, 1) + Math.floor(random() * 3000) * 86_400_000 + (i % 1440) * 60_000).toISOString().slice(0, 16) + '+00:00';
const rawUsers = Array.from({ length: 500 }, (_, i) => ({
  user_id: 10 + i,
  full_name: `${pick(FIRST)} ${pick(LAST)}`,
  // Some addresses hidden (Zulip's dummy address; no real one shown).
  email: `user${i}@example.com`,
  ...(random() < 0.3 ? { delivery_email: null, email: `user${10 + i}@chat.example.com` } : {}),
  date_joined: joined(i),
  timezone: pick(['Europe/Berlin', 'Asia/Tokyo', '', 'America/Sao_Paulo']),
  is_bot: false,
  is_active: i % 97 !== 3,
  role: i % 61 === 5 ? 600 : 400,
  profile_data: {
    ...(random() < 0.9 ? { '1': { value: pick(TITLES) } } : {}),
    ...(random() < 0.9 ? { '2': { value: pick(DEPARTMENTS) } } : {}),
    ...(random() < 0.8 ? { '3': { value: pick(OFFICES) } } : {}),
    ...(random() < 0.4 ? { '6': { value: `gh${i}` } } : {}),
    ...(random() < 0.4 ? { '8': { value: 'Loves bananas and zebras' } } : {}),
    ...(random() < 0.6 ? { '9': { value: pick(HOURS) } } : {}),
  },
}));
const statuses: Record<string, unknown> = {};
const STATUSES = ['In Tokyo this week', 'On leave', 'Focus time', 'In a meeting', 'Vacationing, back on Monday', 'Out sick until 2030-12-14', 'OOO, back 3 Jan', 'Back from vacation'];
for (let i = 0; i < 500; i += 3) {
  statuses[String(10 + i)] =
    i % 2 === 0
      ? { status_text: pick(STATUSES), emoji_name: 'palm_tree', emoji_code: '1f334', reaction_type: 'unicode_emoji' }
      : // Zulip's own "Vacationing" emoji alone, or text alone.
        random() < 0.5
        ? { status_text: '', emoji_name: 'palm_tree', emoji_code: '1f334', reaction_type: 'unicode_emoji' }
        : { status_text: pick(STATUSES) };
}

const people = new PeopleStore();
people.replaceAll({
  users: readUsers(rawUsers),
  fields,
  statuses: readStatuses(statuses),
  realmUrl: 'https://chat.example.com',
  // DIRECTORY_WORKING_HOURS for those who give none.
  policy: { defaultWorkingHours: 'Mon-Fri 09:00-17:00' },
});
const teams = new TeamsStore();
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const base = { description: '', subgroupIds: [] as number[], isSystem: false, deactivated: false };
teams.replaceAll([
  { ...base, id: 1, name: 'role:members', memberIds: range(10, 509), isSystem: true },
  { ...base, id: 20, name: 'backend', memberIds: range(10, 120) },
  { ...base, id: 21, name: 'frontend', memberIds: range(100, 300) },
  { ...base, id: 22, name: 'engineering', memberIds: [505, 9999], subgroupIds: [20, 21] },
]);
const presence = new PresenceStore(200);
const NOW = 1_000_000;
const presences: Record<string, { active_timestamp: number; idle_timestamp: number }> = {};
for (let i = 0; i < 500; i++) {
  const r = random();
  if (r < 0.3) presences[10 + i] = { active_timestamp: NOW - 10, idle_timestamp: NOW - 10 };
  else if (r < 0.5) presences[10 + i] = { active_timestamp: NOW - 5_000, idle_timestamp: NOW - 30 };
  else if (r < 0.8) presences[10 + i] = { active_timestamp: NOW - 50_000, idle_timestamp: NOW - 5_000 };
}
presence.replaceAll(readPresenceMap(presences).byId, NOW);
presence.setServerTime(NOW, NOW);
presence.recompute(people.list(), NOW);
const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };
/** The instants availability is answered at: a Wednesday morning in Berlin (evening in Tokyo, night before work in São Paulo), and a Saturday. */
const INSTANTS = [Date.UTC(2026, 2, 4, 10, 30), Date.UTC(2026, 2, 7, 15, 0)];

const server = new PeopleQueries(people, presence, teams);
/** As the browser gets it: encoded from the server's name order, through JSON, decoded. */
function browserIndex(): PeopleQueries<ListedPerson> {
  const payload = JSON.parse(JSON.stringify(encodePeopleIndex(server.nameOrder(), searchedFields(people.fieldDefinitions()), teams))) as PeopleIndexPayload;
  const decoded = decodePeopleIndex(payload, 1);
  return new PeopleQueries(decoded.people, presence, decoded.teams);
}
const searched = searchedFields(people.fieldDefinitions()).map((f) => String(f.id));
/** A server row as the index carries it: the same person, with only the fields a search reads. */
function listed(p: Person): ListedPerson {
  const { id, name, apiEmail, email, avatarUrl, timezone, dateJoined, pronouns, title, department, office, status, statusMeaning, workingHours } = p;
  return {
    id,
    name,
    apiEmail,
    email,
    // The index carries the picture's version; its rows show it through the app's redirect.
    avatarUrl: avatarUrl === null ? null : avatarLink(id, avatarVersion(avatarUrl)),
    timezone,
    dateJoined,
    pronouns,
    title,
    department,
    office,
    status,
    statusMeaning,
    workingHours,
    fields: Object.fromEntries(searched.flatMap((f) => (p.fields[f] ? [[f, p.fields[f]]] : []))),
  };
}

const TYPED = ['a', 'an', 'ana', 'ana s', 'ana so', 'jo', 'jos', 'jose', 'josé g', 'eng', 'z', 'zo', 'zoe', "o'b", 'ann', 'mul', 'muller', 'odeg', '山', 'tokyo', 'on leave', 'gh12', 'user3', 'chat.example', 'bananas', 'souzza', 'nakamrua', 'garcai', 'xyz'];

const SORTS = ['reachable', 'name', 'joined'] as const;
const STATUSES_FILTERED = ['any', 'reachable', 'active', 'out'] as const;

describe('the people index answers as the server does', () => {
  const cases: PeopleQuery[] = [];
  for (const q of ['', ...TYPED]) {
    for (const sort of SORTS) for (const status of STATUSES_FILTERED) cases.push({ ...DEFAULT_PEOPLE_QUERY, q, sort, status });
  }
  for (let i = 0; i < 200; i++) {
    cases.push({
      q: random() < 0.7 ? pick(TYPED) : '',
      department: random() < 0.3 ? pick([...DEPARTMENTS, 'Nowhere']) : null,
      office: random() < 0.3 ? pick(OFFICES) : null,
      team: random() < 0.3 ? pick([20, 21, 22, 1, 404]) : null,
      status: pick(STATUSES_FILTERED),
      sort: pick(SORTS),
      offset: pick([0, 0, 10, 50, 400]),
      limit: pick([1, 10, 50, 200]),
    });
  }

  it(`on ${cases.length} queries: the same people in the same order, counts, facets and near misses`, () => {
    const browser = browserIndex();
    for (const query of cases) {
      for (const presenceDisabled of [false, true]) {
        for (const nowMs of INSTANTS) {
          const expected = server.run(query, { ...freshness, presenceDisabled }, nowMs);
          const actual = browser.run(query, { ...freshness, presenceDisabled }, nowMs);
          const label = JSON.stringify({ query, nowMs });
          expect(actual.items, label).toEqual(expected.items.map((row) => ({ ...listed(row), presence: row.presence, availability: row.availability })));
          expect({ ...actual, items: null }, label).toEqual({ ...expected, items: null });
        }
      }
    }
  });

  it('is tested on people of every kind of availability', () => {
    const rows = INSTANTS.flatMap((nowMs) => server.run({ ...DEFAULT_PEOPLE_QUERY, limit: 200 }, freshness, nowMs).items);
    const page = server.run({ ...DEFAULT_PEOPLE_QUERY, status: 'out' }, freshness, INSTANTS[0]);
    expect(page.out).toBeGreaterThan(20);
    expect(page.items.some((row) => row.availability.out?.until)).toBe(true);
    expect(rows.some((row) => row.availability.busy)).toBe(true);
    expect(rows.some((row) => row.availability.withinWorkingHours === true && row.availability.reachable)).toBe(true);
    expect(rows.some((row) => row.availability.withinWorkingHours === false && row.presence?.state === 'active')).toBe(true);
    expect(rows.some((row) => row.workingHours === null)).toBe(true);
    expect(server.nameOrder().some((p) => !/T\d\d:\d\d\+00:00$/.test(p.dateJoined))).toBe(true);
    // Seconds and microseconds are kept to the minute, so the index sends them as a number.
    expect(server.nameOrder().find((p) => p.id === 10 + 13)?.dateJoined).toBe('2019-05-13T08:03+00:00');
  });

  it('holds what /api/people shows and nothing more: the same people, as listed, with no field a search does not read', () => {
    const payload = encodePeopleIndex(server.nameOrder(), searchedFields(people.fieldDefinitions()), teams);
    const decoded = decodePeopleIndex(JSON.parse(JSON.stringify(payload)) as PeopleIndexPayload, 1);
    expect(decoded.people.list()).toEqual(server.nameOrder().map(listed));
    // Some addresses are hidden (shown as null, as /api/people shows them), guests are not listed.
    expect(decoded.people.list().filter((p) => p.email === null).length).toBeGreaterThan(10);
    expect(payload.id.includes(15)).toBe(false);
    const json = JSON.stringify(payload);
    expect(json.includes('bananas'), 'a bio is not searched, so not sent').toBe(false);
    expect(json.includes('whenever'), 'nor working hours that cannot be read').toBe(false);
    expect(payload.joined.filter((j) => typeof j === 'number').length, "Zulip's join dates are sent as minutes").toBeGreaterThan(400);
    expect(json.includes('"statusMeaning"'), 'status meanings are read again from the status, not sent').toBe(false);
    // What is sent once is not sent again: a field the same as a column is that column's name
    // (decoded back above), and pictures are versions, not addresses.
    expect(Object.values(payload.fieldValues)).toContain('title');
    expect(json.includes('avatar/')).toBe(false);
  });

  it('sends a searched hours field as "the person\'s hours", and reads it back', () => {
    // As in an organization whose hours field is a short text (searched): its value is the text the hours were read from.
    const withHours = server.nameOrder().map((p): ListedPerson => ({ ...listed(p), fields: Object.fromEntries(p.workingHours ? [['9', p.workingHours.text]] : []) }));
    const payload = encodePeopleIndex(withHours, [{ id: 9, type: 1 }], teams);
    expect(payload.fieldValues['9']).toContain(-2);
    expect(payload.strings).not.toContain('Mon-Fri 09:00-17:00');
    expect(decodePeopleIndex(JSON.parse(JSON.stringify(payload)) as PeopleIndexPayload, 1).people.list()).toEqual(withHours);
  });
});
