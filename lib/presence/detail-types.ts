import type { PresenceBreakdown } from '@/lib/presence/breakdown';

/** GET /api/people/{ref}/presence: the breakdown, or why there is none. Plain JSON. */
export type PresenceDetail =
  | { personId: number; available: true; breakdown: PresenceBreakdown; fetchedAt: number; stale: boolean }
  | { personId: number; available: false; reason: string; fetchedAt: number; stale: boolean };
