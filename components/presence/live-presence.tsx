'use client';

import { hashKey, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { peopleAnnounced, peopleMayHaveChanged } from '@/components/directory/local-people-store';
import { ApiError, directoryKeys, presencePollQueryOptions } from '@/lib/directory/client/queries';
import type { Freshness, PresenceDiff } from '@/lib/directory/domain/types';
import type { PresenceSummary } from '@/lib/presence/status';
import { applyDiff, applyFreshness, applyPolled, type LivePresenceState } from '@/components/presence/live-presence-state';

export { applyDiff, type LivePresenceState };


const livePresenceKey = directoryKeys.presenceLive();
const liveHash = hashKey(livePresenceKey);
/** While polling, how often the people index is asked whether people changed (a 304 when they did not). */
const PEOPLE_RECHECK_MS = 15_000;
/**
 * A live stream that ends (the server's 30-minute limit, an instance stopping) is reopened by the
 * browser after the delay the server sets (`retry: 3000`): only one not back by then is an
 * interruption worth telling.
 */
const REOPEN_GRACE_MS = 6_000;
/**
 * A stream refused (a 429 or 503, whose Retry-After is 30 s; a proxy's 502 while the one instance
 * restarts; a session that ended) is closed by the browser for good: it is asked for again after
 * this long, twice as long after each refusal in a row, up to REFUSED_REOPEN_MAX_MS. Polling
 * keeps the badges moving meanwhile.
 */
const REFUSED_REOPEN_MS = 30_000;
const REFUSED_REOPEN_MAX_MS = 5 * 60_000;
/**
 * The stream says how fresh the data is at every heartbeat (DIRECTORY_STREAM_HEARTBEAT_SECONDS,
 * at most a minute): open and silent this long, it is dead though the browser has not noticed (a
 * laptop woke behind a NAT that forgot it, a proxy holding the bytes back). It is then closed and
 * opened again, polling meanwhile, rather than say "Live" over frozen badges.
 */
const SILENT_STREAM_MS = 150_000;
const SILENCE_CHECK_MS = 10_000;
/**
 * Reconnections in a row that bring no event (an instance stopping answers each with an empty
 * stream and `retry: 250`; then nothing answers at all) after which the browser's own reopening
 * is stopped, and the stream asked for again as a refused one is: it would go on four times a
 * second, for every tab, at the server coming back up.
 */
const QUICK_FAILURES = 3;

interface LiveContext {
  connection: 'connecting' | 'live' | 'polling';
}
const Connection = createContext<LiveContext>({ connection: 'connecting' });


/**
 * Keeps the page's presence live: an EventSource on /api/presence/stream writes each diff into
 * the query cache; while the stream is down, polling /api/presence?since=… takes over, so the
 * badges keep moving and the page can say how fresh they are.
 */
export function LivePresenceProvider({
  initialVersion,
  initialFreshness,
  children,
}: {
  initialVersion: number;
  initialFreshness: Freshness;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  const [connection, setConnection] = useState<LiveContext['connection']>('connecting');
  // Each new value opens the stream again (after a refusal); how many refusals in a row so far.
  const [attempt, setAttempt] = useState(0);
  const refusals = useRef(0);

  useEffect(() => {
    if (!queryClient.getQueryData(livePresenceKey)) {
      queryClient.setQueryData<LivePresenceState>(livePresenceKey, {
        version: initialVersion,
        complete: false,
        byId: {},
        freshness: initialFreshness,
        receivedAt: Date.now(),
      });
    }
  }, [queryClient, initialVersion, initialFreshness]);

  useEffect(() => {
    const version = queryClient.getQueryData<LivePresenceState>(livePresenceKey)?.version ?? initialVersion;
    const source = new EventSource(`/api/presence/stream?since=${version}`);
    let heardAt = Date.now();
    let opened = false;
    // Whether this stream has sent an event since it opened: a real one, not an empty answer.
    let delivered = false;
    let quickFailures = 0;
    const heard = () => {
      heardAt = Date.now();
      if (delivered) return;
      delivered = true;
      quickFailures = 0;
      refusals.current = 0;
      // Changes made while the stream was down are not replayed: ask (a 304 when there were none).
      peopleMayHaveChanged(queryClient);
    };
    source.addEventListener('presence', (event) => {
      heard();
      const diff = JSON.parse((event as MessageEvent<string>).data) as PresenceDiff;
      queryClient.setQueryData<LivePresenceState>(livePresenceKey, (state) => applyDiff(state, diff));
    });
    source.addEventListener('freshness', (event) => {
      heard();
      const freshness = JSON.parse((event as MessageEvent<string>).data) as Freshness;
      queryClient.setQueryData<LivePresenceState>(livePresenceKey, (state) => applyFreshness(state, freshness));
    });
    // People, fields, statuses or teams changed: the people index is fetched again (docs/architecture.md §17).
    source.addEventListener('people', (event) => {
      heard();
      const { statusOnly, revision } = JSON.parse((event as MessageEvent<string>).data) as { statusOnly?: boolean; revision?: unknown };
      peopleAnnounced(queryClient, statusOnly === true, typeof revision === 'number' ? revision : undefined);
    });
    let grace: ReturnType<typeof setTimeout> | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    source.onopen = () => {
      heardAt = Date.now();
      opened = true;
      clearTimeout(grace);
      grace = undefined;
      setConnection('live');
    };
    // EventSource reconnects by itself; meanwhile polling fills the gap. A stream that ended
    // because the viewer may no longer see the directory takes the people index with it: asked
    // once when a stream that was sending ends, not at every reconnection that fails.
    source.onerror = () => {
      if (delivered) peopleMayHaveChanged(queryClient);
      else quickFailures++;
      delivered = false;
      if (quickFailures >= QUICK_FAILURES && source.readyState !== EventSource.CLOSED) source.close();
      // Refused (the browser gives up), or never open: polling now. A live one that ended is
      // being reopened: polling only if it is not back within the grace.
      if (source.readyState === EventSource.CLOSED || !opened) {
        clearTimeout(grace);
        setConnection('polling');
        if (source.readyState === EventSource.CLOSED && reopen === undefined) {
          const delay = Math.min(REFUSED_REOPEN_MAX_MS, REFUSED_REOPEN_MS * 2 ** refusals.current++);
          reopen = setTimeout(() => setAttempt((n) => n + 1), delay);
        }
      } else {
        grace ??= setTimeout(() => setConnection('polling'), REOPEN_GRACE_MS);
      }
    };
    const silence = setInterval(() => {
      if (source.readyState !== EventSource.OPEN || Date.now() - heardAt < SILENT_STREAM_MS) return;
      source.close();
      setConnection('polling');
      setAttempt((n) => n + 1);
    }, SILENCE_CHECK_MS);
    return () => {
      clearTimeout(grace);
      clearTimeout(reopen);
      clearInterval(silence);
      source.close();
    };
  }, [queryClient, initialVersion, attempt]);

  const poll = useQuery(
    presencePollQueryOptions(
      () => queryClient.getQueryData<LivePresenceState>(livePresenceKey)?.version ?? initialVersion,
      connection === 'polling',
      (diff, askedAt) => queryClient.setQueryData<LivePresenceState>(livePresenceKey, (state) => applyPolled(state, diff, askedAt)),
    ),
  );

  // Polls carry presence only, and a stream refused for good (too many tabs, a 503) never says
  // that people changed, nor ends when the viewer's access does: the people index is asked now
  // and then, and at once when a poll is refused (a refusal drops it; docs/architecture.md §17).
  useEffect(() => {
    if (connection !== 'polling') return;
    // Not from a hidden tab (its polls stop too): once when it is shown again.
    const recheck = () => {
      if (!document.hidden) peopleMayHaveChanged(queryClient);
    };
    const timer = setInterval(recheck, PEOPLE_RECHECK_MS);
    document.addEventListener('visibilitychange', recheck);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', recheck);
    };
  }, [connection, queryClient]);
  // Refused: the viewer signed out (in another tab), their session ran out, or they are no longer a
  // member. The page is loaded again, so the server answers it as it now must (the sign-in page,
  // or a refusal): nothing of the last viewer's directory stays in this tab, its memory included,
  // and it stops asking every few seconds.
  useEffect(() => {
    if (poll.error instanceof ApiError && (poll.error.status === 401 || poll.error.status === 403)) window.location.reload();
  }, [poll.error]);

  const value = useMemo(() => ({ connection }), [connection]);
  return <Connection.Provider value={value}>{children}</Connection.Provider>;
}

/**
 * Reads the live state from the query cache. Written only by the stream and the poll above and
 * never fetched, so a plain cache subscription does: a directory page has 50 rows, and a query
 * observer per row cost more than everything else a row does when a search's results arrive.
 * `select` must return the same value for an unchanged state (it picks existing objects).
 */
function useLiveState<T>(select: (state: LivePresenceState | undefined) => T): T {
  const queryClient = useQueryClient();
  const subscribe = useCallback(
    (onChange: () => void) =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.query.queryHash === liveHash) onChange();
      }),
    [queryClient],
  );
  return useSyncExternalStore(
    subscribe,
    () => select(queryClient.getQueryData<LivePresenceState>(livePresenceKey)),
    () => select(undefined),
  );
}

/** A person's presence: the live value when the stream has one, else what the page was rendered with. */
export function usePersonPresence(id: number, rendered: PresenceSummary | null): PresenceSummary | null {
  return useLiveState((state) => {
    if (!state) return rendered;
    if (id in state.byId) return state.byId[id] ?? null;
    return state.complete ? null : rendered;
  });
}

/** Whether the live state holds everyone's presence (after a full snapshot), as searching the people index needs. */
export function usePresenceComplete(): boolean {
  return useLiveState((state) => state?.complete ?? false);
}

/** Whether the organization shows presence at all: the live answer once there is one, else the page's (docs/architecture.md §4). */
export function usePresenceShown(initial: Freshness): boolean {
  return useLiveState((state) => !(state?.freshness ?? initial).presenceDisabled);
}

export function useLiveFreshness(initial: Freshness): { freshness: Freshness; receivedAt: number | null; connection: LiveContext['connection'] } {
  const { connection } = useContext(Connection);
  const live = useLiveState((state) => state);
  return { freshness: live?.freshness ?? initial, receivedAt: live?.receivedAt ?? null, connection };
}
