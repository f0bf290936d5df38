// The directory's search in the browser (docs/architecture.md §17): the people index from
// GET /api/people/index, run through the same PeopleQueries as the server, with everyone's
// presence from the live state the stream keeps. Loaded after the first paint, on its own
// (a dynamic import), so the page's first load carries none of it.
import { decodePeopleIndex, PEOPLE_REVISION_HEADER, type PeopleIndexPayload } from '@/lib/directory/search/people-index';
import { PeopleQueries, type PresenceSource } from '@/lib/directory/search/query-people';
import type { ListedPage, ListedPerson } from '@/lib/directory/domain/person-row';
import type { Freshness, PeopleQuery } from '@/lib/directory/domain/types';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { whenIdle } from '@/lib/directory/client/when-idle';
import type { PresenceSummary } from '@/lib/presence/status';

/** Everyone's presence as the page knows it now (the live state, once it holds everyone). */
export interface PresenceNow {
  version: number;
  byId: Record<number, PresenceSummary | null>;
}

export interface LocalPeople {
  /** The index's validator: a refetch answered with the same one changes nothing. */
  etag: string;
  /** Answers a query as /api/people would; presence as `presence` says now, availability at `nowMs`. */
  run(query: PeopleQuery, freshness: Freshness, presence: PresenceNow, nowMs: number): ListedPage;
  /** Everyone listed, in name order (the org chart's "find a person"). */
  people(): readonly ListedPerson[];
}

let loads = 0;
/** For the warm-up run: no presence yet (the live state is filled after the index is in). */
const WARM_UP_FRESHNESS: Freshness = { presenceUpdatedAt: null, stale: false, problem: null, presenceDisabled: false };

/** What the index's request answered: the index (the one held, when unchanged or not taken) and the revision of the people the answer holds. */
interface IndexAnswer {
  people: LocalPeople;
  revision: number;
}

/**
 * Fetches the index. The browser's cache holds it and revalidates it (If-None-Match) on every
 * use, so an unchanged index costs a 304. Answers with `current` when the index has not changed or
 * `takes` refuses its revision (before any work is spent on it), and null when the viewer may no
 * longer see the directory (the caller drops what it holds).
 */
export async function loadLocalPeople(current: LocalPeople | null, takes: (revision: number) => boolean): Promise<IndexAnswer | null> {
  const response = await fetch('/api/people/index', { headers: { Accept: 'application/json' } });
  if (response.status === 401 || response.status === 403) return null;
  if (!response.ok) throw new Error(`people index: HTTP ${response.status}`);
  const revision = Number(response.headers.get(PEOPLE_REVISION_HEADER)) || 0;
  const etag = response.headers.get('etag') ?? '';
  if (current && ((etag !== '' && etag === current.etag) || !takes(revision))) return { people: current, revision };
  const decoded = decodePeopleIndex((await response.json()) as PeopleIndexPayload, ++loads);
  let shown: PresenceNow = { version: -1, byId: {} };
  const presence: PresenceSource = {
    get version() {
      return shown.version;
    },
    get: (id) => shown.byId[id] ?? null,
  };
  const queries = new PeopleQueries<ListedPerson>(decoded.people, presence, decoded.teams);
  // Built and run once now, as the index arrives, rather than in a render: the render that first
  // answered from the index spent ~155 ms building the search over 20,000 people, and the viewer's
  // first keystroke ~10–20 ms more than later ones on a search the JavaScript engine had not yet
  // compiled (bench/README.md §5).
  queries.run({ ...DEFAULT_PEOPLE_QUERY, q: 'e' }, WARM_UP_FRESHNESS);
  // And, when the tab is idle, what a search forgiving a typo reads: the first one took ~30 ms more.
  whenIdle(() => queries.prepare());
  const people: LocalPeople = {
    etag,
    run(query, freshness, now, nowMs) {
      shown = now;
      return queries.run(query, freshness, nowMs);
    },
    people: () => queries.nameOrder(),
  };
  return { people, revision };
}
