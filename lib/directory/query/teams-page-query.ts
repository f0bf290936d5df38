import { peopleQuerySchema, readPeopleQuery, type PeopleQueryResult } from '@/lib/directory/query/people-query';
import type { QueryParams } from '@/lib/directory/query/read-query';

/**
 * A team page's own parameters (`/groups/{id}?…`): the directory's (search, department, office,
 * presence, sort, paging), but not `team`, which the address already says.
 */
export const teamPageQuerySchema = peopleQuerySchema.omit({ team: true });

export function parseTeamPageQuery(params: QueryParams): PeopleQueryResult {
  const has = params instanceof URLSearchParams ? params.has('team') : params.team !== undefined;
  if (has) return { ok: false, error: 'unknown parameter "team" (a team page shows its own team)' };
  return readPeopleQuery(teamPageQuerySchema, params);
}
