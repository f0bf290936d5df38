'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { applyDiff, type LivePresenceState } from '@/components/presence/live-presence-state';
import { directoryKeys, getJson } from '@/lib/directory/client/queries';
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
 * The revision of the people the index held is of (the highest an answer with its content said),
 * and the revision the stream last said they are at. While the first is lower, the index is known
 * to be out of date (someone renamed, added or gone), and a load that fails (a 5xx, a new format
 * after a deploy) leaves the answers to the server.
 */
let held = 0;
let wanted = 0;
/** Indexes of an earlier revision than the one held not taken, in a row (see `takes`). */
let olderInARow = 0;
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
      const answer = await loadLocalPeople(current, takes);
      const next = answer?.people ?? null;
      if (next && next !== current) await completePresence(queryClient);
      failed = false;
      if (answer) hear(answer.revision, next !== current);
      publish(next);
    })
    // Kept as it was unless known to be out of date: the server answers until an index is in.
    .catch(() => {
      failed = true;
      if (current && held < wanted) publish(null);
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

/** After this many answers in a row of an earlier revision than the index held, the last is taken. */
const OLDER_TAKEN_AT = 3;

/**
 * With several instances, an answer may come from one further behind than the one the tab's index
 * came from: a different index of an earlier revision is not taken, unless it is the third such
 * answer in a row (the numbering went back: a process restarted on a clock set back).
 * Docs/architecture.md §17.
 */
const takes = (revision: number) => revision >= held || ++olderInARow >= OLDER_TAKEN_AT;

/** What an answer said: its revision, and whether its index was taken (rather than the one held kept). */
function hear(revision: number, taken: boolean): void {
  if (taken || revision >= held) olderInARow = 0;
  // One taken over the index held though older: the numbering went back, and what the stream said before with it.
  if (taken && current !== null && revision < held) wanted = revision;
  held = taken ? revision : Math.max(held, revision);
}

/**
 * The index needs everyone's presence (the presence filter and "reachable first" sort by it),
 * and the live state only holds who changed since the page: one full snapshot fills it. Changes
 * that reached the live state meanwhile are newer than the snapshot for their people and stay.
 * A snapshot older than the live state (from an instance behind the page's) would put back what
 * changed between the two for everyone else: what changed since it is asked for too, and any
 * instance answers that alike (versions are global, docs/architecture.md §10).
 */
async function completePresence(queryClient: QueryClient): Promise<void> {
  const key = directoryKeys.presenceLive();
  if (queryClient.getQueryData<LivePresenceState>(key)?.complete) return;
  const full = await getJson<PresenceDiff>('/api/presence');
  let filled = applyDiff(undefined, full);
  if (full.version < (queryClient.getQueryData<LivePresenceState>(key)?.version ?? 0)) {
    filled = applyDiff(filled, await getJson<PresenceDiff>(`/api/presence?since=${full.version}`));
  }
  queryClient.setQueryData<LivePresenceState>(key, (state) => {
    if (!state || state.version <= filled.version) return filled;
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
 * come back of an earlier revision than the stream said: it is asked again after these waits
 * (each a 304 when nothing changed).
 */
const BEHIND_RECHECK_MS = [2_000, 8_000];
/** After those, an index known to be out of date that still fails to load is asked for from this wait on, doubling. */
const FAILED_RETRY_MS = 30_000;
const FAILED_RETRY_MAX_MS = 300_000;
let statusOnlyTimer: ReturnType<typeof setTimeout> | null = null;
/** The one series of rechecks waiting (loadAnnounced): news starts it again, from the first wait. */
let recheck: ReturnType<typeof setTimeout> | null = null;

/**
 * The stream said people or teams changed, and the revision they are at now (`statusOnly`: only
 * someone's status changed; none said: an instance of an earlier release, newer than the tab's).
 */
export function peopleAnnounced(queryClient: QueryClient, statusOnly: boolean, revision = held + 1): void {
  if (!worthLoading()) return;
  wanted = Math.max(wanted, revision);
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

/**
 * Loads until the index is of the revision the stream said (or later), the viewer is refused, or
 * the tab gives up; an answer of an earlier revision than the index held is asked again too, so
 * that three come within seconds when the numbering went back.
 */
async function loadAnnounced(queryClient: QueryClient, attempt: number): Promise<void> {
  if (recheck) clearTimeout(recheck);
  recheck = null;
  const news = wanted;
  await load(queryClient);
  if (current === null ? !failed : held >= news && olderInARow === 0) return;
  const wait = BEHIND_RECHECK_MS[attempt] ?? (failed ? Math.min(FAILED_RETRY_MAX_MS, FAILED_RETRY_MS * 2 ** (attempt - BEHIND_RECHECK_MS.length)) : undefined);
  // Behind (from an instance that has not applied the change yet) or failed: asked again a
  // little later. Behind three times: the index held is taken as current (the stream's instance
  // numbered above what every other says, as after the numbering went back).
  if (wait !== undefined) recheck = setTimeout(() => void loadAnnounced(queryClient, attempt + 1), wait);
  else if (current && wanted === news) wanted = held;
}

/**
 * The stream came back, or the tab polls: fetch the index again if the tab has one, or failed to
 * get it; rechecked as after an event when it is behind. A recheck already waiting is left to
 * come (a tab polling every 15 s would otherwise start a new series each time, and never back off).
 */
export function peopleMayHaveChanged(queryClient: QueryClient): void {
  if (worthLoading() && !recheck) void loadAnnounced(queryClient, 0);
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
