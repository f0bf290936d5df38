// Presence as it changes, in numbered batches (docs/architecture.md §2): plain JSON, as the stream and the query cache carry it.
import type { PresenceSummary } from '@/lib/presence/status';

/** How current the data is; one line per page says it. */
export interface Freshness {
  /** Unix ms on Zulip's clock when presence was last refreshed from Zulip, null before the first success. */
  presenceUpdatedAt: number | null;
  /** True when the last refresh failed: the page shows last known data, marked stale. */
  stale: boolean;
  /** Plain-language reason when stale. */
  problem: string | null;
  presenceDisabled: boolean;
}

export interface PresenceChange {
  id: number;
  presence: PresenceSummary | null;
}

/** A batch of presence changes; `version` orders them for polling and the stream. */
export interface PresenceDiff {
  version: number;
  /** True when the batch is every known person (a reset), not only changes. */
  full: boolean;
  changes: PresenceChange[];
  freshness: Freshness;
}
