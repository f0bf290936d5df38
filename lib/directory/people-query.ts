import type { PeopleQuery, PresenceFilter, SortOrder } from '@/lib/directory/types';

export const PAGE_SIZE = 50;

// This module runs in the browser too (the directory view reads its state from the URL), so it
// validates by hand rather than with zod: zod would add ~35 kB gzipped to the page's first load.
// The rules and messages are the ones the zod schema this replaced produced
// (tests/directory/people-query.test.ts checks them against that schema).

const STATUSES: readonly PresenceFilter[] = ['any', 'reachable', 'active'];
const SORTS: readonly SortOrder[] = ['reachable', 'name'];
const KEYS = ['q', 'department', 'office', 'status', 'sort', 'offset', 'limit'] as const;
// Control characters never belong in a search; refusing them keeps logs and links clean.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A text parameter: at most `max` UTF-16 units, no control characters. */
function text(value: string, max: number): string | { error: string } {
  if (value.length > max) return { error: `must be at most ${max} characters` };
  if (CONTROL.test(value)) return { error: 'must not contain control characters' };
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T | { error: string } {
  return (allowed as readonly string[]).includes(value)
    ? (value as T)
    : { error: `Invalid option: expected one of ${allowed.map((a) => JSON.stringify(a)).join('|')}` };
}

/** An integer parameter, coerced as Number() does ("" is 0, "1e3" is 1000, "0x10" is 16). */
function integer(value: string, min: number, max: number): number | { error: string } {
  const n = Number(value);
  if (!Number.isFinite(n)) return { error: `Invalid input: expected number, received ${n}` };
  if (!Number.isInteger(n)) return { error: 'Invalid input: expected int, received number' };
  if (n > Number.MAX_SAFE_INTEGER) return { error: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}` };
  if (n < Number.MIN_SAFE_INTEGER) return { error: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}` };
  if (n < min) return { error: `Too small: expected number to be >=${min}` };
  if (n > max) return { error: `Too big: expected number to be <=${max}` };
  return n;
}

export type PeopleQueryResult = { ok: true; query: PeopleQuery } | { ok: false; error: string };

/** Parses URL search params; unknown keys and repeated keys are errors, not silently ignored. */
export function parsePeopleQuery(params: URLSearchParams | Record<string, string | string[] | undefined>): PeopleQueryResult {
  const entries: Record<string, string> = Object.create(null) as Record<string, string>;
  const pairs = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  for (const [key, value] of pairs) {
    if (value === undefined) continue;
    if (Array.isArray(value) || Object.hasOwn(entries, key)) return { ok: false, error: `"${key}" is given more than once` };
    entries[key] = value;
  }
  const get = (key: (typeof KEYS)[number]) => entries[key];
  const fail = (key: string, result: { error: string }): PeopleQueryResult => ({ ok: false, error: `"${key}" ${result.error}` });

  const q = get('q') === undefined ? '' : text(get('q')!, 200);
  if (typeof q !== 'string') return fail('q', q);
  const department = get('department') === undefined ? undefined : text(get('department')!, 200);
  if (typeof department === 'object') return fail('department', department);
  const office = get('office') === undefined ? undefined : text(get('office')!, 200);
  if (typeof office === 'object') return fail('office', office);
  const status = get('status') === undefined ? 'any' : oneOf(get('status')!, STATUSES);
  if (typeof status === 'object') return fail('status', status);
  const sort = get('sort') === undefined ? 'reachable' : oneOf(get('sort')!, SORTS);
  if (typeof sort === 'object') return fail('sort', sort);
  const offset = get('offset') === undefined ? 0 : integer(get('offset')!, 0, 1_000_000);
  if (typeof offset === 'object') return fail('offset', offset);
  const limit = get('limit') === undefined ? PAGE_SIZE : integer(get('limit')!, 1, 200);
  if (typeof limit === 'object') return fail('limit', limit);
  const unknown = Object.keys(entries).filter((key) => !(KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) return { ok: false, error: `unknown parameter ${unknown.map((k) => `"${k}"`).join(', ')}` };

  return { ok: true, query: { q, status, sort, offset, limit, department: department || null, office: office || null } };
}

export const DEFAULT_PEOPLE_QUERY: PeopleQuery = {
  q: '',
  department: null,
  office: null,
  status: 'any',
  sort: 'reachable',
  offset: 0,
  limit: PAGE_SIZE,
};

/** The URL query string for a view; defaults are left out so shared links stay short. */
export function peopleQueryToSearch(query: Partial<PeopleQuery>): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.department) params.set('department', query.department);
  if (query.office) params.set('office', query.office);
  if (query.status && query.status !== 'any') params.set('status', query.status);
  if (query.sort && query.sort !== 'reachable') params.set('sort', query.sort);
  if (query.offset) params.set('offset', String(query.offset));
  if (query.limit && query.limit !== PAGE_SIZE) params.set('limit', String(query.limit));
  const s = params.toString();
  return s ? `?${s}` : '';
}
