import type { PeopleQuery } from '@/lib/directory/domain/types';

// The directory view as a URL query string. Writing only: reading an address a viewer brings is
// the server's job (people-query.ts validates it), so nothing here needs zod, and the browser
// bundle, which imports this module, stays small.

export const PAGE_SIZE = 50;

/** A control character: never in a search or a filter (people-query.ts refuses them in an address). */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');

/** What a search box holds, as it may go into an address: a tab or other control character (pasted from a spreadsheet) is a space. */
export const searchTyped = (value: string): string => value.replace(CONTROL_CHARACTERS, ' ');

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
  if (query.team) params.set('team', String(query.team));
  if (query.status && query.status !== 'any') params.set('status', query.status);
  if (query.sort && query.sort !== 'reachable') params.set('sort', query.sort);
  if (query.offset) params.set('offset', String(query.offset));
  if (query.limit && query.limit !== PAGE_SIZE) params.set('limit', String(query.limit));
  const s = params.toString();
  return s ? `?${s}` : '';
}
