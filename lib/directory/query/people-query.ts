import { z } from 'zod';
import { CONTROL_CHARACTER, PAGE_SIZE } from '@/lib/directory/query/people-query-url';
import type { PeopleQuery } from '@/lib/directory/domain/types';
import { TEAM_ID_MESSAGE, teamIdFrom } from '@/lib/directory/query/teams-id';
import { readQuery, UNKNOWN_PARAMETERS, wholeNumber, type QueryParams } from '@/lib/directory/query/read-query';

// The server reads every address a viewer brings (the page, /api/people, proxy.ts); the browser
// only writes addresses (people-query-url.ts), so this module stays out of the client bundle.
// Messages are written out so a shared link's error reads the same whatever zod's defaults.


// Control characters never belong in a search; refusing them keeps logs and links clean.
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL_CHARACTER.test(v), 'must not contain control characters');

const choice = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(', ')}` });

/** The directory's view state, as it appears in the URL (`/?q=…&department=…&status=…`). */
export const peopleQuerySchema = z.strictObject(
  {
    q: text(200).default(''),
    department: text(200).optional(),
    office: text(200).optional(),
    // "" means every team, as for department and office.
    team: z.string().refine((v) => v === '' || teamIdFrom(v) !== null, TEAM_ID_MESSAGE).optional(),
    status: choice(['any', 'reachable', 'active', 'out'] as const).default('any'),
    sort: choice(['reachable', 'name', 'joined'] as const).default('reachable'),
    offset: wholeNumber(0, 1_000_000).default(0),
    limit: wholeNumber(1, 200).default(PAGE_SIZE),
  },
  UNKNOWN_PARAMETERS,
);

export type PeopleQueryResult = { ok: true; query: PeopleQuery } | { ok: false; error: string };

/** Parses URL search params; unknown keys and repeated keys are errors, not silently ignored. */
export function parsePeopleQuery(params: QueryParams): PeopleQueryResult {
  return readPeopleQuery(peopleQuerySchema, params);
}

/** Reads `params` with `schema`: the directory's, or a narrower one of its (a team page's, teams-page-query.ts). */
export function readPeopleQuery(schema: { safeParse(data: unknown): z.ZodSafeParseResult<z.output<typeof peopleQuerySchema>> }, params: QueryParams): PeopleQueryResult {
  const parsed = readQuery(schema, params);
  if (!parsed.ok) return parsed;
  const { department, office, team, ...rest } = parsed.value;
  return { ok: true, query: { ...rest, department: department || null, office: office || null, ...(team ? { team: teamIdFrom(team)! } : {}) } };
}
