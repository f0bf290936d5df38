import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parsePeopleQuery } from '@/lib/directory/query/people-query';
import { DEFAULT_PEOPLE_QUERY, PAGE_SIZE, peopleQueryToSearch } from '@/lib/directory/query/people-query-url';
import { PeopleQueries } from '@/lib/directory/search/query-people';
import { PeopleStore } from '@/lib/directory/domain/people-store';
import { PresenceStore } from '@/lib/presence/presence-store';
import { readFields, readPresenceMap, readUsers } from '../zulip/records-support';

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

// The same rules stated plainly, with zod's own checks and messages: parsePeopleQuery (custom
// messages, repeated-key and unknown-key handling around its schema) must accept, default and
// refuse exactly the same inputs, over ~120 awkward numbers and texts.
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters');
const referenceSchema = z
  .object({
    q: text(200).default(''),
    department: text(200).optional(),
    office: text(200).optional(),
    status: z.enum(['any', 'reachable', 'active', 'out']).default('any'),
    sort: z.enum(['reachable', 'name', 'joined']).default('reachable'),
    // Digits only: "1e3", "0x10", "+5", " 5" or "" are not numbers in an address.
    offset: z.string().regex(/^[0-9]+$/).transform(Number).pipe(z.number().max(1_000_000)).default(0),
    limit: z.string().regex(/^[0-9]+$/).transform(Number).pipe(z.number().min(1).max(200)).default(PAGE_SIZE),
  })
  .strict();

function referenceParse(search: string) {
  const entries: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (key in entries) return { ok: false, error: `"${key}" is given more than once` };
    entries[key] = value;
  }
  const parsed = referenceSchema.safeParse(entries);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'query';
    const message = issue?.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}` : `${where} ${issue?.message}`;
    return { ok: false, error: message };
  }
  const { department, office, ...rest } = parsed.data;
  return { ok: true, query: { ...rest, department: department || null, office: office || null } };
}

describe('parsePeopleQuery accepts and refuses exactly what the plain rules do', () => {
  const numbers = ['', ' ', '0', '-0', '1', '50', '200', '201', '-1', '1.5', '-1.5', '1e3', '1.5e2', '0x10', '0b11', '0o7', '+5', '5 ', '\u000b5', 'abc',
    'NaN', 'Infinity', '-Infinity', '1_0', 'null', '1000000', '1000001', '1e300', '-1e300', '9007199254740993'];
  const texts = ['', ' ', 'ana', 'José Álvarez', 'a'.repeat(200), 'a'.repeat(201), 'a\u0000', '\u007f', 'x\u001fy', '\u0085', '\u2028', `${'a'.repeat(201)}\u0000`];
  const cases: string[] = [];
  for (const key of ['offset', 'limit']) for (const n of numbers) cases.push(new URLSearchParams([[key, n]]).toString());
  for (const key of ['q', 'department', 'office']) for (const t of texts) cases.push(new URLSearchParams([[key, t]]).toString());
  for (const key of ['status', 'sort']) for (const v of ['', 'any', 'reachable', 'active', 'out', 'name', 'joined', 'ANY', 'online']) cases.push(`${key}=${v}`);
  cases.push('', 'evil=1', 'evil=1&bad=2', 'status=x&evil=1', 'sort=x&status=y', 'limit=0&offset=-1', 'q=a&q=b', 'offset=1&offset=1',
    'q=ana&department=Design&office=Berlin&status=active&sort=name&offset=100&limit=25', 'office=%00&q=' + 'a'.repeat(201), 'evil=1&limit=0');

  it.each(cases)('%s', (search) => {
    const actual = parsePeopleQuery(new URLSearchParams(search));
    const expected = referenceParse(search);
    expect(actual.ok).toBe(expected.ok);
    if (actual.ok && expected.ok) expect(actual.query).toEqual(expected.query);
    if (!actual.ok) expect(actual.error).toMatch(/^("\w+" |unknown parameter )/);
  });

  it('treats keys that exist on every object as unknown parameters', () => {
    expect(parsePeopleQuery(new URLSearchParams('toString=1'))).toEqual({ ok: false, error: 'unknown parameter "toString"' });
    expect(parsePeopleQuery(new URLSearchParams('__proto__=1'))).toEqual({ ok: false, error: 'unknown parameter "__proto__"' });
  });
});

describe('PeopleQueries', () => {
  const fields = [
    { id: 1, type: 1, name: 'Title', order: 1 },
    { id: 2, type: 1, name: 'Department', order: 2 },
  ];
  // Zulip's own shapes, read through lib/zulip's parsers.
  const user = (id: number, name: string, title: string, department: string) => ({
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
    users: readUsers([user(1, 'José Álvarez', 'Engineer', 'Engineering'), user(2, 'Ana Souza', 'Designer', 'Design'), user(3, 'Joseph Kim', 'Manager', 'Engineering'), user(4, 'Zoë Adams', 'Joker', 'Sales')]),
    fields: readFields(fields),
    statuses: new Map(),
    realmUrl: 'https://chat.example.com',
  });
  const presence = new PresenceStore(200);
  presence.replaceAll(readPresenceMap({ '3': { active_timestamp: 1000, idle_timestamp: 1000 }, '4': { active_timestamp: 0, idle_timestamp: 1000 } }).byId, 1000);
  presence.setServerTime(1000, 1000);
  presence.recompute([1, 2, 3, 4].map((id) => ({ id })), 1000);
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
