// Stored presence, with Zulip's write rules (docs/zulip-versions.md §1–§4).
//
// Each user has one aggregate row, exactly Zulip 7.0+'s UserPresence (last_active_time,
// last_connected_time, last_update_id from the per-realm sequence, a 55 s write throttle), plus
// one row per client as Zulip stored them before 7.0 (presence-clients.ts), so servers imitating
// feature levels < 178 show real per-client rows. Every report updates both; the API reads the
// kind its feature level had.
import type { DemoClientPresence } from '../types';
import { consolidateClient } from '../http/user-agent';
import { clientRowFromTimes, reportToClientRow, type ClientRow, type PresenceTimes } from './presence-clients';

/** OFFLINE_THRESHOLD_SECS from 7.0 (feature level 164); 300 before. */
export const OFFLINE_THRESHOLD_SECS = 200;
export const LEGACY_OFFLINE_THRESHOLD_SECS = 300;
export const PRESENCE_PING_INTERVAL_SECS = 60;
export const PRESENCE_UPDATE_MIN_FREQ_SECONDS = 55;
/** 7.0+: a report counts as "coming online" after this long without an active report (200 − 60 − 10). */
const NOW_ONLINE_AFTER_SECS = OFFLINE_THRESHOLD_SECS - PRESENCE_PING_INTERVAL_SECS - 10;

export interface PresenceRow extends PresenceTimes {
  /** Pre-7.0 rows keyed by client name (ZulipDesktop already folded into website). */
  clients: Map<string, ClientRow>;
  /** Value of the realm's presence sequence when this row last changed. */
  lastUpdateId: number;
  /** Serialized fragments, dropped on every write (see presence-format.ts). */
  cache: { legacy?: string; modern?: string };
}

export interface ReportOutcome {
  /** 7.0+: the aggregate row did not exist before. */
  created: boolean;
  /** 7.0+: active report after more than 130 s without one. */
  becameOnline: boolean;
  /** Before 7.0: the (user, client) row did not exist before. */
  clientCreated: boolean;
  /** Before 7.0: active report on a stale (> 70 s) or idle client row. */
  clientBecameOnline: boolean;
  /** Something was stored (and the sequence moved). */
  wrote: boolean;
}

/** Zulip 7.0+'s throttled update of the aggregate row; returns whether it changed. */
function applyReport(row: PresenceTimes, active: boolean, now: number): boolean {
  let changed = false;
  if (now - row.lastConnected > PRESENCE_UPDATE_MIN_FREQ_SECONDS) {
    row.lastConnected = now;
    changed = true;
  }
  const sinceActive = row.lastActive === null ? Infinity : now - row.lastActive;
  if (active && sinceActive > PRESENCE_UPDATE_MIN_FREQ_SECONDS) {
    row.lastActive = now;
    // keep last_connected_time >= last_active_time
    if (now > row.lastConnected) row.lastConnected = now;
    changed = true;
  }
  return changed;
}

export class PresenceRows {
  private readonly rows = new Map<number, PresenceRow>();
  /** The realm's PresenceSequence: bumped by every real write. */
  private sequence = 0;

  get lastUpdateId(): number {
    return this.sequence;
  }

  get(userId: number): PresenceRow | undefined {
    return this.rows.get(userId);
  }

  entries(): IterableIterator<[number, PresenceRow]> {
    return this.rows.entries();
  }

  /** Loads a user's history at server start (from the simulation's `initialPresence`). */
  seed(userId: number, clients: Partial<Record<string, DemoClientPresence>>): void {
    const merged = new Map<string, PresenceTimes>();
    for (const [name, presence] of Object.entries(clients)) {
      if (!presence) continue;
      const key = consolidateClient(name);
      const prev = merged.get(key);
      merged.set(key, {
        lastActive: maxNullable(prev?.lastActive ?? null, presence.last_active_time),
        lastConnected: Math.max(prev?.lastConnected ?? -Infinity, presence.last_connected_time),
      });
    }
    if (merged.size === 0) return;
    let lastActive: number | null = null;
    let lastConnected = -Infinity;
    const clientRows = new Map<string, ClientRow>();
    for (const [name, times] of merged) {
      lastActive = maxNullable(lastActive, times.lastActive);
      lastConnected = Math.max(lastConnected, times.lastConnected);
      clientRows.set(name, clientRowFromTimes(times));
    }
    this.rows.set(userId, { lastActive, lastConnected, clients: clientRows, lastUpdateId: ++this.sequence, cache: {} });
  }

  /** One presence report from one client (a POST /users/me/presence, real or simulated). */
  report(userId: number, client: string, status: 'active' | 'idle', now: number): ReportOutcome {
    const active = status === 'active';
    const clientName = consolidateClient(client);
    let row = this.rows.get(userId);
    if (!row) {
      row = { lastActive: active ? now : null, lastConnected: now, clients: new Map([[clientName, { status, timestamp: now }]]), lastUpdateId: ++this.sequence, cache: {} };
      this.rows.set(userId, row);
      return { created: true, becameOnline: active, clientCreated: true, clientBecameOnline: false, wrote: true };
    }
    const sinceActive = row.lastActive === null ? Infinity : now - row.lastActive;
    const becameOnline = active && sinceActive > NOW_ONLINE_AFTER_SECS;
    const aggregateWrote = applyReport(row, active, now);
    const perClient = reportToClientRow(row.clients.get(clientName), status, now);
    if (perClient.created) row.clients.set(clientName, perClient.row);
    // Only the 7.0+ row moves the presence sequence (last_update_id exists from FL 263); a
    // client row write only invalidates what the pre-7.0 formats cached.
    if (aggregateWrote) this.touch(row);
    else if (perClient.wrote) row.cache = {};
    const wrote = aggregateWrote || perClient.wrote;
    return { created: false, becameOnline, clientCreated: perClient.created, clientBecameOnline: perClient.becameOnline, wrote };
  }

  /**
   * 10.0+: "Display my availability" switched off moves both stored times back to `limit` (now −
   * 265 s) when they are newer, so every client shows the user offline from now on; older
   * times, and a user with no row, stay as they are. Returns the row if anything changed.
   */
  backdate(userId: number, limit: number): PresenceRow | undefined {
    const row = this.rows.get(userId);
    if (!row) return undefined;
    let changed = false;
    if (row.lastActive !== null && row.lastActive > limit) {
      row.lastActive = limit;
      changed = true;
    }
    if (row.lastConnected > limit) {
      row.lastConnected = limit;
      changed = true;
    }
    for (const clientRow of row.clients.values()) {
      if (clientRow.timestamp > limit) clientRow.timestamp = limit;
    }
    if (changed) this.touch(row);
    return changed ? row : undefined;
  }

  /**
   * 6.0–9.x: switching "Display my availability" off deletes the user's presence and stores one
   * fresh `idle` report from `website` at `at` (some minutes ago): before 7.0 a single client row,
   * from 7.0 an aggregate row that was never active. Always creates a row.
   */
  replaceWithIdle(userId: number, at: number): PresenceRow {
    const row: PresenceRow = {
      lastActive: null,
      lastConnected: at,
      clients: new Map([['website', { status: 'idle', timestamp: at }]]),
      lastUpdateId: ++this.sequence,
      cache: {},
    };
    this.rows.set(userId, row);
    return row;
  }

  private touch(row: PresenceRow): void {
    row.lastUpdateId = ++this.sequence;
    row.cache = {};
  }
}

function maxNullable(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
