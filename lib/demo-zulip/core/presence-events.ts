// When Zulip sends a `presence` event for a report, and what each queue receives, by feature
// level (docs/zulip-versions.md §2).
import type { DemoUser } from '../types';
import { clientEntry } from './presence-clients';
import { legacyDict, modernUserPresence } from './presence-format';
import type { PresenceRow, ReportOutcome } from './presence-rows';
import type { NewEvent, QueueSettings } from './event-queues';
import { FL } from './versions';

/** USER_LIMIT_FOR_SENDING_PRESENCE_UPDATE_EVENTS: bigger realms get no presence events (from FL 62). */
export const PRESENCE_EVENT_USER_LIMIT = 100;

/**
 * Whether a stored report makes Zulip announce the user: from 7.0 when the row is new or the user
 * comes back after 130 s without activity; before, when a client's row is new, or the report is
 * active and that client's row was idle or stale (> 70 s).
 */
export function reportTriggersEvent(featureLevel: number, outcome: ReportOutcome): boolean {
  if (featureLevel < FL.AGGREGATED_PRESENCE_ONLY) return outcome.clientCreated || outcome.clientBecameOnline;
  return outcome.created || outcome.becameOnline;
}

/** Whether an unforced event is suppressed by the realm's size (only from FL 62, Zulip 4.0). */
export function realmTooBigForPresenceEvents(featureLevel: number, activeUsers: number): boolean {
  return featureLevel >= FL.PRESENCE_EVENT_USER_LIMIT && activeUsers > PRESENCE_EVENT_USER_LIMIT;
}

export interface PresenceEventSource {
  featureLevel: number;
  user: DemoUser;
  /** The user's API email (legacy events carry it). */
  email: string;
  row: PresenceRow;
  /** The consolidated client that reported (before FL 178 the event names it). */
  client: string;
  dateJoined: number;
  now: number;
}

/**
 * The event one queue receives: the modern `presences` map for queues with the
 * `simplified_presence_events` capability (FL 419), else the legacy event, without `email` for
 * queues registered with `slim_presence`. Before FL 178 its `presence` holds the reporting
 * client's own row; from then on a `website` entry built from the aggregate row.
 */
export function presenceEventFor(queue: QueueSettings, src: PresenceEventSource): NewEvent | null {
  const { featureLevel: fl, row } = src;
  if (fl >= FL.SIMPLIFIED_PRESENCE_EVENTS && queue.simplifiedPresence) {
    return { type: 'presence', presences: { [String(src.user.user_id)]: modernUserPresence(row, src.dateJoined, fl) } };
  }
  let presence: Record<string, unknown>;
  if (fl >= FL.AGGREGATED_PRESENCE_ONLY) {
    presence = { website: legacyDict(row, src.dateJoined) };
  } else {
    const clientRow = row.clients.get(src.client);
    if (!clientRow) return null;
    presence = { [src.client]: clientEntry(src.client, clientRow) };
  }
  const event: NewEvent = { type: 'presence', user_id: src.user.user_id };
  if (!queue.slimPresence) event.email = src.email;
  event.server_timestamp = src.now;
  event.presence = presence;
  return event;
}
