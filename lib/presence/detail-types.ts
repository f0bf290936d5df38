import type { PresenceBreakdown } from '@/lib/presence/breakdown';

/**
 * Where an answer came from: Zulip's per-person endpoint, or the organization snapshot the
 * directory already holds (when the request budget refused the per-person call on a server whose
 * answer would add nothing, or when the organization has presence off; docs/architecture.md §5).
 */
export type PresenceDetailSource =
  | { source: 'zulip' }
  | {
      source: 'snapshot';
      /** Unix seconds on Zulip's clock of the directory's last presence refresh; null before the first. */
      snapshotAt: number | null;
      /** How old that refresh was when this answer was made, in whole seconds. */
      snapshotAgeSeconds: number | null;
    };

/** GET /api/people/{ref}/presence: the breakdown, or why there is none. Plain JSON. */
export type PresenceDetail = (
  | { personId: number; available: true; breakdown: PresenceBreakdown; fetchedAt: number; stale: boolean }
  | { personId: number; available: false; reason: string; fetchedAt: number; stale: boolean }
) &
  PresenceDetailSource;
