// Presence status rules, exactly as Zulip's web app computes them (web/src/presence.ts
// `status_from_raw`; zulip-api.md §d). Pure and isomorphic: no clock is read here, every age is
// measured against a server timestamp the caller passes, which keeps results right under clock skew.

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

/** Modern format: `{active_timestamp, idle_timestamp}` (either may be missing). */
export interface ModernPresenceInput {
  active_timestamp?: number | null;
  idle_timestamp?: number | null;
}

/** Legacy format: one client's (or `aggregated`'s) entry. Extra keys (client, pushable) are ignored. */
export interface LegacyPresenceInput {
  status: string;
  timestamp: number;
}

// The register fields only exist from feature level 164 (7.0); before that Zulip's docs tell
// clients to use the old hard-coded 140 s / 60 s.
const FL_SERVER_THRESHOLDS = 164;

export function thresholdsFor(
  featureLevel: number,
  fromRegister?: {
    server_presence_offline_threshold_seconds?: number;
    server_presence_ping_interval_seconds?: number;
  },
): PresenceThresholds {
  const fallback =
    featureLevel < FL_SERVER_THRESHOLDS
      ? { offlineThresholdSeconds: 140, pingIntervalSeconds: 60 }
      : { offlineThresholdSeconds: 200, pingIntervalSeconds: 60 };
  const offline = fromRegister?.server_presence_offline_threshold_seconds;
  const ping = fromRegister?.server_presence_ping_interval_seconds;
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
  raw: ModernPresenceInput,
  serverTimestamp: number,
  threshold: ThresholdArg,
  dateJoined?: number | string | null,
): PresenceSummary {
  const t = offlineSeconds(threshold);
  const active = raw.active_timestamp ?? 0;
  const idle = raw.idle_timestamp ?? 0;
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
  entry: LegacyPresenceInput,
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
 * A legacy per-client dict (realm/presence entries, pre-7.0 per-person responses): `aggregated`
 * when the server sent one, else the newest client entry (an active one wins a tie).
 * Returns null when the dict holds no usable entry.
 */
export function statusFromLegacyClients(
  clients: Record<string, unknown>,
  serverTimestamp: number,
  threshold: ThresholdArg,
): PresenceSummary | null {
  const aggregated = asLegacyEntry(clients['aggregated']);
  if (aggregated) return statusFromLegacyAggregated(aggregated, serverTimestamp, threshold);
  let newest: LegacyPresenceInput | null = null;
  for (const [key, value] of Object.entries(clients)) {
    if (key === 'aggregated') continue;
    const entry = asLegacyEntry(value);
    if (!entry) continue;
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

/** Narrows an unknown JSON value to a legacy entry; anything else (e.g. modern keys) is skipped. */
export function asLegacyEntry(value: unknown): LegacyPresenceInput | null {
  if (typeof value !== 'object' || value === null) return null;
  const { status, timestamp } = value as Record<string, unknown>;
  if (typeof status !== 'string' || typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return null;
  return { status, timestamp };
}
