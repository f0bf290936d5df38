// Presence status rules, exactly as Zulip's web app computes them (web/src/presence.ts
// `status_from_raw`; docs/zulip.md §d). Pure and isomorphic: no clock is read here, every age is
// measured against a server timestamp the caller passes, which keeps results right under clock skew.
import type { ClientPresence, PresenceRecord } from '@/lib/zulip/records';

export type PresenceState = 'active' | 'idle' | 'offline';

export interface PresenceThresholds {
  /** A timestamp at least this old means offline (`server_presence_offline_threshold_seconds`). */
  offlineThresholdSeconds: number;
  /** How often clients report (`server_presence_ping_interval_seconds`). */
  pingIntervalSeconds: number;
}

/** Plain JSON, so it crosses the server/client boundary and the SSE stream as-is. */
export interface PresenceSummary {
  state: PresenceState;
  /** Unix seconds: the time to show in "Active … ago"; null when there is none to show. */
  lastActiveAt: number | null;
}

/** From feature level 288 (10.0) register honours presence_history_limit_days; before, 14 days. */
const FL_PRESENCE_HISTORY_LIMIT = 288;

/** How many days of presence history the directory holds for a server at this level. */
export function presenceHistoryDays(featureLevel: number): number {
  return featureLevel >= FL_PRESENCE_HISTORY_LIMIT ? 365 : 14;
}

// The register fields only exist from feature level 164 (7.0); before that Zulip's docs tell
// clients to use the old hard-coded 140 s / 60 s.
const FL_SERVER_THRESHOLDS = 164;

export function thresholdsFor(
  featureLevel: number,
  fromRegister?: { offlineThresholdSeconds: number | null; pingIntervalSeconds: number | null },
): PresenceThresholds {
  const fallback =
    featureLevel < FL_SERVER_THRESHOLDS
      ? { offlineThresholdSeconds: 140, pingIntervalSeconds: 60 }
      : { offlineThresholdSeconds: 200, pingIntervalSeconds: 60 };
  const offline = fromRegister?.offlineThresholdSeconds;
  const ping = fromRegister?.pingIntervalSeconds;
  return {
    offlineThresholdSeconds: isPositive(offline) ? offline : fallback.offlineThresholdSeconds,
    pingIntervalSeconds: isPositive(ping) ? ping : fallback.pingIntervalSeconds,
  };
}

function isPositive(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}

/** Callers hold either the whole thresholds object or just the offline threshold in seconds. */
export type ThresholdArg = number | PresenceThresholds;

function offlineSeconds(threshold: ThresholdArg): number {
  return typeof threshold === 'number' ? threshold : threshold.offlineThresholdSeconds;
}

/** Zulip treats a last-active of 0 (or none) as "no data" (`presence.last_active_date`). */
function orNull(ts: number): number | null {
  return ts > 0 ? ts : null;
}

/** `date_joined` arrives as ISO 8601 from Zulip; callers may also pass Unix seconds. */
function toUnixSeconds(value: number | string | null | undefined): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
  if (typeof value === 'string' && value !== '') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? 0 : ms / 1000;
  }
  return 0;
}

/**
 * Zulip's modern rule: active if `server_ts − active < T`; else idle if `server_ts − idle < T`
 * (last active = max of both); else offline, last active = max(active, date_joined).
 * A missing timestamp counts as 0, i.e. infinitely old, as in the web app's `age()`.
 */
export function statusFromModern(
  raw: PresenceRecord,
  serverTimestamp: number,
  threshold: ThresholdArg,
  dateJoined?: number | string | null,
): PresenceSummary {
  const t = offlineSeconds(threshold);
  const active = raw.activeTimestamp;
  const idle = raw.idleTimestamp;
  if (serverTimestamp - active < t) return { state: 'active', lastActiveAt: orNull(active) };
  if (serverTimestamp - idle < t) return { state: 'idle', lastActiveAt: orNull(Math.max(active, idle)) };
  return { state: 'offline', lastActiveAt: orNull(Math.max(active, toUnixSeconds(dateJoined))) };
}

/**
 * Legacy `aggregated {status, timestamp}`: offline if `now − timestamp ≥ T`, else its status.
 * The per-person endpoint may already say "offline" (it overrides stale entries itself).
 *
 * lastActiveAt is the entry's timestamp: for "active" entries that is the last active time; for
 * "idle" ones the server put the last connection time there, the closest the legacy format has.
 */
export function statusFromLegacyAggregated(
  entry: Pick<ClientPresence, 'status' | 'timestamp'>,
  serverTimestamp: number,
  threshold: ThresholdArg,
): PresenceSummary {
  const lastActiveAt = orNull(entry.timestamp);
  if (serverTimestamp - entry.timestamp >= offlineSeconds(threshold)) return { state: 'offline', lastActiveAt };
  return { state: legacyState(entry.status), lastActiveAt };
}

/** Unknown status strings are treated as offline rather than guessed at. */
export function legacyState(status: string): PresenceState {
  return status === 'active' || status === 'idle' ? status : 'offline';
}

/**
 * A legacy per-client dict (pre-7.0 per-person responses): `aggregated` when the server sent
 * one, else the newest client record (an active one wins a tie). Null when there is none.
 */
export function statusFromLegacyClients(
  clients: ClientPresence[],
  aggregated: ClientPresence | null,
  serverTimestamp: number,
  threshold: ThresholdArg,
): PresenceSummary | null {
  if (aggregated) return statusFromLegacyAggregated(aggregated, serverTimestamp, threshold);
  let newest: ClientPresence | null = null;
  for (const entry of clients) {
    if (
      newest === null ||
      entry.timestamp > newest.timestamp ||
      (entry.timestamp === newest.timestamp && entry.status === 'active')
    ) {
      newest = entry;
    }
  }
  return newest ? statusFromLegacyAggregated(newest, serverTimestamp, threshold) : null;
}
