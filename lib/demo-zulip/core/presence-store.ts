// Stored presence, with Zulip's write rules (zerver/actions/presence.py, zulip-api.md §c).
//
// Each user has one aggregate row, exactly Zulip 7.0+'s UserPresence (last_active_time,
// last_connected_time, last_update_id from the per-realm sequence), plus one row per client, as
// Zulip stored them before 7.0, so servers imitating feature levels < 178 can show real per-client
// rows. Both kinds of row follow the same 55 s write throttle.
import type { DemoClientPresence } from '../types';
import { consolidateClient } from '../http/user-agent';

export const OFFLINE_THRESHOLD_SECS = 200;
export const PRESENCE_PING_INTERVAL_SECS = 60;
export const PRESENCE_UPDATE_MIN_FREQ_SECONDS = 55;
/** A report counts as "coming online" after this long without an active report (200 − 60 − 10). */
const NOW_ONLINE_AFTER_SECS = OFFLINE_THRESHOLD_SECS - PRESENCE_PING_INTERVAL_SECS - 10;
/** How far back presence is pushed when a user hides their availability (200 + 55 + 10). */
export const INVISIBLE_BACKDATE_SECS = OFFLINE_THRESHOLD_SECS + PRESENCE_UPDATE_MIN_FREQ_SECONDS + 10;

export interface PresenceTimes {
  /** Unix seconds (fractional); null: never reported active. */
  lastActive: number | null;
  lastConnected: number;
}

export interface PresenceRow extends PresenceTimes {
  /** Per-client rows keyed by client name (ZulipDesktop already folded into website). */
  clients: Map<string, PresenceTimes>;
  /** Value of the realm's presence sequence when this row last changed. */
  lastUpdateId: number;
  /** Serialized fragments, dropped on every write (see presence-format.ts). */
  cache: { legacy?: string; modern?: string };
}

export interface ReportOutcome {
  /** The aggregate row did not exist before. */
  created: boolean;
  /** Active report after more than 130 s without one: Zulip would send a presence event. */
  becameOnline: boolean;
  /** Something was stored (and the sequence moved). */
  wrote: boolean;
}

/** Zulip's throttled update of one row; returns whether it changed. */
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

export class PresenceStore {
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
    for (const times of merged.values()) {
      lastActive = maxNullable(lastActive, times.lastActive);
      lastConnected = Math.max(lastConnected, times.lastConnected);
    }
    this.rows.set(userId, { lastActive, lastConnected, clients: merged, lastUpdateId: ++this.sequence, cache: {} });
  }

  /** One presence report from one client (a POST /users/me/presence, real or simulated). */
  report(userId: number, client: string, status: 'active' | 'idle', now: number): ReportOutcome {
    const active = status === 'active';
    const clientName = consolidateClient(client);
    let row = this.rows.get(userId);
    if (!row) {
      const times = { lastActive: active ? now : null, lastConnected: now };
      row = { ...times, clients: new Map([[clientName, { ...times }]]), lastUpdateId: ++this.sequence, cache: {} };
      this.rows.set(userId, row);
      return { created: true, becameOnline: active, wrote: true };
    }
    const sinceActive = row.lastActive === null ? Infinity : now - row.lastActive;
    const becameOnline = active && sinceActive > NOW_ONLINE_AFTER_SECS;

    let wrote = applyReport(row, active, now);
    const clientRow = row.clients.get(clientName);
    if (!clientRow) {
      row.clients.set(clientName, { lastActive: active ? now : null, lastConnected: now });
      wrote = true;
    } else if (applyReport(clientRow, active, now)) {
      wrote = true;
    }
    if (wrote) this.touch(row);
    return { created: false, becameOnline, wrote };
  }

  /**
   * "Display my availability" switched off: Zulip backdates the row to 265 s before now so every
   * client shows the user offline from this moment (zerver/actions/user_settings.py).
   */
  backdate(userId: number, now: number): void {
    const row = this.rows.get(userId);
    if (!row) return;
    const limit = now - INVISIBLE_BACKDATE_SECS;
    for (const times of [row, ...row.clients.values()]) {
      if (times.lastActive !== null && times.lastActive > limit) times.lastActive = limit;
      if (times.lastConnected > limit) times.lastConnected = limit;
    }
    this.touch(row);
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
