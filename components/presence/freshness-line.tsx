'use client';

import { useState } from 'react';
import { PresenceDot } from '@/components/presence/presence-dot';
import { useLiveFreshness } from '@/components/presence/live-presence';
import { useRenderClock } from '@/components/presence/render-clock';
import type { Freshness } from '@/lib/directory/domain/types';

function age(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

type LiveState = 'connecting' | 'live' | 'interrupted' | 'stale';

/** What a screen reader is told when the state changes, and only then (never the ticking age). */
function announcement(state: LiveState, previous: LiveState, problem: string | null): string {
  if (state === 'stale') return `${problem ?? 'Zulip is unreachable'}: presence shown may be out of date.`;
  if (state === 'interrupted') return 'Presence updates interrupted: refreshing every few seconds.';
  if (state === 'live' && (previous === 'stale' || previous === 'interrupted')) return 'Presence is live again.';
  return '';
}

/**
 * How fresh the page's presence is, said once per page: "Live · updated 4 s ago", or a warning
 * when Zulip or the stream is down and the page is showing older data. The line itself is not a
 * live region (its age changes every 30 s); a hidden status beside it speaks when the state
 * changes: interrupted, stale, live again. Going live on arrival is the normal case, not news.
 */
export function FreshnessLine({ initial }: { initial: Freshness }) {
  const { freshness, connection } = useLiveFreshness(initial);
  const now = useRenderClock();
  const state: LiveState = freshness.stale ? 'stale' : connection === 'polling' ? 'interrupted' : connection;
  const [seen, setSeen] = useState<{ state: LiveState; said: string }>({ state, said: '' });
  if (seen.state !== state) setSeen({ state, said: announcement(state, seen.state, freshness.problem) });
  if (freshness.presenceDisabled) {
    return <p className="text-sm text-ink-muted">This organization has turned presence off, so no one’s availability is shown.</p>;
  }
  const updated = freshness.presenceUpdatedAt;
  const since = updated === null ? null : age(now - updated / 1000);
  const stale = state === 'stale' || state === 'interrupted';
  const text =
    state === 'stale'
      ? `${freshness.problem ?? 'Zulip is unreachable'} · showing data from ${since ?? 'earlier'} ago`
      : state === 'interrupted'
        ? `Live updates interrupted · refreshing every few seconds${since ? ` · updated ${since} ago` : ''}`
        : `${state === 'live' ? 'Live' : 'Connecting'}${since ? ` · updated ${since} ago` : ''}`;
  return (
    <div data-live-state={state}>
      <p data-stale={stale} className={`inline-flex items-center gap-2 rounded px-2 py-0.5 text-sm ${stale ? 'bg-warn-surface text-warn' : 'text-ink-muted'}`}>
        {/* Shape and words, not colour alone: a filled green dot when live, a ring while connecting, a warning sign. */}
        {stale ? <span aria-hidden="true">⚠</span> : <PresenceDot state={state === 'live' ? 'active' : 'offline'} />}
        <span suppressHydrationWarning>{text}</span>
      </p>
      <p role="status" className="sr-only">
        {seen.said}
      </p>
    </div>
  );
}
