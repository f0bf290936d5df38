'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { usePersonPresence } from '@/components/presence/live-presence';
import { PresenceDot } from '@/components/presence/presence-dot';
import { usePresenceHistoryDays, useRenderClock } from '@/components/presence/render-clock';
import { presenceDetailQueryOptions } from '@/lib/directory/client/queries';
import { usePastTimes } from '@/components/ui/local-time';
import { presenceLabel, relativeTimeLabel } from '@/lib/presence/last-seen';
import type { PresenceDetail } from '@/lib/presence/detail-types';
import type { PresenceState, PresenceSummary } from '@/lib/presence/status';

/**
 * The per-client breakdown from Zulip's per-person presence endpoint: per-client rows where the
 * server reports them (before Zulip 7.0), otherwise one combined row and a note saying so; from
 * the directory's own snapshot, and saying so, when Zulip's answer would add nothing and the
 * request budget is spent (docs/architecture.md §5). Loading and errors stay inside the panel,
 * so the row never jumps. Only they are announced (a status): the table is not a live region, or
 * its ages would be re-read as they tick.
 */
export function BreakdownPanel({ personId, rendered, id }: { personId: number; rendered: PresenceSummary | null; id?: string }) {
  const query = useQuery(presenceDetailQueryOptions(personId));
  useAskAgainOnPresence(personId, rendered, query.data?.available ? query.data.breakdown.summary.state : undefined, query.refetch);
  const panel = useRef<HTMLDivElement>(null);
  // "Try again" may go while the breakdown is asked again: the focus goes to the panel, not to the page.
  const tryAgain = () => {
    panel.current?.focus();
    void query.refetch();
  };
  const said = query.isError ? `Could not ${query.data ? 'refresh' : 'load'} this breakdown: ${query.error.message}` : query.data ? '' : 'Loading presence from Zulip…';
  return (
    <div ref={panel} id={id} tabIndex={-1} className="min-h-16 space-y-2 rounded-md border border-line bg-surface-raised px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-accent">
      {/* A refresh that failed keeps the last breakdown on screen, and says so. */}
      {query.data && <BreakdownTable detail={query.data} />}
      {/* One status line for the panel's life, its words changed in place: a live region that
          appears with its words already in it is often not read. */}
      <p role="status" className={said ? (query.isError ? 'text-warn' : 'text-ink-muted') : 'sr-only'}>
        {said}
        {query.isError && (
          <>
            {' '}
            <button type="button" className="underline" onClick={tryAgain}>
              Try again
            </button>
          </>
        )}
      </p>
    </div>
  );
}

/**
 * The breakdown is one answer from Zulip, and the person's badge is live: when the stream says
 * their state changed (active, idle, offline), the breakdown is asked for again, so the two do
 * not disagree for long. Their state only: an active person's time moves with every ping, and
 * asking Zulip each minute for every open breakdown is the per-person polling §3 rules out. Not
 * from a hidden tab: once when it is shown again.
 */
function useAskAgainOnPresence(personId: number, rendered: PresenceSummary | null, answered: PresenceState | undefined, refetch: () => Promise<unknown>): void {
  // As the badge has it: the page's value until the stream says otherwise.
  const state = usePersonPresence(personId, rendered)?.state ?? 'offline';
  // The state the breakdown was last asked for at. At first, the kept answer's own: one opened
  // again within its 10 s of freshness (the row's, or the profile's) after the badge changed is
  // asked again, not shown against it.
  const askedAt = useRef(answered ?? state);
  const owed = useRef(false);
  useEffect(() => {
    if (askedAt.current === state) return;
    askedAt.current = state;
    if (document.hidden) owed.current = true;
    else void refetch();
  }, [state, refetch]);
  useEffect(() => {
    const onShown = () => {
      if (document.hidden || !owed.current) return;
      owed.current = false;
      void refetch();
    };
    document.addEventListener('visibilitychange', onShown);
    return () => document.removeEventListener('visibilitychange', onShown);
  }, [refetch]);
}

export function BreakdownTable({ detail }: { detail: PresenceDetail }) {
  const now = useRenderClock();
  const historyDays = usePresenceHistoryDays();
  const { dayZone, exactTime } = usePastTimes();
  if (!detail.available) {
    return (
      <div className="space-y-2">
        <p className="text-ink-muted">{detail.reason}</p>
        {detail.stale && <StaleNote />}
      </div>
    );
  }
  const { breakdown } = detail;
  return (
    <div className="space-y-2">
      {breakdown.rows.length > 0 ? (
        <table className="w-full text-left">
          <caption className="sr-only">Presence by device</caption>
          <thead className="text-xs text-ink-muted">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">
                {breakdown.kind === 'per-client' ? 'Client' : 'Devices'}
              </th>
              <th scope="col" className="py-1 pr-3 font-medium">
                State
              </th>
              <th scope="col" className="py-1 font-medium">
                Last reported
              </th>
            </tr>
          </thead>
          <tbody>
            {breakdown.rows.map((row) => (
              <tr key={row.client} className="border-t border-line">
                <th scope="row" className="py-1 pr-3 font-normal">
                  <span title={row.client}>{row.label}</span>
                  {row.mostRecent && <span className="ml-2 rounded bg-surface-sunken px-1.5 text-xs">most recent</span>}
                </th>
                <td className="py-1 pr-3">
                  <span className="inline-flex items-center gap-1.5">
                    <PresenceDot state={row.state} />
                    {row.state === 'active' ? 'Active' : row.state === 'idle' ? 'Idle' : 'Offline'}
                  </span>
                </td>
                <td className="py-1">
                  <time dateTime={new Date(row.lastReportedAt * 1000).toISOString()} title={exactTime(row.lastReportedAt)}>
                    {relativeTimeLabel(row.lastReportedAt, now, dayZone)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-ink-muted">{presenceLabel(breakdown.summary, now, dayZone, historyDays)}</p>
      )}
      {(breakdown.lastActiveAt !== undefined || breakdown.lastIdleAt !== undefined) && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-ink-muted">
          {breakdown.lastActiveAt !== undefined && (
            <>
              <dt>Last active</dt>
              <dd>{relativeTimeLabel(breakdown.lastActiveAt, now, dayZone)}</dd>
            </>
          )}
          {breakdown.lastIdleAt !== undefined && (
            <>
              <dt>Last connected</dt>
              <dd>{relativeTimeLabel(breakdown.lastIdleAt, now, dayZone)}</dd>
            </>
          )}
        </dl>
      )}
      {breakdown.note && <p className="text-ink-muted">{breakdown.note}</p>}
      {detail.source === 'snapshot' && <p className="text-ink-muted">{snapshotNote(detail, now)}</p>}
      {detail.stale && <StaleNote />}
    </div>
  );
}

/** Said under any answer Zulip could not confirm just now, whatever it says. */
function StaleNote() {
  return <p className="text-warn">Zulip did not answer just now; this is the last known answer.</p>;
}

/**
 * "From the directory's last refresh, 12 s ago.": the age the server measured, grown by the page's
 * clock since (both on Zulip's clock, so the browser's own clock does not matter).
 */
function snapshotNote(detail: Extract<PresenceDetail, { source: 'snapshot' }>, nowSec: number): string {
  if (detail.snapshotAt === null || detail.snapshotAgeSeconds === null) return 'From the directory’s last refresh.';
  const age = Math.max(detail.snapshotAgeSeconds, Math.round(nowSec - detail.snapshotAt));
  const ago = age < 60 ? `${age} s` : age < 3600 ? `${Math.floor(age / 60)} min` : `${Math.floor(age / 3600)} h`;
  return `From the directory’s last refresh, ${ago} ago.`;
}
