import 'server-only';
import type { PresenceChange } from '@/lib/directory/domain/types';
import type { PresenceSummary } from '@/lib/presence/status';
import type { DirectoryData } from '@/lib/server/directory-data';

// The one place that applies the organization's "presence off" setting to what is served: when
// Zulip reports realm_presence_disabled, no one has a presence at all (docs/architecture.md §4).
// Pages learn the setting itself from their Freshness (presenceDisabled), never a field of their own.

/** Someone's presence as every page and answer shows it. */
export function shownPresence(view: DirectoryData, id: number): PresenceSummary | null {
  return view.presenceDisabled ? null : view.presence.get(id);
}

/** Everyone's, as a full diff carries it. */
export function shownPresenceOfEveryone(view: DirectoryData): PresenceChange[] {
  return view.presenceDisabled ? [] : view.presence.all();
}
