'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { lazy, Suspense, useCallback, useDeferredValue, useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import { ExportMenu } from '@/components/directory/export-menu';
import { PersonRow } from '@/components/directory/person-row';
import { activeFilters, FilterChips, Filters, FiltersToggle } from '@/components/directory/filters';
import { Pager } from '@/components/directory/pager';
import { SearchBox } from '@/components/directory/search-box';
import { useLocalPeople } from '@/components/directory/local-people-store';
import { useScreenFirst } from '@/components/directory/use-screen-first';
import { usePresenceComplete, type LivePresenceState } from '@/components/presence/live-presence';
import { useWallClockMs } from '@/components/presence/render-clock';
import type { ListedPage } from '@/lib/directory/domain/person-row';
import { peopleQueryToSearch } from '@/lib/directory/query/people-query-url';
import { directoryKeys, peopleQueryOptions } from '@/lib/directory/client/queries';
import type { PeoplePage, PeopleQuery } from '@/lib/directory/domain/types';
import { avatarLink, avatarVersion } from '@/lib/directory/domain/avatar-link';
import { peopleCount } from '@/components/ui/people-count';
import { isPlainClick } from '@/components/ui/app-link';

// Loaded when a view first matches no one (its suggestions ask the server for counts): most
// visits never see it, so it stays out of the page's first load.
const EmptyResult = lazy(() => import('@/components/directory/empty-result').then((m) => ({ default: m.EmptyResult })));

/** Only while the server answers searches: with the people index in, every keystroke is answered in its own frame. */
const TYPING_DEBOUNCE_MS = 120;
/** The address bar follows the search once typing pauses: every URL change re-renders Next's router. */
const URL_SYNC_MS = 400;
/** How the count line names an order other than the first (the default says nothing). */
const SPOKEN_ORDER: Record<PeopleQuery['sort'], string> = { reachable: '', name: ', by name', joined: ', newest first' };

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
 * shared. The first page arrives server-rendered. Once the people index is in (fetched after the
 * first paint), every view is answered in the browser by the same query engine as the server's,
 * with no debounce (docs/architecture.md §17); until then, or if it cannot be had, later pages and
 * searches come from /api/people.
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
  const countRef = useRef<HTMLParagraphElement>(null);
  const queryClient = useQueryClient();
  const router = useRouter();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const localPeople = useLocalPeople();
  // The index sorts and filters by everyone's presence: usable once the live state holds it.
  const presenceComplete = usePresenceComplete();
  const local = presenceComplete ? localPeople : null;
  // Enter was pressed on this search before its results arrived: open the first when they do.
  const openFirstOf = useRef<string | null>(null);
  // An input method is composing: its text is searched as it goes, but is no search to put in
  // the address (or to read out) until it is committed.
  const [composing, setComposing] = useState(false);

  // The address changed under the search box to a search this view did not write (back, forward,
  // a link): the box shows it, or the debounce would search the old text and rewrite the address.
  // The address catching up with a search typed earlier leaves the box alone: the viewer may have
  // typed on since. `wroteQ` is forgotten on back/forward, where every change comes from outside,
  // and so is `addressQ`: the box takes the search of the address they land on even when no render
  // saw the address the view wrote last (the URL's catching up and the way back can land together).
  const [wroteQ, setWroteQ] = useState<string | null>(null);
  const [addressQ, setAddressQ] = useState<string | null>(urlQuery.q);
  if (addressQ !== urlQuery.q) {
    setAddressQ(urlQuery.q);
    if (urlQuery.q !== wroteQ) setText(urlQuery.q);
  }

  // Writes the view into the URL without a server round trip (Next syncs useSearchParams).
  // A view changed from this one, and its address's query string (a team's page does not repeat its team).
  const viewWith = useCallback(
    (changes: Partial<PeopleQuery>) => {
      const next = { ...query, offset: 0, ...changes, ...(scopeTeam ? { team: scopeTeam } : {}) };
      return { next, nextSearch: peopleQueryToSearch(scopeTeam ? { ...next, team: null } : next) };
    },
    [query, scopeTeam],
  );

  const navigate = useCallback(
    (changes: Partial<PeopleQuery>, mode: 'push' | 'replace' = 'push') => {
      const { next, nextSearch } = viewWith(changes);
      // Enter pressed before the results opens the first of that search, not of a view changed since.
      if (Object.keys(changes).some((key) => key !== 'q')) openFirstOf.current = null;
      writtenViews.set(`${pathname}?${nextSearch.slice(1)}`, next);
      const url = `${window.location.pathname}${nextSearch}`;
      // Until Next has caught up with the new URL, its search is the one shown (no flash of the old one).
      setTyped({ q: next.q, over: urlQuery.q });
      setWroteQ(next.q);
      if (mode === 'push') window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    },
    [viewWith, urlQuery.q, pathname],
  );

  // Back and forward: the URL they land on rules, whatever was typed.
  useEffect(() => {
    const onPopState = () => {
      setTyped(null);
      setWroteQ(null);
      setAddressQ(null);
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  // Starts the search for `q` now, ahead of the URL.
  const searchNow = (q: string) => {
    // Ask now rather than when React has rendered and run effects for the new search (a frame
    // later, at times): useQuery below picks up the request already on its way.
    if (!local) void queryClient.prefetchQuery(peopleQueryOptions(q === urlQuery.q ? urlQuery : typedQuery(urlQuery, q)));
    setTyped({ q, over: urlQuery.q });
  };
  // Reads the URL when it fires, so the URL catching up with an earlier search does not restart the debounce.
  const startSearch = useEffectEvent(searchNow);

  useEffect(() => {
    if (text === query.q) return;
    // With the people index, onType searched already; this is a search typed before it came in.
    const timer = setTimeout(() => startSearch(text), local ? 0 : TYPING_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, query.q, local]);

  useEffect(() => {
    if (composing || !typed || typed.over !== urlQuery.q || typed.q === urlQuery.q) return;
    const timer = setTimeout(() => navigate({ q: typed.q }, 'replace'), URL_SYNC_MS);
    return () => clearTimeout(timer);
  }, [typed, urlQuery.q, navigate, composing]);

  // While the index answers, the server's query stays on the page's first view: a key per
  // keystroke would leave a cache entry (and its timers) behind for every search typed.
  const serverQuery = local === null ? query : initialQuery;
  const page = useQuery({
    ...peopleQueryOptions(serverQuery),
    initialData: sameQuery(serverQuery, initialQuery) ? initialPage : undefined,
    enabled: local === null,
  });
  // Answered here, in the render of the keystroke. Presence as the live state has it at that
  // moment: the order does not shuffle under the viewer as presence moves (the badges do).
  // Availability at the page's clock: answered again as it ticks, as the server's page is
  // fetched again (working hours begin and end with no new data; docs/architecture.md §18).
  // Availability on the wall's clock, as the server's queries answer it (not Zulip's).
  const nowMs = useWallClockMs();
  // Pictures as the server's pages gave them. The index names a picture by the app's redirect
  // (lib/directory/domain/avatar-link.ts); where the server's address is known for the same
  // picture (its version), a row answered from the index keeps it, so the pictures on screen do
  // not load again when the index takes over. A picture changed or removed since is the index's.
  // By id: the server's address, and the index's link for that same picture (worked out once per page, not per keystroke).
  const serverPictures = useMemo(
    () =>
      new Map(
        [...initialPage.items, ...(page.data?.items ?? [])].flatMap((p) =>
          !p.avatarUrl ? [] : [[p.id, { url: p.avatarUrl, sameAs: avatarLink(p.id, avatarVersion(p.avatarUrl)) }] as const],
        ),
      ),
    [initialPage, page.data],
  );
  const localPage = useMemo<ListedPage | null>(() => {
    const live = local ? queryClient.getQueryData<LivePresenceState>(directoryKeys.presenceLive()) : undefined;
    if (!local || !live) return null;
    const answer = local.run(query, live.freshness, live, nowMs);
    const items = answer.items.map((row) => {
      const server = serverPictures.get(row.id);
      return server && row.avatarUrl === server.sameAs ? { ...row, avatarUrl: server.url } : row;
    });
    return { ...answer, items };
  }, [local, query, queryClient, nowMs, serverPictures]);
  // The empty result's suggestions, counted from the index when it is in (no request per keystroke).
  const countLocally = useMemo(() => {
    const live = local ? queryClient.getQueryData<LivePresenceState>(directoryKeys.presenceLive()) : undefined;
    return local && live ? (view: PeopleQuery) => local.run(view, live.freshness, live, nowMs).total : null;
  }, [local, queryClient, nowMs]);
  // While the focus is in the list, the list holds still: a new order (the page's clock and live
  // presence sorting "reachable first" again, a new index, the server's page fetched again) would
  // put someone else under the row a keyboard user is on. Badges stay live; the new order comes
  // when the focus leaves the list. Held for its view only: another search (Back, Forward, a
  // search still arriving) shows at once, and is held once its results are in (the rows shown
  // while they load are the last search's).
  const [held, setHeld] = useState<{ query: PeopleQuery; view: ListedPage } | null>(null);
  const live: ListedPage = localPage ?? page.data ?? initialPage;
  const pending = localPage === null && page.isPlaceholderData;
  // The server did not answer this view, retries and all: there are no results to show for it
  // (what the page holds then is its first view's, not this one's).
  const failed = localPage === null && page.isError && page.data === undefined;
  const data: ListedPage = held && sameQuery(held.query, query) ? held.view : live;
  const holdIfFocused = () => {
    if (!pending && (!held || !sameQuery(held.query, query)) && listRef.current?.contains(document.activeElement)) setHeld({ query, view: live });
  };
  // The view's results came in (or it changed) with the focus in the list: they hold from now.
  // With the focus gone from it, nothing holds: a row React removed (Back to a shorter view) took
  // the focus with it and no blur was sent, and the held view would come back stale with Forward.
  const holdArrived = useEffectEvent(() => {
    if (held && !listRef.current?.contains(document.activeElement)) setHeld(null);
    else holdIfFocused();
  });
  useEffect(() => holdArrived(), [pending, query]);
  const showPresence = !data.freshness.presenceDisabled;
  // Rows are highlighted for the search they are the results of: while the next search loads,
  // the previous results stay (dimmed) with their own highlight, and their rows do not re-render.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed only when the shown data changes, on purpose
  const shownQ = useMemo(() => query.q, [data]);
  // The rows follow a step behind: a keystroke (Escape clearing the search above all, whose
  // results are often cached) paints the box at once, and the 50 rows render after it, in a
  // render a further keystroke may interrupt.
  // From the people index, the rows render with the keystroke: it is the next frame they must be
  // in, the first screen of them at once and the rest once it is painted. Nothing is deferred then
  // (null): a deferred copy would cost a second render of the whole view after every keystroke.
  // Null also on the way back to the server: that render shows its rows at once.
  const deferredRows = useDeferredValue(localPage ? null : data.items) ?? data.items;
  const deferredQ = useDeferredValue(localPage ? null : shownQ) ?? shownQ;
  const rows = useScreenFirst(localPage ? data.items : deferredRows, localPage ? shownQ : deferredQ, localPage !== null, listRef);
  const resultsReady = localPage !== null || (page.isSuccess && !page.isPlaceholderData);

  // The search typed ahead of the address goes into it now: someone opened before typing paused
  // is left from that search, so Back returns to it.
  const writePendingAddress = () => {
    if (typed && typed.over === urlQuery.q && typed.q !== urlQuery.q) navigate({ q: typed.q }, 'replace');
  };

  const openFirst = () => {
    const first = data.items[0];
    if (!first) return;
    writePendingAddress();
    router.push(`/people/${first.id}`);
  };
  const openFirstArrived = useEffectEvent(openFirst);

  // Enter before the results: they arrived.
  useEffect(() => {
    if (failed) openFirstOf.current = null;
    if (openFirstOf.current === null || openFirstOf.current !== query.q || !resultsReady) return;
    openFirstOf.current = null;
    openFirstArrived();
  }, [query.q, resultsReady, failed]);

  const onEnter = () => {
    // No results to open: an Enter kept for later would open someone when a retry comes in.
    if (failed) return;
    if (text === query.q && resultsReady) return openFirst();
    openFirstOf.current = text;
    if (text !== query.q) searchNow(text); // no need to wait for the debounce
  };

  const onType = (value: string) => {
    openFirstOf.current = null;
    setText(value);
    // Searched at once, in this keystroke's render; the address follows when typing pauses.
    if (local && value !== query.q) {
      setTyped({ q: value, over: urlQuery.q });
    }
  };

  // Focus on the count line, which says what is shown now: after a control that goes with the
  // view it changed ("Did you mean", a filter's chip, an empty result's suggestion), the focus
  // would otherwise fall to the page's start.
  const focusCount = () => countRef.current?.focus({ preventScroll: true });

  // Paging keeps the viewer's place: back to the top of the list, focus on the count (which
  // says where they are), wherever the button was.
  const onPage = (offset: number) => {
    navigate({ offset });
    focusCount();
    countRef.current?.scrollIntoView({ block: 'start' });
  };

  const filters = activeFilters(query, data.facets.teams, scopeTeam === null);

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
    // Up from the first result goes back to the search, where ↓ came from.
    if (index === 0 && event.key === 'ArrowUp') document.getElementById('directory-search')?.focus();
    else focusRow(index + (event.key === 'ArrowDown' ? 1 : -1));
  };

  const countText = failed ? 'No answer for this view' : `${peopleCount(data.total)}${
    showPresence ? ` · ${data.reachable.toLocaleString('en-US')} reachable now` : ''
  } · ${data.out.toLocaleString('en-US')} out`;
  const whosOut = viewWith({ status: 'out', sort: 'reachable', offset: 0 }).nextSearch;
  // A page beyond the view's last (a shared link to a view that has shrunk since): people match, none on it.
  const pastTheEnd = !failed && data.items.length === 0 && data.total > 0;
  const paged = !failed && !pastTheEnd && data.total > data.limit;
  // The order is said too: another order of the same people has the same counts, and a live
  // region whose words do not change is not read.
  const spokenCount = `${countText}${
    paged ? `, showing ${(data.offset + 1).toLocaleString('en-US')} to ${Math.min(data.total, data.offset + data.limit).toLocaleString('en-US')}` : ''
  }${failed ? '' : SPOKEN_ORDER[query.sort]}`;
  // Screen readers hear the count line when the view changes (a search, a filter, a page, its
  // results arriving), not when the page's clock answers the same view again with live presence
  // and only the counts move: in a large organization someone's presence changes every few
  // seconds, and the line would be read out every 30 s to someone who did nothing. The counts stay
  // live on screen; what is read (also when the line gets the focus) is the line as it was when
  // the view last changed. A search is read out once typing pauses, with the address: answered
  // from the people index, every keystroke is a new view, and a count per character would queue
  // behind the characters the screen reader echoes. Nor while the server's answer is on its way:
  // the line then still holds the last view's count, read once the answer is in.
  // A view that failed and then answered (Try again, a refetch) is a change the line says too.
  const viewKey = `${peopleQueryToSearch(urlQuery)}${failed ? ' failed' : ''}`;
  const [spoken, setSpoken] = useState({ viewKey, text: spokenCount });
  if (spoken.viewKey !== viewKey && !pending) setSpoken({ viewKey, text: spokenCount });
  const suggestion = data.approximate ? data.items[0] : undefined;

  return (
    // Who answered this view: the people index in this tab, or the server (for tests and bench/search.ts).
    <div className="space-y-3" data-answered-by={localPage ? 'browser' : 'server'}>
      {/* The search and the filters are a form sent as the address's query, for a browser without
          JavaScript (the server answers it as any link); with JavaScript the view answers at once. */}
      <form method="get" action={pathname} role="search" aria-label="Directory search" className="space-y-3" onSubmit={(event) => event.preventDefault()}>
        <SearchBox
          value={text}
          onChange={onType}
          onClear={() => {
            // Nothing to clear: the view stays as it is (its page too).
            if (text === '' && query.q === '') return;
            onType('');
            navigate({ q: '' }, 'replace');
          }}
          onArrowDown={() => focusRow(0)}
          onEnter={onEnter}
          onComposing={setComposing}
        />
        <div className="flex flex-wrap items-center gap-2">
          <FiltersToggle count={filters.length} open={filtersOpen} controls="directory-filters" onToggle={() => setFiltersOpen((v) => !v)} />
          <p
            ref={countRef}
            tabIndex={-1}
            data-count-line
            // Beside "Filters (n)" and "Export" on a phone too, on two lines if need be.
            className="min-w-0 flex-1 scroll-mt-2 rounded text-sm text-ink-muted focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
          >
            <span aria-hidden="true">{countText}</span>
            <span role="status" className="sr-only">
              {spoken.text}
            </span>
          </p>
          {/* Not on a phone: beside the count it pushes the first rows below the first screen, and
              "Status: Out" is one tap away in the folded filters there. */}
          {query.status !== 'out' && (
            <a
              href={`${pathname}${whosOut}`}
              onClick={(event) => {
                if (!isPlainClick(event)) return;
                event.preventDefault();
                navigate({ status: 'out', sort: 'reachable', offset: 0 });
                // The link goes with the view it opened: the focus to the count that says what it shows.
                focusCount();
              }}
              className="hidden items-center rounded px-1 text-sm font-medium text-accent underline hover:no-underline focus-visible:outline-2 focus-visible:outline-accent sm:inline-flex"
            >
              Who&apos;s out
            </a>
          )}
          <ExportMenu query={query} total={failed ? 0 : data.total} pending={pending} />
        </div>
        <Filters
          id="directory-filters"
          open={filtersOpen}
          query={query}
          facets={data.facets}
          showPresence={showPresence}
          showTeams={scopeTeam === null}
          onChange={(changes) => navigate(changes)}
        />
        <FilterChips
          filters={filters}
          onChange={(changes) => {
            navigate(changes);
            focusCount();
          }}
        />
      </form>
      {suggestion && (
        <p className="text-sm">
          No one matches “{shownQ}” as typed. Did you mean{' '}
          <a
            href={`${pathname}${viewWith({ q: suggestion.name }).nextSearch}`}
            className="font-medium text-accent underline hover:no-underline"
            onClick={(event) => {
              if (!isPlainClick(event)) return;
              event.preventDefault();
              onType(suggestion.name);
              navigate({ q: suggestion.name });
              focusCount();
            }}
          >
            {suggestion.name}
          </a>
          ?
        </p>
      )}
      {failed ? (
        <p role="alert" className="rounded-lg border border-warn bg-warn-surface px-3 py-2 text-sm text-warn">
          The directory did not answer this view.{' '}
          <button
            type="button"
            // The button goes while the view is asked again: the focus goes to the count, which says what comes.
            onClick={() => {
              focusCount();
              void page.refetch();
            }}
            className="font-medium underline hover:no-underline focus-visible:outline-2 focus-visible:outline-accent">
            Try again
          </button>
        </p>
      ) : pastTheEnd ? (
        <div className="rounded-lg border border-dashed border-line px-4 py-8 text-center">
          <p className="font-medium">This page is past the end of this view’s {peopleCount(data.total)}.</p>
          <button
            type="button"
            onClick={() => onPage(Math.floor((data.total - 1) / data.limit) * data.limit)}
            className="mt-3 min-h-11 rounded-md border border-line px-3 text-sm hover:bg-surface-sunken focus-visible:outline-2 focus-visible:outline-accent"
          >
            Go to the last page
          </button>
        </div>
      ) : data.items.length === 0 ? (
        <Suspense fallback={null}>
          <EmptyResult
            query={query}
            teams={scopeTeam === null ? data.facets.teams : []}
            scoped={scopeTeam !== null}
            onView={(changes) => {
              if (changes.q !== undefined) onType(changes.q);
              navigate(changes);
              focusCount();
            }}
            countLocally={countLocally}
          />
        </Suspense>
      ) : (
        <ul
          ref={listRef}
          onClickCapture={writePendingAddress}
          onKeyDown={onListKeyDown}
          onFocus={holdIfFocused}
          onBlur={(event) => {
            // Another window taking the focus is not leaving the list: it comes back to the same row.
            if (!document.hasFocus() || event.currentTarget.contains(event.relatedTarget as Node | null)) return;
            setHeld(null);
          }}
          aria-label="People"
          // Dimmed while the next results load, but only if they take a moment: a quick
          // answer never repaints the list twice (the dim waits 200 ms; undimming is instant).
          className={`rounded-lg border border-line bg-surface transition-opacity duration-0 ${pending ? 'opacity-70 delay-200' : ''}`}
        >
          {rows.map(({ row, q }, position) => (
            // By position: the next results update these rows in place, far cheaper than
            // unmounting 50 rows and mounting 50 new ones on every keystroke.
            <PersonRow key={position} person={row} query={q} showPresence={showPresence} />
          ))}
        </ul>
      )}
      {!failed && (
        <Pager total={data.total} offset={data.offset} limit={data.limit} hrefFor={(offset) => `${pathname}${viewWith({ offset }).nextSearch}`} onPage={onPage} />
      )}
    </div>
  );
}
