'use client';

import { PresenceDot } from '@/components/presence/presence-dot';
import { usePresenceHistoryDays, useRenderClock } from '@/components/presence/render-clock';
import { usePastTimes } from '@/components/ui/local-time';
import { presenceLabel } from '@/lib/presence/last-seen';
import type { PresenceSummary } from '@/lib/presence/status';

/**
 * The one presence badge: shape, words and colour ("Active now", "Idle", "Active 14 minutes ago").
 * Days ("yesterday", "2 days ago") are counted in the viewer's zone, known once the page has
 * hydrated; the server counts them in UTC, never in its own zone, and the exact time in the
 * tooltip waits for the browser too.
 */
export function PresenceBadge({ presence, className = '', id }: { presence: PresenceSummary | null; className?: string; id?: string }) {
  const now = useRenderClock();
  const historyDays = usePresenceHistoryDays();
  const { dayZone, exactTime } = usePastTimes();
  const state = presence?.state ?? 'offline';
  const label = presenceLabel(presence, now, dayZone, historyDays);
  const lastActiveAt = presence?.lastActiveAt;
  return (
    <span id={id} className={`inline-flex items-center gap-1.5 text-sm ${className}`} data-presence={state}>
      <PresenceDot state={state} />
      {lastActiveAt && state === 'offline' ? (
        <time dateTime={new Date(lastActiveAt * 1000).toISOString()} title={exactTime(lastActiveAt)}>
          {label}
        </time>
      ) : (
        <span>{label}</span>
      )}
    </span>
  );
}
