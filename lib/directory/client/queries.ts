import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { peopleQueryToSearch } from '@/lib/directory/query/people-query-url';
import type { PeoplePage, PeopleQuery, PresenceDiff } from '@/lib/directory/domain/types';
import { ORG_PAGE_SIZE, type OrgLevel } from '@/lib/directory/domain/org-chart-types';
import type { PresenceDetail } from '@/lib/presence/detail-types';
import { avatarsLink } from '@/lib/directory/domain/avatar-link';
import type { AvatarUrls } from '@/lib/directory/domain/service-types';

// The one place for TanStack Query keys (every key the app uses is made here) and the browser's fetchers. Server components call the service
// functions directly and seed these same keys.

export const directoryKeys = {
  all: ['directory'] as const,
  people: (query: PeopleQuery) => [...directoryKeys.all, 'people', query] as const,
  presenceDetail: (personId: number) => [...directoryKeys.all, 'presence-detail', personId] as const,
  presencePoll: () => [...directoryKeys.all, 'presence-poll'] as const,
  /** The live presence state: written by the stream and the poll (components/presence/live-presence.tsx), never fetched. */
  presenceLive: () => [...directoryKeys.all, 'presence-live'] as const,
  /**
   * One level of the org chart: the top (null) or someone's reports, all its pages loaded so far,
   * from the page it was opened at (`start`: 0, or the page holding the person a `?focus=` leads to).
   */
  orgLevel: (parent: number | null, start: number, revision: number) => [...directoryKeys.all, 'org', revision, parent ?? 'top', start] as const,
};

/** Thrown by the fetchers with the API's `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** GET as JSON; an answer other than 2xx is an ApiError with the API's code. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `Request failed (${response.status})`);
  }
  return body as T;
}

/** The URLs of these people's pictures (components/ui/picture-addresses.ts: not a query, as the list asks once per link for the tab's life). */
export function fetchAvatarUrls(ids: readonly number[]): Promise<AvatarUrls> {
  return getJson<AvatarUrls>(avatarsLink(ids));
}

export function peopleQueryOptions(query: PeopleQuery) {
  return queryOptions({
    queryKey: directoryKeys.people(query),
    queryFn: ({ signal }) => getJson<PeoplePage>(`/api/people${peopleQueryToSearch(query)}`, signal),
    // Typing a search keeps the previous results on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    // Statuses and profile fields (out, busy, working hours) change without a presence diff:
    // the open page asks again this often, while it is in view (docs/architecture.md §18).
    refetchInterval: 15_000,
  });
}

export function presenceDetailQueryOptions(personId: number) {
  return queryOptions({
    queryKey: directoryKeys.presenceDetail(personId),
    queryFn: ({ signal }) => getJson<PresenceDetail>(`/api/people/${personId}/presence`, signal),
    staleTime: 10_000,
    retry: 1,
  });
}

/**
 * A level of the org chart, a page at a time in both directions: a level opened on the way to
 * `?focus=` starts at the page holding that person (`start`), so it may have earlier pages to load
 * too. Each start is its own entry, and each revision of the people the page was rendered at
 * (OrgView.revision): TanStack uses a seed only for an empty entry, so a level cached from its
 * first page, or by an earlier page, would otherwise be shown in place of the page the server
 * sent (without the person a later `?focus=` needs, or someone added since).
 */
export function orgLevelQueryOptions(parent: number | null, start: number, revision: number) {
  const base = parent === null ? '/api/org' : `/api/org?parent=${parent}`;
  return infiniteQueryOptions({
    queryKey: directoryKeys.orgLevel(parent, start, revision),
    queryFn: ({ pageParam, signal }) => getJson<OrgLevel>(pageParam ? `${base}${parent === null ? '?' : '&'}offset=${pageParam}` : base, signal),
    initialPageParam: start,
    getNextPageParam: (last: OrgLevel) => (last.offset + last.items.length < last.total ? last.offset + ORG_PAGE_SIZE : undefined),
    getPreviousPageParam: (first: OrgLevel) => (first.offset > 0 ? Math.max(0, first.offset - ORG_PAGE_SIZE) : undefined),
    // Reporting lines change rarely; presence on the rows is live from the stream, not from here.
    staleTime: 60_000,
  });
}

/** Polling fallback for the presence stream; `since` is read at each fetch so it never lags. */
export function presencePollQueryOptions(since: () => number | null, enabled: boolean, apply: (diff: PresenceDiff, askedAt: number) => void) {
  return queryOptions({
    queryKey: directoryKeys.presencePoll(),
    queryFn: async ({ signal }) => {
      const askedAt = Date.now();
      const version = since();
      const diff = await getJson<PresenceDiff>(`/api/presence${version === null ? '' : `?since=${version}`}`, signal);
      // Applied as it arrives, once. The answer stays in the cache after the stream is back, and
      // a page mounted later reads it: applied then, it would move the live state back.
      apply(diff, askedAt);
      return diff;
    },
    enabled,
    refetchInterval: enabled ? 5_000 : false,
    staleTime: 0,
  });
}
