import * as z from 'zod/mini';
import type { PeopleQuery } from '@/lib/directory/types';

export const PAGE_SIZE = 50;

// This module runs in the browser too (the directory view reads its state from the URL), so it
// uses zod's tree-shakable `zod/mini` build: the same validation at a fraction of classic zod's
// weight in the first-load bundle. Messages are written out, since mini ships none.

const CONTROL = /[\u0000-\u001f\u007f]/;

// Control characters never belong in a search; refusing them keeps logs and links clean.
const text = (max: number) =>
  z.string().check(
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((v) => !CONTROL.test(v), 'must not contain control characters'),
  );

const integer = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).check(
    z.refine((n) => Number.isInteger(n), 'must be a whole number'),
    z.minimum(min, `must be at least ${min}`),
    z.maximum(max, `must be at most ${max}`),
  );

const choice = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(', ')}` });

/** The directory's view state, as it appears in the URL (`/?q=…&department=…&status=…`). */
export const peopleQuerySchema = z.strictObject(
  {
    q: z._default(text(200), ''),
    department: z.optional(text(200)),
    office: z.optional(text(200)),
    status: z._default(choice(['any', 'reachable', 'active'] as const), 'any'),
    sort: z._default(choice(['reachable', 'name'] as const), 'reachable'),
    offset: z._default(integer(0, 1_000_000), 0),
    limit: z._default(integer(1, 200), PAGE_SIZE),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}` : undefined) },
);

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
  const parsed = peopleQuerySchema.safeParse({ ...entries });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) return { ok: false, error: 'invalid query' };
    if (issue.code === 'unrecognized_keys') return { ok: false, error: issue.message };
    const where = issue.path.length ? `"${issue.path.join('.')}"` : 'query';
    return { ok: false, error: `${where} ${issue.message}` };
  }
  const { department, office, ...rest } = parsed.data;
  return { ok: true, query: { ...rest, department: department || null, office: office || null } };
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
