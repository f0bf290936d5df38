// The per-client breakdown behind a directory row, built from one GET /users/{id}/presence
// response (docs/architecture.md §5, docs/zulip.md §a). What a server can tell depends on its version:
//   before 7.0 (FL < 178): one key per client + `aggregated` → one row per client;
//   7.0 … 12.0-dev FL 486: `website` + `aggregated`, identical → one combined row and a note saying so;
//   12.0-dev FL 487–496: only `active_timestamp` / `idle_timestamp` → last active / last connected
//   and a combined row built from them;
//   12.0-dev FL 497+: the legacy keys plus the modern pair (+ top-level `server_timestamp`) →
//   last active / last connected and the combined row.
// Never invent device data the server did not send.

import {
  statusFromLegacyAggregated,
  statusFromLegacyClients,
  statusFromModern,
  type PresenceState,
  type PresenceSummary,
  type ThresholdArg,
} from '@/lib/presence/status';
import type { ClientPresence, UserPresenceDetail } from '@/lib/zulip/records';

export interface BreakdownRow {
  /** The raw client key Zulip sent (`website`, `ZulipMobile`, `aggregated`, …), or the modern fields the row was read from. */
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
  /** Used only when the response has no `server_timestamp` (every server before FL 497). */
  nowSec: number;
  /** The person's `date_joined`, Zulip's fallback for "last active" of someone never active. */
  dateJoined?: number | string | null;
  /**
   * The person's badge. From 7.0 until the answer carries the modern pair (FL 178–486), Zulip's
   * per-person answer calls someone idle whose last activity came over 70 s before their last
   * connection, where its apps (and the badge) still call them active: the breakdown then says
   * active with them (docs/zulip.md §a, "One row, by the apps' rule").
   */
  held?: PresenceSummary | null;
}

/** Zulip 7.0 stopped recording which client reported presence. */
export const FL_COMBINED_PRESENCE = 178;

/** The combined row's source when the answer has only the modern pair (FL 487–496). */
export const MODERN_ONLY_SOURCE = 'active_timestamp, idle_timestamp';

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

/**
 * Zulip's answer as if it were given `ageSec` later. States are judged against the answer's own
 * `server_timestamp` (docs/zulip.md §a); an answer served from the cache, seconds old or the last
 * known one while Zulip fails, is judged as of now: its clock moved on by its age, so someone
 * active two hours ago is not "Active" in it.
 */
export function agedDetail(detail: UserPresenceDetail, ageSec: number): UserPresenceDetail {
  return detail.serverTimestamp === null || ageSec <= 0 ? detail : { ...detail, serverTimestamp: detail.serverTimestamp + ageSec };
}

export function buildBreakdown(detail: UserPresenceDetail, opts: BreakdownOptions): PresenceBreakdown {
  const serverTs = detail.serverTimestamp ?? opts.nowSec;
  const { modern } = detail;
  const active = modern?.activeTimestamp ?? 0;
  const idle = modern?.idleTimestamp ?? 0;

  // docs/zulip.md §a: the modern fields win whenever the server sends them.
  const fromAnswer: PresenceSummary = modern
    ? statusFromModern(modern, serverTs, opts.thresholds, opts.dateJoined)
    : (statusFromLegacyClients(detail.clients, detail.aggregated, serverTs, opts.thresholds) ?? { state: 'offline', lastActiveAt: null });
  // Only ever idle → active, on the badge's word: a follower's badge may not have this answer
  // folded in yet, so it never makes the answer say less.
  const byApps = !modern && opts.featureLevel >= FL_COMBINED_PRESENCE && fromAnswer.state === 'idle' && opts.held?.state === 'active' ? opts.held : null;
  const summary = byApps ?? fromAnswer;

  const modernFields = {
    ...(active > 0 ? { lastActiveAt: active } : {}),
    ...(idle > 0 ? { lastIdleAt: idle } : {}),
  };

  const perClient = detail.clients;
  if (opts.featureLevel < FL_COMBINED_PRESENCE && perClient.length > 0) {
    const rows = perClient
      .map((entry): BreakdownRow => ({
        client: entry.client,
        label: clientLabel(entry.client),
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
  const source: ClientPresence | undefined = detail.aggregated ?? perClient.find((c) => c.client === 'website') ?? perClient[0];
  const rows: BreakdownRow[] = [];
  if (source !== undefined) {
    rows.push({
      client: source.client,
      label: 'All devices',
      // With modern data, or the badge's, the row agrees with the summary: the legacy dict's own
      // 70 s active-vs-idle rule can disagree with Zulip's modern rule for the same moment.
      state: modern || byApps ? summary.state : statusFromLegacyAggregated(source, serverTs, opts.thresholds).state,
      lastReportedAt: modern ? Math.max(active, idle, source.timestamp) : source.timestamp,
      mostRecent: false,
    });
  } else if (modern) {
    // Modern-only (FL 487–496, docs/zulip.md §a): Zulip sent no client key, so the row names the fields it shows.
    rows.push({
      client: MODERN_ONLY_SOURCE,
      label: 'All devices',
      state: summary.state,
      lastReportedAt: Math.max(active, idle),
      mostRecent: false,
    });
  }
  const note = opts.featureLevel >= FL_COMBINED_PRESENCE ? combinedNote(opts.zulipVersion) + (byApps ? ` ${OLDER_RULE_NOTE}` : '') : undefined;
  return { kind: 'combined', rows, ...modernFields, ...(note ? { note } : {}), summary };
}

/** Where the row says active with Zulip's apps and the badge, though the answer said idle. */
export const OLDER_RULE_NOTE = 'Its answer for this person says “Idle” by an older rule; Zulip’s apps, like this directory, say “Active”.';

function stateRank(s: PresenceState): number {
  return s === 'active' ? 0 : s === 'idle' ? 1 : 2;
}

