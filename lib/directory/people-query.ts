import { z } from 'zod';
import type { PeopleQuery } from '@/lib/directory/types';

export const PAGE_SIZE = 50;

// Control characters never belong in a search; refusing them keeps logs and links clean.
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters');

/** The directory's view state, as it appears in the URL (`/?q=…&department=…&status=…`). */
export const peopleQuerySchema = z
  .object({
    q: text(200).default(''),
    department: text(200).optional(),
    office: text(200).optional(),
    status: z.enum(['any', 'reachable', 'active']).default('any'),
    sort: z.enum(['reachable', 'name']).default('reachable'),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(200).default(PAGE_SIZE),
  })
  .strict();

export type PeopleQueryResult = { ok: true; query: PeopleQuery } | { ok: false; error: string };

/** Parses URL search params; unknown keys and repeated keys are errors, not silently ignored. */
export function parsePeopleQuery(params: URLSearchParams | Record<string, string | string[] | undefined>): PeopleQueryResult {
  const entries: Record<string, string> = {};
  const pairs = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  for (const [key, value] of pairs) {
    if (value === undefined) continue;
    if (Array.isArray(value) || key in entries) return { ok: false, error: `"${key}" is given more than once` };
    entries[key] = value;
  }
  const parsed = peopleQuerySchema.safeParse(entries);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'query';
    const message = issue?.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}` : `${where} ${issue?.message}`;
    return { ok: false, error: message };
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
