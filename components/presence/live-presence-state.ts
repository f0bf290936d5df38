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

/**
 * The state with `diff` applied. Changes numbered below the state's version are older than what
 * it holds (a poll answered after the stream moved on): the state stays as it is. At the same
 * version a diff has nothing newer, only how fresh it is (a poll that found no change). A full
 * snapshot always applies: numbering may start lower after a restart (a clock set back, Redis
 * wiped; docs/architecture.md §10).
 */
export function applyDiff(state: LivePresenceState | undefined, diff: PresenceDiff): LivePresenceState {
  if (state && !diff.full && diff.version < state.version) return state;
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

/**
 * How fresh the data is, said by the stream at every heartbeat (a quiet organization changes no
 * one's presence for minutes while each refresh succeeds): presence itself is left as it is.
 */
export function applyFreshness(state: LivePresenceState | undefined, freshness: Freshness): LivePresenceState | undefined {
  return state && { ...state, freshness };
}

/**
 * A poll's answer, asked at `askedAt` (Unix ms): nothing, when the state has heard since then.
 * That is the stream, back while the poll was out: its first event caught up from the tab's
 * version, so what it brought is newer, and a full answer would move the state back.
 */
export function applyPolled(state: LivePresenceState | undefined, diff: PresenceDiff, askedAt: number): LivePresenceState | undefined {
  return state && state.receivedAt > askedAt ? state : applyDiff(state, diff);
}
