'use client';

import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { PRESENCE_WORDS } from '@/components/directory/filters';
import { peopleQueryOptions } from '@/lib/directory/client/queries';
import type { PeoplePage, PeopleQuery } from '@/lib/directory/domain/types';

/** A view in words: "“ana” reachable now in Design, Berlin", "Everyone in New York", "Reachable now anywhere". */
function describe(query: PeopleQuery, teams: PeoplePage['facets']['teams'], scoped: boolean): string {
  const team = query.team ? teams.find((t) => t.id === query.team)?.name : undefined;
  const where = [query.department, query.office, team].filter(Boolean);
  const presence = query.status === 'any' ? '' : PRESENCE_WORDS[query.status];
  const who = query.q ? `“${query.q}”${presence ? `, ${presence.toLowerCase()}` : ''}` : presence || 'Everyone';
  // On a team's page, "anywhere" is still within the team; and everyone is just "Everyone".
  return `${who}${where.length > 0 ? ` in ${where.join(', ')}` : scoped || who === 'Everyone' ? '' : ' anywhere'}`;
}

/** "No one matches “ana” in Design", "No one is reachable now in Berlin". */
function nobody(query: PeopleQuery, teams: PeoplePage['facets']['teams']): string {
  const team = query.team ? teams.find((t) => t.id === query.team)?.name : undefined;
  const where = [query.department, query.office, team].filter(Boolean);
  const presence = query.status === 'any' ? '' : PRESENCE_WORDS[query.status].toLowerCase();
  const what = query.q ? `matches “${query.q}”${presence ? `, ${presence}` : ''}` : presence ? `is ${presence}` : 'is';
  return `No one ${what}${where.length > 0 ? ` in ${where.join(', ')}` : ''}.`;
}

/** Each view one step wider than `query`: without its search, or without one of its filters. */
function widerViews(query: PeopleQuery, scoped: boolean): Array<Partial<PeopleQuery>> {
  return [
    query.q ? { q: '' } : null,
    query.department ? { department: null } : null,
    query.office ? { office: null } : null,
    query.team && !scoped ? { team: null } : null,
    query.status !== 'any' ? { status: 'any' as const } : null,
  ].filter((v) => v !== null);
}

/**
 * No one matches: say what was searched, and offer the nearest views that have someone in them,
 * with their counts ("Everyone in New York (74)", "Reachable now anywhere (3)"), each one click away.
 */
export function EmptyResult({
  query,
  teams,
  scoped,
  onView,
  countLocally,
}: {
  query: PeopleQuery;
  teams: PeoplePage['facets']['teams'];
  /** A team's page: its team is not a filter to remove. */
  scoped: boolean;
  onView: (changes: Partial<PeopleQuery>) => void;
  /** With the people index in, how many a view has, counted in the tab: no request per keystroke. */
  countLocally?: ((query: PeopleQuery) => number) | null;
}) {
  const wider = useMemo(() => widerViews(query, scoped), [query, scoped]);
  // From the server, counts only: one row each is the least the API serves.
  const counts = useQueries({
    queries: countLocally ? [] : wider.map((changes) => ({ ...peopleQueryOptions({ ...query, ...changes, offset: 0, limit: 1 }), placeholderData: undefined })),
  });
  // From the index, once per view (and per tick of the page's clock), not per render.
  const localTotals = useMemo(() => (countLocally ? wider.map((changes) => countLocally({ ...query, ...changes, offset: 0, limit: 1 })) : null), [countLocally, query, wider]);
  const totalOf = (i: number) => localTotals?.[i] ?? counts[i]?.data?.total ?? 0;
  const offers = wider
    .map((changes, i) => ({ changes, total: totalOf(i), label: describe({ ...query, ...changes }, teams, scoped) }))
    .filter((o) => o.total > 0);
  const everything = { q: '', department: null, office: null, status: 'any' as const, ...(scoped ? {} : { team: null }) };
  const button = 'min-h-11 rounded-md border border-line px-3 text-sm hover:bg-surface-sunken focus-visible:outline-2 focus-visible:outline-accent';
  return (
    <div className="rounded-lg border border-dashed border-line px-4 py-8 text-center">
      <p className="font-medium">{nobody(query, teams)}</p>
      <p className="mt-1 text-sm text-ink-muted">Try a shorter search, part of a name or title, or one of these:</p>
      <ul aria-label="Nearest views" className="mt-3 flex flex-wrap justify-center gap-2">
        {offers.map((o) => (
          <li key={o.label}>
            <button type="button" onClick={() => onView(o.changes)} className={button}>
              {o.label} ({o.total.toLocaleString('en-US')})
            </button>
          </li>
        ))}
        {wider.length > 1 && (
          <li>
            <button type="button" onClick={() => onView(everything)} className={button}>
              Clear search and filters
            </button>
          </li>
        )}
      </ul>
    </div>
  );
}
