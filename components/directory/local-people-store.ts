'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { applyDiff, type LivePresenceState } from '@/components/presence/live-presence-state';
import { directoryKeys } from '@/lib/directory/client/queries';
import { whenIdle } from '@/lib/directory/client/when-idle';
import type { PresenceDiff } from '@/lib/directory/domain/types';
import type { LocalPeople } from '@/lib/directory/search/local-people';

// The tab's one copy of the people index (lib/directory/search/local-people.ts), shared by the
// directory and the org chart's "find a person", and kept current by the stream's `people`
// events (components/presence/live-presence.tsx). Until it is in, or if it cannot be had, the
// server answers every search as it always did (docs/architecture.md §17).

let current: LocalPeople | null = null;
let started = false;
let inflight: Promise<void> | null = null;
let again = false;
/** The last load failed (not refused): the next sign that people changed tries again. */
let failed = false;
/**
 * How many times the stream said people changed, and how many of those a load has answered (a
 * new index, or the same one asked for three times): while fewer, the index held is known to be
 * out of date (someone renamed, added or gone), and a load that fails (a 5xx, a new format after
 * a deploy) leaves the answers to the server.
 */
let announced = 0;
let answered = 0;
const listeners = new Set<() => void>();

function publish(next: LocalPeople | null): void {
  if (next === current) return;
  current = next;
  for (const listener of listeners) listener();
}

/** The tab has an index to bring up to date, is getting one, or failed to and may try again. */
const worthLoading = () => current !== null || inflight !== null || failed;

/** Fetches the index again (a 304 when unchanged); a viewer refused the directory loses it. */
function load(queryClient: QueryClient): Promise<void> {
  if (inflight) {
    again = true;
    return inflight;
  }
  inflight = import('@/lib/directory/search/local-people')
    .then(async ({ loadLocalPeople }) => {
      const asOf = announced;
      const next = await loadLocalPeople(current);
      if (next && next !== current) await completePresence(queryClient);
      failed = false;
      // The same index is no answer: with several instances it may come from one behind the news.
      if (next !== current) answered = Math.max(answered, asOf);
      publish(next);
    })
    // Kept as it was unless known to be out of date: the server answers until an index is in.
    .catch(() => {
      failed = true;
      if (answered < announced) publish(null);
    })
    .finally(() => {
      inflight = null;
      if (again) {
        again = false;
        void load(queryClient);
      }
    });
  return inflight;
}

/**
 * The index needs everyone's presence (the presence filter and "reachable first" sort by it),
 * and the live state only holds who changed since the page: one full snapshot fills it. Changes
 * that reached the live state meanwhile are newer than the snapshot for their people and stay.
 */
async function completePresence(queryClient: QueryClient): Promise<void> {
  const key = directoryKeys.presenceLive();
  if (queryClient.getQueryData<LivePresenceState>(key)?.complete) return;
  const response = await fetch('/api/presence', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`presence: HTTP ${response.status}`);
  const full = (await response.json()) as PresenceDiff;
  queryClient.setQueryData<LivePresenceState>(key, (state) => {
    const filled = applyDiff(undefined, full);
    if (!state || state.version <= full.version) return applyDiff(state, full);
    return { ...state, complete: true, byId: { ...filled.byId, ...state.byId } };
  });
}

/**
 * A status set changes the index too (its text, who is out), yet each refetch is the whole index
 * (hundreds of kB at 20,000 people) and statuses change all day: the stream's status-only news
 * is gathered, and the index fetched once this long after the first.
 */
const STATUS_ONLY_WAIT_MS = 15_000;
/**
 * With several instances the index may be asked of one that has not applied the change yet, and
 * come back unchanged: it is asked again after these waits (each a 304 when nothing changed).
 */
const UNCHANGED_RECHECK_MS = [2_000, 8_000];
/** After those, an index known to be out of date that still fails to load is asked for from this wait on, doubling. */
const FAILED_RETRY_MS = 30_000;
const FAILED_RETRY_MAX_MS = 300_000;
let statusOnlyTimer: ReturnType<typeof setTimeout> | null = null;

/** The stream said people or teams changed (`statusOnly`: only someone's status). */
export function peopleAnnounced(queryClient: QueryClient, statusOnly: boolean): void {
  if (!worthLoading()) return;
  if (statusOnly) {
    statusOnlyTimer ??= setTimeout(() => {
      statusOnlyTimer = null;
      // The index may have been dropped meanwhile (access refused): nothing to bring up to date.
      if (worthLoading()) void loadAnnounced(queryClient, 0);
    }, STATUS_ONLY_WAIT_MS);
    return;
  }
  // This load brings the statuses too.
  if (statusOnlyTimer) clearTimeout(statusOnlyTimer);
  statusOnlyTimer = null;
  void loadAnnounced(queryClient, 0);
}

async function loadAnnounced(queryClient: QueryClient, attempt: number, news = announced + 1): Promise<void> {
  if (attempt === 0) announced = news;
  const before = current;
  await load(queryClient);
  if (answered >= news) return;
  const unchanged = !failed && before !== null && current === before;
  const again = UNCHANGED_RECHECK_MS[attempt] ?? (failed ? Math.min(FAILED_RETRY_MAX_MS, FAILED_RETRY_MS * 2 ** (attempt - UNCHANGED_RECHECK_MS.length)) : undefined);
  // Unchanged (an instance behind the one that announced) or failed: asked again a little later.
  // Unchanged three times: nothing in it to bring after all (a change no index shows).
  if ((failed || unchanged) && again !== undefined) setTimeout(() => void loadAnnounced(queryClient, attempt + 1, news), again);
  else if (unchanged) answered = Math.max(answered, news);
}

/** The stream came back, or the tab polls: fetch the index again if the tab has one, or failed to get it. */
export function peopleMayHaveChanged(queryClient: QueryClient): void {
  if (worthLoading()) void load(queryClient);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The people index once it is in (fetched once the page has painted), else null. */
export function useLocalPeople(): LocalPeople | null {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (started) return;
    started = true;
    // After the first paint and whatever the page does first: the index is never in its way.
    whenIdle(() => void load(queryClient), { timeoutMs: 2_000, fallbackMs: 200 });
  }, [queryClient]);
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
}
