import type { Freshness, PresenceDiff } from '@/lib/directory/domain/types';
import type { PresenceSummary } from '@/lib/presence/status';

// The tab's live presence (components/presence/live-presence.tsx), and how a diff moves it on:
// apart, so the people index's store (components/directory/local-people-store.ts) can apply
// diffs without importing the provider that listens for them.

export interface LivePresenceState {
  version: number;
  /** After a full snapshot every known id is here; before it, only ids that changed. */
  complete: boolean;
  byId: Record<number, PresenceSummary | null>;
  freshness: Freshness;
  /** Unix ms of the last diff received (stream or poll). */
  receivedAt: number;
}

export function applyDiff(state: LivePresenceState | undefined, diff: PresenceDiff): LivePresenceState {
  const byId: Record<number, PresenceSummary | null> = diff.full || !state ? {} : { ...state.byId };
  for (const change of diff.changes) byId[change.id] = change.presence;
  return {
    version: diff.version,
    complete: diff.full || (state?.complete ?? false),
    byId,
    freshness: diff.freshness,
    receivedAt: Date.now(),
  };
}
