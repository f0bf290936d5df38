// Stored presence → Zulip's wire formats, by feature level (docs/zulip-versions.md §1): the legacy
// `{client: {client, status, timestamp, pushable}, aggregated: {…}}` format (one key per client
// before feature level 178, `website` only from then on) and the modern "slim" format
// (`{active_timestamp, idle_timestamp}` from 7.0; before, built from client rows, keys optional).
import { FL } from './versions';
import { legacyFromClientRows, modernFromClientRows, type ClientRow, type PresenceTimes } from './presence-clients';
import type { PresenceRow } from './presence-rows';

/** `PRESENCE_LEGACY_EVENT_OFFSET_FOR_ACTIVITY_SECONDS`: active if active within 70 s of the last connection. */
const LEGACY_ACTIVITY_OFFSET_SECS = 70;

export interface LegacyClientPresence {
  client: string;
  status: 'active' | 'idle';
  timestamp: number;
  pushable: boolean;
}

export type ModernPresence = { active_timestamp?: number; idle_timestamp?: number };

/** Zulip 7.0+'s `format_legacy_presence_dict`; a null active time falls back to date_joined. */
export function legacyDict(times: PresenceTimes, dateJoined: number): LegacyClientPresence {
  const lastActive = times.lastActive ?? dateJoined;
  const active = lastActive + LEGACY_ACTIVITY_OFFSET_SECS >= times.lastConnected;
  return {
    client: 'website',
    status: active ? 'active' : 'idle',
    timestamp: Math.floor(active ? lastActive : times.lastConnected),
    pushable: false,
  };
}

/** The client rows a bulk answer includes: those stored at or after `since` (all without it). */
export function clientRowsSince(row: PresenceRow, since?: number): Array<[string, ClientRow]> {
  const rows = [...row.clients.entries()];
  return since === undefined ? rows : rows.filter(([, r]) => r.timestamp >= since);
}

/** The legacy per-user object: `{website: {…}, aggregated: {client, status, timestamp}}`, or one key per client before FL 178. */
export function legacyUserPresence(row: PresenceRow, dateJoined: number, featureLevel: number, since?: number): Record<string, Record<string, unknown>> {
  if (featureLevel < FL.AGGREGATED_PRESENCE_ONLY) return legacyFromClientRows(clientRowsSince(row, since));
  const info = legacyDict(row, dateJoined);
  return { aggregated: { client: info.client, status: info.status, timestamp: info.timestamp }, website: { ...info } };
}

/** The modern object: from 7.0 both keys (null times fall back to date_joined); before, only the statuses some client row has. */
export function modernUserPresence(row: PresenceRow, dateJoined: number, featureLevel: number, since?: number): ModernPresence {
  if (featureLevel < FL.AGGREGATED_PRESENCE_ONLY) return modernFromClientRows(clientRowsSince(row, since));
  return {
    active_timestamp: Math.floor(row.lastActive ?? dateJoined),
    idle_timestamp: Math.floor(row.lastConnected),
  };
}

/**
 * Serialized legacy object, cached on the row until its next write. Before FL 178 a client row
 * can age out of the two-week window without a write, so only complete answers are cached.
 */
export function legacyFragment(row: PresenceRow, dateJoined: number, featureLevel: number, since?: number): string {
  if (row.cache.legacy !== undefined && allRowsSince(row, featureLevel, since)) return row.cache.legacy;
  const text = JSON.stringify(legacyUserPresence(row, dateJoined, featureLevel, since));
  if (allRowsSince(row, featureLevel, since)) row.cache.legacy = text;
  return text;
}

export function modernFragment(row: PresenceRow, dateJoined: number, featureLevel: number, since?: number): string {
  if (row.cache.modern !== undefined && allRowsSince(row, featureLevel, since)) return row.cache.modern;
  const text = JSON.stringify(modernUserPresence(row, dateJoined, featureLevel, since));
  if (allRowsSince(row, featureLevel, since)) row.cache.modern = text;
  return text;
}

/** Whether a bulk answer would include every stored row of this user (always true from 7.0). */
function allRowsSince(row: PresenceRow, featureLevel: number, since?: number): boolean {
  if (featureLevel >= FL.AGGREGATED_PRESENCE_ONLY || since === undefined) return true;
  for (const clientRow of row.clients.values()) if (clientRow.timestamp < since) return false;
  return true;
}
