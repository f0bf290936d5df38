// The per-client breakdown behind a directory row, built from one GET /users/{id}/presence
// response (architecture.md §5, zulip-api.md §a). What a server can tell depends on its version:
//   before 7.0 (FL < 178): one key per client + `aggregated` → one row per client;
//   7.0 … 11.x: `website` + `aggregated`, identical → one combined row and a note saying so;
//   12.0-dev: the legacy keys plus `active_timestamp` / `idle_timestamp` (+ top-level
//   `server_timestamp`) → last active / last connected and the combined row.
// Never invent device data the server did not send.

import {
  asLegacyEntry,
  statusFromLegacyAggregated,
  statusFromLegacyClients,
  statusFromModern,
  type LegacyPresenceInput,
  type PresenceState,
  type PresenceSummary,
  type ThresholdArg,
} from '@/lib/presence/status';

/** The parsed per-person response body (only the parts read here). */
export interface PerPersonPresenceResponse {
  presence: Record<string, unknown>;
  server_timestamp?: number;
}

export interface BreakdownRow {
  /** The raw client key Zulip sent (`website`, `ZulipMobile`, `aggregated`, …). */
  client: string;
  /** A friendly name for it; the raw name is the tooltip. */
  label: string;
  state: PresenceState;
  /** Unix seconds of this entry's timestamp. */
  lastReportedAt: number;
  /** The newest of several client rows; false on a lone combined row, where it would say nothing. */
  mostRecent: boolean;
}

export interface PresenceBreakdown {
  kind: 'per-client' | 'combined';
  rows: BreakdownRow[];
  /** 12.0-dev and later: "Last active" (Unix s). */
  lastActiveAt?: number;
  /** 12.0-dev and later: "Last connected" (Unix s). */
  lastIdleAt?: number;
  note?: string;
  summary: PresenceSummary;
}

export interface BreakdownOptions {
  featureLevel: number;
  zulipVersion: string;
  thresholds: ThresholdArg;
  /** Used only when the response has no `server_timestamp` (every server before 12.0-dev). */
  nowSec: number;
  /** The person's `date_joined`, Zulip's fallback for "last active" of someone never active. */
  dateJoined?: number | string | null;
}

/** Zulip 7.0 stopped recording which client reported presence. */
export const FL_COMBINED_PRESENCE = 178;

const CLIENT_LABELS: Record<string, string> = {
  website: 'Web',
  ZulipMobile: 'Mobile app',
  ZulipAndroid: 'Mobile app',
  ZulipiOS: 'Mobile app',
  ZulipFlutter: 'Mobile app',
  ZulipDesktop: 'Desktop app',
  ZulipElectron: 'Desktop app',
  ZulipTerminal: 'Terminal',
};

export function clientLabel(client: string): string {
  return Object.hasOwn(CLIENT_LABELS, client) ? CLIENT_LABELS[client]! : client;
}

/** "10.2", "11.0-beta1", "12.0-dev-1234-gabcdef" → "12.0-dev"; anything else as sent. */
export function shortZulipVersion(version: string): string {
  const m = /^\d+\.\d+(?:-(?:dev|beta\d*|rc\d*))?/.exec(version.trim());
  return m ? m[0] : version.trim();
}

export function combinedNote(zulipVersion: string): string {
  const v = shortZulipVersion(zulipVersion);
  return v
    ? `This Zulip server (version ${v}) reports presence for all devices together.`
    : 'This Zulip server reports presence for all devices together.';
}

export function buildBreakdown(response: PerPersonPresenceResponse, opts: BreakdownOptions): PresenceBreakdown {
  const presence = isRecord(response.presence) ? response.presence : {};
  const serverTs =
    typeof response.server_timestamp === 'number' && Number.isFinite(response.server_timestamp)
      ? response.server_timestamp
      : opts.nowSec;

  const clients = new Map<string, LegacyPresenceInput>();
  for (const [key, value] of Object.entries(presence)) {
    const entry = asLegacyEntry(value);
    if (entry) clients.set(key, entry);
  }
  const active = finiteOrUndefined(presence['active_timestamp']);
  const idle = finiteOrUndefined(presence['idle_timestamp']);
  const modern = active !== undefined || idle !== undefined;

  // zulip-api.md §a: the modern fields win whenever the server sends them.
  const summary: PresenceSummary = modern
    ? statusFromModern({ active_timestamp: active, idle_timestamp: idle }, serverTs, opts.thresholds, opts.dateJoined)
    : (statusFromLegacyClients(presence, serverTs, opts.thresholds) ?? { state: 'offline', lastActiveAt: null });

  const modernFields = modern
    ? {
        ...(active !== undefined && active > 0 ? { lastActiveAt: active } : {}),
        ...(idle !== undefined && idle > 0 ? { lastIdleAt: idle } : {}),
      }
    : {};

  const perClient = [...clients].filter(([key]) => key !== 'aggregated');
  if (opts.featureLevel < FL_COMBINED_PRESENCE && perClient.length > 0) {
    const rows = perClient
      .map(([client, entry]): BreakdownRow => ({
        client,
        label: clientLabel(client),
        state: statusFromLegacyAggregated(entry, serverTs, opts.thresholds).state,
        lastReportedAt: entry.timestamp,
        mostRecent: false,
      }))
      // Newest first; on a tie an active client is the more telling one, then name for stability.
      .sort(
        (a, b) =>
          b.lastReportedAt - a.lastReportedAt ||
          stateRank(a.state) - stateRank(b.state) ||
          (a.client < b.client ? -1 : a.client > b.client ? 1 : 0),
      );
    if (rows.length > 1) rows[0]!.mostRecent = true;
    return { kind: 'per-client', rows, ...modernFields, summary };
  }

  // Combined: `aggregated` is the server's own merge; `website` (identical from 7.0) if it is missing.
  const sourceKey = clients.has('aggregated') ? 'aggregated' : clients.has('website') ? 'website' : perClient[0]?.[0];
  const source = sourceKey === undefined ? undefined : clients.get(sourceKey);
  const rows: BreakdownRow[] = [];
  if (sourceKey !== undefined && source !== undefined) {
    rows.push({
      client: sourceKey,
      label: 'All devices',
      // With modern data, the row agrees with the summary: the legacy dict's own 70 s
      // active-vs-idle rule can disagree with Zulip's modern rule for the same moment.
      state: modern ? summary.state : statusFromLegacyAggregated(source, serverTs, opts.thresholds).state,
      lastReportedAt: modern ? Math.max(active ?? 0, idle ?? 0, source.timestamp) : source.timestamp,
      mostRecent: false,
    });
  } else if (modern) {
    // Modern-only (the 11 days of 12.0-dev main that dropped the legacy keys).
    rows.push({
      client: 'aggregated',
      label: 'All devices',
      state: summary.state,
      lastReportedAt: Math.max(active ?? 0, idle ?? 0),
      mostRecent: false,
    });
  }
  const note = opts.featureLevel >= FL_COMBINED_PRESENCE ? combinedNote(opts.zulipVersion) : undefined;
  return { kind: 'combined', rows, ...modernFields, ...(note ? { note } : {}), summary };
}

function stateRank(s: PresenceState): number {
  return s === 'active' ? 0 : s === 'idle' ? 1 : 2;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finiteOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
