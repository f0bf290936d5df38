import { z } from 'zod';
import { readQuery, UNKNOWN_PARAMETERS, wholeNumber, type QueryParams } from '@/lib/directory/query/read-query';

// The org chart's addresses, read on the server only (the page, GET /api/org, proxy.ts), as
// people-query.ts reads the directory's: unknown and repeated parameters are errors, and every
// message is written out so a shared link's error reads the same whatever zod's defaults.
//   /org                      the first view         /org?focus={id}       the way down to someone
//   /api/org[?offset=N]       the top level          /api/org?parent={id}[&offset=N]   someone's reports
//   /api/org?focus={id}       the way down to someone, each level the page that holds the next step

/** A Zulip user id as it appears in an address: digits only, so "1e3", " 7" or "0x10" are refused. */
const userId = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a user id (a whole number)')
  .transform(Number);

const offset = wholeNumber(0, 1_000_000);

/** `/org`'s query (exported for the route table, lib/http/routes.ts). */
export const orgPageQuerySchema = z.strictObject({ focus: userId.optional() }, UNKNOWN_PARAMETERS);

/** `GET /api/org`'s query (exported for the route table, lib/http/routes.ts). */
export const orgApiQuerySchema = z
  .strictObject({ parent: userId.optional(), focus: userId.optional(), offset: offset.optional() }, UNKNOWN_PARAMETERS)
  .refine((q) => q.parent === undefined || q.focus === undefined, 'give "parent" or "focus", not both')
  .refine((q) => q.focus === undefined || q.offset === undefined, '"offset" pages a level and does not go with "focus"');

export type OrgPageQuery = { focus: number | null };
export type OrgApiQuery = { kind: 'level'; parent: number | null; offset: number } | { kind: 'focus'; focus: number };
type Result<T> = { ok: true; query: T } | { ok: false; error: string };

/** `/org?focus={id}`. */
export function parseOrgPageQuery(params: QueryParams): Result<OrgPageQuery> {
  const parsed = readQuery(orgPageQuerySchema, params);
  return parsed.ok ? { ok: true, query: { focus: parsed.value.focus ?? null } } : parsed;
}

/** `GET /api/org?parent=&offset=` or `?focus=`. */
export function parseOrgApiQuery(params: URLSearchParams): Result<OrgApiQuery> {
  const parsed = readQuery(orgApiQuerySchema, params);
  if (!parsed.ok) return parsed;
  const { parent, focus, offset } = parsed.value;
  if (focus !== undefined) return { ok: true, query: { kind: 'focus', focus } };
  return { ok: true, query: { kind: 'level', parent: parent ?? null, offset: offset ?? 0 } };
}
