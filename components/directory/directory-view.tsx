'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import { ExportMenu } from '@/components/directory/export-menu';
import { PersonRow } from '@/components/directory/person-row';
import { Filters } from '@/components/directory/filters';
import { Pager } from '@/components/directory/pager';
import { SearchBox } from '@/components/directory/search-box';
import { peopleQueryToSearch } from '@/lib/directory/people-query-url';
import { peopleQueryOptions } from '@/lib/directory/queries';
import type { PeoplePage, PeopleQuery } from '@/lib/directory/types';

const TYPING_DEBOUNCE_MS = 120;
/** The address bar follows the search once typing pauses: every URL change re-renders Next's router. */
const URL_SYNC_MS = 400;

/**
 * The views this tab has put in the address bar, by path and query string (the directory, or a
 * team's page). Kept for the tab's life, not the component's: after a profile and Back, Next
 * restores this page as it was first rendered (with its `initialQuery`), and only this knows
 * what the address now stands for. An address always stands for the same view, so an entry
 * never goes stale.
 */
const writtenViews = new Map<string, PeopleQuery>();

/** The view while a typed search is ahead of the address: its search, from the first page. */
function typedQuery(urlQuery: PeopleQuery, q: string): PeopleQuery {
  return { ...urlQuery, q, offset: 0 };
}

function sameQuery(a: PeopleQuery, b: PeopleQuery): boolean {
  return peopleQueryToSearch(a) === peopleQueryToSearch(b);
}

/**
 * The directory: search as you type, filters and paging, all held in the URL so any view can be
 * shared. The first page arrives server-rendered; later pages and searches come from /api/people.
 *
 * The browser never parses an address: the server read (and validated: proxy.ts answers 400 to
 * a malformed one) the address this page was rendered for, `initialQuery`, and every later
 * address is one this view wrote, remembered in `writtenViews`. Back and forward land on one or
 * the other.
 */
export function DirectoryView({
  initialQuery,
  initialPage,
  scope,
}: {
  initialQuery: PeopleQuery;
  initialPage: PeoplePage;
  /** A team's page (/groups/{id}): every view is that team's, and its address does not repeat it. */
  scope?: { team: number };
}) {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const scopeTeam = scope?.team ?? null;
  // By path as well: "?q=ana" on a team's page is not the directory's "?q=ana".
  const urlQuery = useMemo(() => writtenViews.get(`${pathname}?${search}`) ?? initialQuery, [pathname, search, initialQuery]);
  const [text, setText] = useState(urlQuery.q);
  // The search the debounce has let go, ahead of the URL: its query starts at once, and the URL
  // catches up when typing pauses. It applies only while the URL still says what it said then;
  // once the URL changes (to this search, or by back/forward, or another filter), the URL rules.
  const [typed, setTyped] = useState<{ q: string; over: string } | null>(null);
  const query = useMemo(
    () => (typed && typed.over === urlQuery.q && typed.q !== urlQuery.q ? typedQuery(urlQuery, typed.q) : urlQuery),
    [typed, urlQuery],
  );
  const listRef = useRef<HTMLUListElement>(null);
  const queryClient = useQueryClient();

  // The address changed under the search box to a search this view did not write (back, forward,
  // a link): the box shows it, or the debounce would search the old text and rewrite the address.
  // The address catching up with a search typed earlier leaves the box alone: the viewer may have
  // typed on since. `wroteQ` is forgotten on back/forward, where every change comes from outside.
  const [wroteQ, setWroteQ] = useState<string | null>(null);
  const [addressQ, setAddressQ] = useState(urlQuery.q);
  if (addressQ !== urlQuery.q) {
    setAddressQ(urlQuery.q);
    if (urlQuery.q !== wroteQ) setText(urlQuery.q);
  }

  // Writes the view into the URL without a server round trip (Next syncs useSearchParams).
  const navigate = useCallback(
    (changes: Partial<PeopleQuery>, mode: 'push' | 'replace' = 'push') => {
      const next = { ...query, offset: 0, ...changes, ...(scopeTeam ? { team: scopeTeam } : {}) };
      const nextSearch = peopleQueryToSearch(scopeTeam ? { ...next, team: null } : next);
      writtenViews.set(`${pathname}?${nextSearch.slice(1)}`, next);
      const url = `${window.location.pathname}${nextSearch}`;
      // Until Next has caught up with the new URL, its search is the one shown (no flash of the old one).
      setTyped({ q: next.q, over: urlQuery.q });
      setWroteQ(next.q);
      if (mode === 'push') window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    },
    [query, urlQuery.q, pathname, scopeTeam],
  );

  // Back and forward: the URL they land on rules, whatever was typed.
  useEffect(() => {
    const onPopState = () => {
      setTyped(null);
      setWroteQ(null);
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  // Reads the URL when it fires, so the URL catching up with an earlier search does not restart the debounce.
  const startSearch = useEffectEvent((q: string) => {
    // For bench/search.ts (which observes it): the moment a search leaves the debounce. Only
    // the latest is kept, so a long session does not accumulate them.
    performance.clearMarks?.('directory:search');
    performance.mark?.('directory:search', { detail: q });
    // Ask now rather than when React has rendered and run effects for the new search (a frame
    // later, at times): useQuery below picks up the request already on its way.
    void queryClient.prefetchQuery(peopleQueryOptions(q === urlQuery.q ? urlQuery : typedQuery(urlQuery, q)));
    setTyped({ q, over: urlQuery.q });
  });

  useEffect(() => {
    if (text === query.q) return;
    const timer = setTimeout(() => startSearch(text), TYPING_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, query.q]);

  useEffect(() => {
    if (!typed || typed.over !== urlQuery.q || typed.q === urlQuery.q) return;
    const timer = setTimeout(() => navigate({ q: typed.q }, 'replace'), URL_SYNC_MS);
    return () => clearTimeout(timer);
  }, [typed, urlQuery.q, navigate]);

  const page = useQuery({
    ...peopleQueryOptions(query),
    initialData: sameQuery(query, initialQuery) ? initialPage : undefined,
  });
  const data = page.data ?? initialPage;
  const showPresence = !data.freshness.presenceDisabled;
  // Rows are highlighted for the search they are the results of: while the next search loads,
  // the previous results stay (dimmed) with their own highlight, and their rows do not re-render.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed only when the shown data changes, on purpose
  const shownQ = useMemo(() => query.q, [data]);

  const focusRow = (index: number) => {
    const links = listRef.current?.querySelectorAll<HTMLAnchorElement>('a[data-row-link]');
    if (!links?.length) return;
    links[Math.max(0, Math.min(index, links.length - 1))]?.focus();
  };

  const onListKeyDown = (event: React.KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>('a[data-row-link]') ?? [])];
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index === -1) return;
    event.preventDefault();
    focusRow(index + (event.key === 'ArrowDown' ? 1 : -1));
  };

  const countText = `${data.total.toLocaleString('en-US')} ${data.total === 1 ? 'person' : 'people'}${
    showPresence ? ` · ${data.reachable.toLocaleString('en-US')} reachable now` : ''
  }`;

  return (
    <div className="space-y-3">
      <SearchBox
        value={text}
        onChange={setText}
        onClear={() => {
          setText('');
          navigate({ q: '' }, 'replace');
        }}
        onArrowDown={() => focusRow(0)}
      />
      <Filters query={query} facets={data.facets} showPresence={showPresence} showTeams={scopeTeam === null} onChange={(changes) => navigate(changes)} />
      <div className="flex flex-wrap items-center gap-2">
        <p role="status" aria-live="polite" className="text-sm text-ink-muted">
          {countText}
          {page.isFetching && page.isPlaceholderData ? <span className="sr-only"> (updating)</span> : null}
        </p>
        <ExportMenu query={query} total={data.total} pending={page.isPlaceholderData} />
      </div>
      {data.items.length === 0 ? (
        <EmptyResult query={query} teams={scopeTeam === null ? data.facets.teams : []} onClear={() => { setText(''); navigate({ q: '', department: null, office: null, team: null, status: 'any' }); }} />
      ) : (
        <ul
          ref={listRef}
          onKeyDown={onListKeyDown}
          aria-label="People"
          // Dimmed while the next results load, but only if they take a moment: a quick
          // answer never repaints the list twice (the dim waits 200 ms; undimming is instant).
          className={`rounded-lg border border-line bg-surface transition-opacity duration-0 ${page.isPlaceholderData ? 'opacity-70 delay-200' : ''}`}
        >
          {data.items.map((person, position) => (
            // By position: the next results update these rows in place, far cheaper than
            // unmounting 50 rows and mounting 50 new ones on every keystroke.
            <PersonRow key={position} person={person} query={shownQ} showPresence={showPresence} />
          ))}
        </ul>
      )}
      <Pager total={data.total} offset={data.offset} limit={data.limit} onPage={(offset) => navigate({ offset })} />
    </div>
  );
}

function EmptyResult({ query, teams, onClear }: { query: PeopleQuery; teams: PeoplePage['facets']['teams']; onClear: () => void }) {
  const team = query.team ? teams.find((t) => t.id === query.team)?.name : undefined;
  const filters = [query.department, query.office, team, query.status !== 'any' ? (query.status === 'active' ? 'active now' : 'reachable now') : null].filter(Boolean);
  return (
    <div className="rounded-lg border border-dashed border-line px-4 py-8 text-center">
      <p className="font-medium">
        No one matches {query.q ? <>“{query.q}”</> : 'these filters'}
        {filters.length > 0 && <> in {filters.join(', ')}</>}.
      </p>
      <p className="mt-1 text-sm text-ink-muted">Try a shorter search, part of a name or title, or fewer filters.</p>
      <button type="button" onClick={onClear} className="mt-3 rounded-md border border-line px-3 py-1.5 text-sm hover:bg-surface-sunken">
        Clear search and filters
      </button>
    </div>
  );
}
