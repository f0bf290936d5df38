import { statusFromModern, type PresenceSummary } from '@/lib/presence/status';
import type { PresenceChange } from '@/lib/directory/types';

/** Zulip's modern presence entry: the last time a client said the person was active / connected. */
export interface ModernPresence {
  active_timestamp: number;
  idle_timestamp: number;
}

/** One client's entry in Zulip's legacy format (realm/presence, legacy presence events). */
export interface LegacyClientPresence {
  status: string;
  timestamp: number;
}

/**
 * The organization-wide presence snapshot. Raw timestamps are kept in Zulip's modern form,
 * legacy data folded in as Zulip's web app does (an active record raises active_timestamp, an
 * idle one raises idle_timestamp), and each person's state is recomputed against the server's
 * clock: a person goes offline by the passage of time alone, with no event saying so.
 */
export class PresenceStore {
  private raw = new Map<number, ModernPresence>();
  private summaries = new Map<number, PresenceSummary>();
  private serverTimestamp = 0;
  /** Server time minus local time, so states can be recomputed between refreshes. */
  private skewSeconds = 0;
  /** Bumped whenever a summary changes, so derived data (query sort keys) can be cached. */
  version = 0;

  constructor(private thresholdSeconds: number) {}

  setThreshold(seconds: number): void {
    this.thresholdSeconds = seconds;
  }

  /** Replaces everything (register). */
  replaceAll(presences: Record<string, ModernPresence>, serverTimestamp: number): void {
    this.raw = new Map(Object.entries(presences).map(([id, p]) => [Number(id), { ...p }]));
    this.setServerTime(serverTimestamp);
  }

  /** Merges modern entries (simplified presence events, per-person lookups). */
  mergeModern(presences: Record<string, ModernPresence>): void {
    for (const [id, p] of Object.entries(presences)) this.raise(Number(id), p.active_timestamp, p.idle_timestamp);
  }

  /** Merges one person's legacy per-client dict (realm/presence, legacy presence events). */
  mergeLegacy(userId: number, clients: Record<string, LegacyClientPresence>): void {
    for (const [client, entry] of Object.entries(clients)) {
      // `aggregated` repeats the newest client, and its status can be a computed "offline".
      if (client === 'aggregated') continue;
      if (entry.status === 'active') this.raise(userId, entry.timestamp, 0);
      else if (entry.status === 'idle') this.raise(userId, 0, entry.timestamp);
    }
  }

  setServerTime(serverTimestamp: number, localNowSeconds = Date.now() / 1000): void {
    this.serverTimestamp = serverTimestamp;
    this.skewSeconds = serverTimestamp - localNowSeconds;
  }

  /** The server's "now", extrapolated from the last server timestamp we saw. */
  serverNow(localNowSeconds = Date.now() / 1000): number {
    return this.serverTimestamp === 0 ? localNowSeconds : localNowSeconds + this.skewSeconds;
  }

  /**
   * Recomputes every known person's state at the server's current time and returns the ones
   * that changed since the last call.
   */
  recompute(ids: Iterable<number>, localNowSeconds = Date.now() / 1000): PresenceChange[] {
    const now = this.serverNow(localNowSeconds);
    const changes: PresenceChange[] = [];
    const seen = new Set<number>();
    for (const id of ids) {
      seen.add(id);
      const raw = this.raw.get(id);
      const next = raw ? statusFromModern(raw, now, this.thresholdSeconds) : null;
      const prev = this.summaries.get(id) ?? null;
      if (!sameSummary(prev, next)) {
        if (next) this.summaries.set(id, next);
        else this.summaries.delete(id);
        changes.push({ id, presence: next });
      }
    }
    let removed = false;
    for (const id of this.summaries.keys()) {
      if (!seen.has(id)) {
        this.summaries.delete(id);
        removed = true;
      }
    }
    if (changes.length > 0 || removed) this.version++;
    return changes;
  }

  get(id: number): PresenceSummary | null {
    return this.summaries.get(id) ?? null;
  }

  all(): PresenceChange[] {
    return [...this.summaries].map(([id, presence]) => ({ id, presence }));
  }

  private raise(id: number, active: number, idle: number): void {
    const current = this.raw.get(id);
    this.raw.set(id, {
      active_timestamp: Math.max(current?.active_timestamp ?? 0, active),
      idle_timestamp: Math.max(current?.idle_timestamp ?? 0, idle, active),
    });
  }
}

function sameSummary(a: PresenceSummary | null, b: PresenceSummary | null): boolean {
  if (a === null || b === null) return a === b;
  return a.state === b.state && a.lastActiveAt === b.lastActiveAt;
}
