// Keeps the demo realm alive: stored presence starts from `initialPresence`, then every tick each
// person's currently connected clients "POST" presence through the same rules as the real
// endpoint (throttle, sequence, events). Pausable; its timer never keeps the process alive.
//
// People act on the true time; the server stamps what they report with its own clock, which may
// be off by the configured offset (docs/zulip-versions.md §7).
import { clientsReporting, initialPresence, invisibleSince } from '../simulation';
import type { DemoClientPresence } from '../types';
import type { DemoApp } from './app';
import { hidePresence } from './invisible-mode';
import { FL } from './versions';

/** Rows as the server's clock would have stamped them. */
function shifted(rows: Partial<Record<string, DemoClientPresence>>, offset: number): Partial<Record<string, DemoClientPresence>> {
  if (offset === 0) return rows;
  const out: Partial<Record<string, DemoClientPresence>> = {};
  for (const [client, row] of Object.entries(rows)) {
    if (!row) continue;
    out[client] = {
      last_active_time: row.last_active_time === null ? null : row.last_active_time + offset,
      last_connected_time: row.last_connected_time + offset,
    };
  }
  return out;
}

export interface SimulationStatus {
  running: boolean;
  tickSeconds: number;
  ticks: number;
  /** Unix seconds of the last tick, null before the first. */
  lastTickAt: number | null;
  /** Presence reports applied by the last tick. */
  lastTickReports: number;
}

export class SimulationLoop {
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private lastTickAt: number | null = null;
  private lastTickReports = 0;

  constructor(
    private readonly app: DemoApp,
    readonly tickSeconds: number,
  ) {}

  /**
   * Loads everyone's presence history as of `realNowSec` (default: now). Invisible people's rows
   * are what their server version left when they switched presence off (invisible-mode.ts).
   */
  seed(realNowSec = this.app.realNow()): void {
    const { featureLevel, clockOffset } = this.app;
    const store = this.app.state.presence;
    const backdateInPlace = featureLevel >= FL.INVISIBLE_BACKDATE_IN_PLACE;
    for (const user of this.app.state.org.users) {
      if (user.is_bot) continue;
      store.seed(user.user_id, shifted(initialPresence(user, realNowSec, backdateInPlace), clockOffset));
      const hiddenAt = invisibleSince(user, realNowSec);
      // 10.0+'s backdating is already in the rows; older levels replaced the rows (or did nothing).
      if (hiddenAt !== null && !backdateInPlace) hidePresence(store, user.user_id, hiddenAt + clockOffset, featureLevel);
    }
  }

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One simulated round of presence reports from every connected client. */
  tick(realNowSec = this.app.realNow()): number {
    const serverNow = realNowSec + this.app.clockOffset;
    let reports = 0;
    for (const user of this.app.state.org.users) {
      if (!user.is_active || user.is_bot || !user.presence_enabled || user.work === null) continue;
      for (const { client, status } of clientsReporting(user, realNowSec)) {
        this.app.reportPresence(user, client, status, serverNow);
        reports++;
      }
    }
    this.ticks++;
    this.lastTickAt = serverNow;
    this.lastTickReports = reports;
    return reports;
  }

  status(): SimulationStatus {
    return {
      running: this.running,
      tickSeconds: this.tickSeconds,
      ticks: this.ticks,
      lastTickAt: this.lastTickAt,
      lastTickReports: this.lastTickReports,
    };
  }
}
