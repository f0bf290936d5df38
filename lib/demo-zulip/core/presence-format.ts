// Stored presence → Zulip's wire formats (zerver/lib/presence.py, zulip-api.md §a–§b):
// the legacy `{client: {client, status, timestamp, pushable}, aggregated: {…}}` format (one key per
// client before feature level 178, `website` only from then on) and the modern
// `{active_timestamp, idle_timestamp}` format.
import { FL } from './versions';
import type { PresenceRow, PresenceTimes } from './presence-store';

/** `PRESENCE_LEGACY_EVENT_OFFSET_FOR_ACTIVITY_SECONDS`: active if active within 70 s of the last connection. */
const LEGACY_ACTIVITY_OFFSET_SECS = 70;

export interface LegacyClientPresence {
  client: string;
  status: 'active' | 'idle';
  timestamp: number;
  pushable: boolean;
}

/** Zulip's `format_legacy_presence_dict`; a null active time falls back to date_joined. */
export function legacyDict(times: PresenceTimes, dateJoined: number, client = 'website'): LegacyClientPresence {
  const lastActive = times.lastActive ?? dateJoined;
  const active = lastActive + LEGACY_ACTIVITY_OFFSET_SECS >= times.lastConnected;
  return {
    client,
    status: active ? 'active' : 'idle',
    timestamp: Math.floor(active ? lastActive : times.lastConnected),
    pushable: false,
  };
}

/** The legacy per-user object: `{website: {…}, aggregated: {client, status, timestamp}}` (or one key per client before FL 178). */
export function legacyUserPresence(row: PresenceRow, dateJoined: number, featureLevel: number): Record<string, Record<string, unknown>> {
  if (featureLevel >= FL.AGGREGATED_PRESENCE_ONLY) {
    const info = legacyDict(row, dateJoined);
    return { aggregated: { client: info.client, status: info.status, timestamp: info.timestamp }, website: { ...info } };
  }
  // Before 7.0: one entry per client, and `aggregated` is the most recent client's info. Those
  // rows stored the reported status itself, so a client never reported active reads as idle
  // (the date_joined fallback only exists since 7.0's timestamp-only rows).
  const infos = [...row.clients.entries()]
    .map(([client, times]) => legacyDict(times, times.lastActive === null ? -Infinity : dateJoined, client))
    .sort((a, b) => a.timestamp - b.timestamp);
  const result: Record<string, Record<string, unknown>> = {};
  const latest = infos[infos.length - 1]!;
  result.aggregated = { client: latest.client, status: latest.status, timestamp: latest.timestamp };
  for (const info of infos) result[info.client] = { ...info };
  return result;
}

/** The modern object; null database values fall back to date_joined. */
export function modernUserPresence(row: PresenceTimes, dateJoined: number): { active_timestamp: number; idle_timestamp: number } {
  return {
    active_timestamp: Math.floor(row.lastActive ?? dateJoined),
    idle_timestamp: Math.floor(row.lastConnected),
  };
}

/** Serialized legacy object, cached on the row until its next write. */
export function legacyFragment(row: PresenceRow, dateJoined: number, featureLevel: number): string {
  return (row.cache.legacy ??= JSON.stringify(legacyUserPresence(row, dateJoined, featureLevel)));
}

export function modernFragment(row: PresenceRow, dateJoined: number): string {
  return (row.cache.modern ??= JSON.stringify(modernUserPresence(row, dateJoined)));
}
