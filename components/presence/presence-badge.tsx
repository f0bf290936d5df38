'use client';

import { PresenceDot } from '@/components/presence/presence-dot';
import { usePresenceHistoryDays, useRenderClock } from '@/components/presence/render-clock';
import { presenceLabel } from '@/lib/presence/last-seen';
import type { PresenceSummary } from '@/lib/presence/status';

/** The one presence badge: shape, words and colour ("Active now", "Idle", "Active 14 minutes ago"). */
export function PresenceBadge({ presence, className = '' }: { presence: PresenceSummary | null; className?: string }) {
  const now = useRenderClock();
  const historyDays = usePresenceHistoryDays();
  const state = presence?.state ?? 'offline';
  const label = presenceLabel(presence, now, undefined, historyDays);
  const exact = presence?.lastActiveAt ? new Date(presence.lastActiveAt * 1000) : null;
  return (
    <span className={`inline-flex items-center gap-1.5 text-sm ${className}`} data-presence={state}>
      <PresenceDot state={state} />
      {exact && state === 'offline' ? (
        <time dateTime={exact.toISOString()} title={exact.toLocaleString('en-US')} suppressHydrationWarning>
          {label}
        </time>
      ) : (
        <span>{label}</span>
      )}
    </span>
  );
}
