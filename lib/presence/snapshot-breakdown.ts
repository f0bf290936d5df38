// The breakdown from the organization snapshot, for when the request budget refuses the
// per-person call (docs/architecture.md §3, §5). Only where that call would tell nothing the
// snapshot lacks: from 7.0 (FL 178) Zulip's per-person answer is `website` + `aggregated`, both
// read from the one presence row per person that bulk presence sends too (docs/zulip.md §a).

import { combinedNote, FL_COMBINED_PRESENCE, type PresenceBreakdown } from '@/lib/presence/breakdown';
import type { PresenceSummary } from '@/lib/presence/status';

/**
 * 12.0-dev: the per-person answer carries `active_timestamp` / `idle_timestamp` (and later
 * `server_timestamp`), shown as "Last active" and "Last connected" apart (docs/zulip.md §a).
 */
export const FL_PER_PERSON_MODERN_PRESENCE = 487;

/**
 * Whether Zulip's per-person presence answer at this feature level holds nothing the organization
 * snapshot lacks, so the snapshot may stand in for it (docs/zulip.md §a, "What the answer adds to
 * bulk presence, by level"). Before FL 178 only that answer has per-device rows; from FL 487 it has the modern pair, which
 * the snapshot's badge (one state and one time) does not keep apart.
 */
export function snapshotHoldsPerPersonAnswer(featureLevel: number): boolean {
  return featureLevel >= FL_COMBINED_PRESENCE && featureLevel < FL_PER_PERSON_MODERN_PRESENCE;
}

/**
 * The combined breakdown from the person's badge as the snapshot holds it (null: no presence in
 * the snapshot's history). Its one row is the badge's state and time; with no time, no row, and
 * the panel says what the badge says.
 */
export function breakdownFromSnapshot(summary: PresenceSummary | null, zulipVersion: string): PresenceBreakdown {
  const held = summary ?? { state: 'offline', lastActiveAt: null };
  const rows =
    held.lastActiveAt === null
      ? []
      : [{ client: 'aggregated', label: 'All devices', state: held.state, lastReportedAt: held.lastActiveAt, mostRecent: false }];
  return { kind: 'combined', rows, note: combinedNote(zulipVersion), summary: held };
}
