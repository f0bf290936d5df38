// Keeps the demo realm alive: stored presence starts from `initialPresence`, then every tick each
// person's currently connected clients "POST" presence through the same rules as the real
// endpoint (throttle, sequence, events). Pausable; its timer never keeps the process alive.
import { clientsReporting, initialPresence } from '../simulation';
import type { DemoApp } from './app';

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

  /** Loads everyone's presence history as of `nowSec`. */
  seed(nowSec: number): void {
    for (const user of this.app.state.org.users) {
      if (user.is_bot) continue;
      this.app.state.presence.seed(user.user_id, initialPresence(user, nowSec));
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
  tick(nowSec = this.app.now()): number {
    let reports = 0;
    for (const user of this.app.state.org.users) {
      if (!user.is_active || user.is_bot || !user.presence_enabled || user.work === null) continue;
      for (const { client, status } of clientsReporting(user, nowSec)) {
        this.app.reportPresence(user, client, status, nowSec);
        reports++;
      }
    }
    this.ticks++;
    this.lastTickAt = nowSec;
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
