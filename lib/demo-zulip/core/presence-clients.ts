// Presence as Zulip stored it before 7.0 (feature level < 178): one row per (user, client), each
// holding only the last status that client reported and when. The write rule, the "came online"
// rule and both wire formats built from these rows follow Zulip 3.x–6.x; see
// docs/zulip-versions.md §1–§2 for the functions they come from.

/** When a client, or a person over all their clients (7.0+: presence-rows.ts), last connected and was last active. */
export interface PresenceTimes {
  /** Unix seconds (fractional); null: never reported active. */
  lastActive: number | null;
  lastConnected: number;
}

export type ClientStatus = 'active' | 'idle';

export interface ClientRow {
  status: ClientStatus;
  /** Unix seconds (fractional) of the report that was last stored. */
  timestamp: number;
}

/** A row older than this (1 min 10 s) is "stale": the next report always overwrites it. */
export const STALE_STATUS_SECS = 70;

export interface ClientReportOutcome {
  row: ClientRow;
  /** The (user, client) row did not exist: Zulip sends a presence event for that. */
  created: boolean;
  /** An active report on a stale or idle row: Zulip's `became_online`, which sends an event. */
  becameOnline: boolean;
  /** The stored row changed. */
  wrote: boolean;
}

/**
 * One report for one client. A stale row, an idle row or a report repeating the stored status
 * is overwritten; an idle report on a fresh active row is dropped, so a user with one active and
 * one idle client does not flip between the two every minute.
 */
export function reportToClientRow(row: ClientRow | undefined, status: ClientStatus, now: number): ClientReportOutcome {
  if (!row) {
    const created = { status, timestamp: now };
    return { row: created, created: true, becameOnline: false, wrote: true };
  }
  const stale = now - row.timestamp > STALE_STATUS_SECS;
  const wasIdle = row.status === 'idle';
  const becameOnline = status === 'active' && (stale || wasIdle);
  if (!(stale || wasIdle || status === row.status)) return { row, created: false, becameOnline, wrote: false };
  row.timestamp = now;
  row.status = status;
  return { row, created: false, becameOnline, wrote: true };
}

/**
 * The row a client left behind, from when it last connected and was last active (the
 * simulation's history): active if its last active report was within 70 s of its last report,
 * which is what the write rule above leaves for a client that reported every minute.
 */
export function clientRowFromTimes(times: PresenceTimes): ClientRow {
  if (times.lastActive !== null && times.lastActive + STALE_STATUS_SECS >= times.lastConnected) {
    return { status: 'active', timestamp: times.lastActive };
  }
  return { status: 'idle', timestamp: times.lastConnected };
}

export interface LegacyClientEntry {
  client: string;
  status: ClientStatus;
  timestamp: number;
  pushable: boolean;
}

/** A row as Zulip's `UserPresence.to_dict` shows it (no push devices here, so never pushable). */
export function clientEntry(client: string, row: ClientRow): LegacyClientEntry {
  return { client, status: row.status, timestamp: Math.floor(row.timestamp), pushable: false };
}

/** The legacy per-user object: one key per client plus `aggregated`, the most recent client. */
export function legacyFromClientRows(rows: Array<[string, ClientRow]>): Record<string, Record<string, unknown>> {
  const entries = rows.map(([client, row]) => clientEntry(client, row)).sort((a, b) => a.timestamp - b.timestamp);
  const latest = entries[entries.length - 1]!;
  const result: Record<string, Record<string, unknown>> = {
    aggregated: { client: latest.client, status: latest.status, timestamp: latest.timestamp },
  };
  for (const entry of entries) result[entry.client] = { ...entry };
  return result;
}

/**
 * The slim (`slim_presence`) entry: the newest active row's time and the newest idle row's, each
 * key left out when no row has that status, so `{"idle_timestamp": N}` is a normal answer.
 */
export function modernFromClientRows(rows: Array<[string, ClientRow]>): { active_timestamp?: number; idle_timestamp?: number } {
  let active: number | null = null;
  let idle: number | null = null;
  for (const [, row] of rows) {
    if (row.status === 'active') active = active === null ? row.timestamp : Math.max(active, row.timestamp);
    else idle = idle === null ? row.timestamp : Math.max(idle, row.timestamp);
  }
  const result: { active_timestamp?: number; idle_timestamp?: number } = {};
  if (active !== null) result.active_timestamp = Math.floor(active);
  if (idle !== null) result.idle_timestamp = Math.floor(idle);
  return result;
}
