'use client';

import { useLiveFreshness } from '@/components/presence/live-presence';
import { useRenderClock } from '@/components/presence/render-clock';
import type { Freshness } from '@/lib/directory/types';

function age(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * How fresh the page's presence is, said once per page: "Live · updated 4 s ago", or a warning
 * when Zulip or the stream is down and the page is showing older data.
 */
export function FreshnessLine({ initial }: { initial: Freshness }) {
  const { freshness, connection } = useLiveFreshness(initial);
  const now = useRenderClock();
  if (freshness.presenceDisabled) {
    return <p className="text-sm text-ink-muted">This organization has turned presence off, so no one’s availability is shown.</p>;
  }
  const updated = freshness.presenceUpdatedAt;
  const since = updated === null ? null : age(now - updated / 1000);
  const stale = freshness.stale || connection === 'polling';
  const text = freshness.stale
    ? `${freshness.problem ?? 'Zulip is unreachable'} · showing data from ${since ?? 'earlier'} ago`
    : connection === 'polling'
      ? `Live updates interrupted · refreshing every few seconds${since ? ` · updated ${since} ago` : ''}`
      : `${connection === 'live' ? 'Live' : 'Connecting'}${since ? ` · updated ${since} ago` : ''}`;
  return (
    <p
      aria-live="polite"
      data-stale={stale}
      className={`inline-flex items-center gap-2 rounded px-2 py-0.5 text-sm ${stale ? 'bg-warn-surface text-warn' : 'text-ink-muted'}`}
    >
      <span aria-hidden="true">{stale ? '⚠' : '●'}</span>
      <span suppressHydrationWarning>{text}</span>
    </p>
  );
}
